/** Builds the byte-exact event streams the test server sends. Test-only; no Node imports. */

export interface StreamScript {
  /** Content pieces, one chunk each. */
  pieces: string[];
  /** The finish chunk's reason; null sends no finish chunk. Default 'stop'. */
  finishReason?: 'stop' | 'length' | null;
  /** Sends a usage chunk (choices: []) after the finish chunk, as include_usage asks. */
  usage?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens?: number | null } };
  /** Sends the final "data: [DONE]". Default true. */
  done?: boolean;
  /** CRLF line endings instead of LF. */
  crlf?: boolean;
  /** "data:{...}" without the space after the colon. */
  noSpace?: boolean;
  /** A ": keep-alive" comment line before every event. */
  comments?: boolean;
  /** Splits each JSON payload (not [DONE]) over two data lines, which the client must join with "\n". */
  multiLineData?: boolean;
  /** After this many pieces, sends a data line that is not JSON. */
  malformedAfter?: number;
}

/** One OpenAI chat.completion.chunk. */
export function completionChunk(model: string, delta: { role?: string; content?: string }, finishReason: string | null = null): object {
  return { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

/** The stream's events, each a complete SSE frame, up to `stopAfter` pieces when given (for stalls and drops). */
export function scriptEvents(script: StreamScript, model: string, stopAfter?: number): string[] {
  const nl = script.crlf ? '\r\n' : '\n';
  const frame = (payload: string): string => {
    const prefix = script.noSpace ? 'data:' : 'data: ';
    const lines = script.multiLineData && payload.startsWith('{') ? [payload.slice(0, 1), payload.slice(1)] : [payload];
    const comment = script.comments ? `: keep-alive${nl}` : '';
    return comment + lines.map((l) => prefix + l + nl).join('') + nl;
  };
  const events = [frame(JSON.stringify(completionChunk(model, { role: 'assistant', content: '' })))];
  for (let i = 0; i < script.pieces.length; i++) {
    if (i === stopAfter) return events;
    if (i === script.malformedAfter) events.push(frame('{"choices": [oops'));
    events.push(frame(JSON.stringify(completionChunk(model, { content: script.pieces[i] }))));
  }
  if (stopAfter !== undefined) return events;
  if (script.malformedAfter !== undefined && script.malformedAfter >= script.pieces.length) events.push(frame('{"choices": [oops'));
  const finishReason = script.finishReason === undefined ? 'stop' : script.finishReason;
  if (finishReason !== null) events.push(frame(JSON.stringify(completionChunk(model, {}, finishReason))));
  if (script.usage) {
    const usage = { ...script.usage, total_tokens: script.usage.prompt_tokens + script.usage.completion_tokens };
    events.push(frame(JSON.stringify({ id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_700_000_000, model, choices: [], usage })));
  }
  if (script.done !== false) events.push(frame('[DONE]'));
  return events;
}

/** Cuts bytes into pieces of `size` (the last may be shorter), ignoring event and UTF-8 character boundaries. */
export function cutBytes(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}
