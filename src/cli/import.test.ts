import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES, importChat } from '../engine/formats/imports/index.js';
import { parseConversationText } from '../engine/formats/conversationText.js';
import { runFms as fms } from '../engine/testing/runFms.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-import-'));
const FIXTURES = path.resolve('src/engine/formats/imports/fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fms import', () => {
  it('converts every fixture to JSONL of its messages, and names the format it read', () => {
    const files = readdirSync(FIXTURES);
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const name of files) {
      const out = path.join(dir, `${name}.jsonl`);
      const r = fms('import', fixture(name), '--out', out);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const expected = importChat(readFileSync(fixture(name), 'utf8'), name);
      expect(r.stderr).toContain(`fms: ${fixture(name)}: ${FORMAT_NAMES[expected.format]}`);
      expect(r.stderr).toMatch(/wrote \d+ messages to /);
      // the JSONL reads back as the same messages: the round trip through our own format
      const back = parseConversationText(readFileSync(out, 'utf8'), out);
      expect(back.kind, name).toBe('jsonl');
      expect(back.messages, name).toEqual(expected.messages);
    }
  });

  it('lists the other conversations of a file that holds several, and picks one by number or title', () => {
    const file = fixture('chatgpt-conversations.json');
    const first = fms('import', file);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/ChatGPT data export.*conversation 1 of 3, "Lisbon trip plan"; the others: 2 "Sales chart" \(\d+\), 3 "Haiku" \(\d+\) \(pick one with --conversation N\|TITLE\)/);
    const lines = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as { role: string; content: string });
    expect(lines.length).toBeGreaterThan(1);
    const second = fms('import', file, '--conversation', '2');
    const byTitle = fms('import', file, '--conversation', 'Sales chart');
    expect(second.stdout).toBe(byTitle.stdout);
    expect(second.stdout).not.toBe(first.stdout);
    expect(second.stderr).toMatch(/conversation 2 of 3, "Sales chart"/);
    const bad = fms('import', file, '--conversation', '9');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(fms('import', file, '--conversation', '0')).toMatchObject({ code: 2, stderr: 'fms: --conversation counts from 1\n' });
  });

  it('says in one line which formats it tried for a shape it does not know', () => {
    const file = path.join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ hello: [1, 2] }, null, 2));
    const r = fms('import', file);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/OpenAI Chat Completions request.*ChatGPT.*Anthropic.*ShareGPT.*Ollama/);
  });
});

describe('fms replay of another tool\'s chat', () => {
  it('replays an imported chat as it would the same messages as JSONL', () => {
    const file = fixture('chatgpt-conversations.json');
    const jsonl = path.join(dir, 'chatgpt.jsonl');
    expect(fms('import', file, '--out', jsonl).code).toBe(0);
    const direct = fms('replay', file, '--json', '--max-tokens', '256', '--window', '32');
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).toMatch(/^fms: .*ChatGPT data export.*conversation 1 of 3/);
    const viaJsonl = fms('replay', jsonl, '--json', '--max-tokens', '256', '--window', '32');
    // the same replay, times aside
    const untimed = (text: string) => JSON.stringify(JSON.parse(text, (key, value: unknown) => (/Ms(Total)?$/.test(key) ? 0 : value)));
    expect(untimed(direct.stdout)).toBe(untimed(viaJsonl.stdout));
    expect(fms('replay', jsonl, '--conversation', '2')).toMatchObject({ code: 2 });
  });
});
