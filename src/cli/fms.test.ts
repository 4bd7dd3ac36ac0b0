import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { tinyLlamaDir } from '../engine/testing/testModels.js';
import { createEngine } from '../engine/engine.js';
import { engineToSession } from '../engine/formats/sessionState.js';
import { serializeSession } from '../engine/formats/sessionCodec.js';
import { hostPair } from '../engine-host/testing/harness.js';
import { flagDefault, POLICY_NAMES, rangeText, SETTING_LIST } from '../shared/config.js';
import { COMMANDS } from './commands.js';
import { CLI as cli, runFms as fms } from '../engine/testing/runFms.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-cli-'));
const chatFile = path.join(dir, 'chat.jsonl');

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  const chat = syntheticChat({ seed: 5, turns: 50 });
  chat.push({ role: 'user', content: 'What did Kenji say about the March 3 report?' });
  writeFileSync(chatFile, chat.map((m) => JSON.stringify(m)).join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fms help and --version', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

  it('prints the package version', () => {
    const r = fms('--version');
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('lists every command, and --help on each prints its flags with defaults and ranges from the settings catalog', () => {
    const overview = fms('help');
    expect(overview.code).toBe(0);
    for (const name of ['replay', 'chat', 'serve']) expect(overview.stdout).toMatch(new RegExp(`^ {2}fms ${name} `, 'm'));
    expect(overview.stdout).toContain(POLICY_NAMES.join(', '));
    expect(fms('--help').stdout).toBe(overview.stdout);
    for (const name of ['replay', 'chat']) {
      const outs = [fms(name, '--help'), fms(name, '-h'), fms('help', name), fms(name, chatFile, '--bogus', '--help')];
      for (const r of outs) expect(r).toEqual({ code: 0, stdout: outs[0].stdout, stderr: '' });
      const help = outs[0].stdout;
      expect(help).toMatch(new RegExp(`^usage: fms ${name} `));
      // one line per setting, naming its range and default in the catalog's words
      for (const s of SETTING_LIST) {
        const entry = help.slice(help.indexOf(`  --${s.flag} `)).split(/\n {2}--/)[0].replace(/\s+/g, ' ');
        expect(entry, s.flag).toContain(rangeText(s));
        expect(entry, s.flag).toContain(`default ${flagDefault(s)}`);
      }
      expect(help.replace(/\s+/g, ' ')).toContain(`one of ${POLICY_NAMES.join(', ')}; default sliding`);
    }
    const replay = fms('replay', '--help').stdout;
    expect(replay).toMatch(/^ {2}--mask-block N +the block size of --mask-format block; default 64$/m);
    expect(replay).toMatch(/^ {2}--max-file-bytes SIZE +the limit for one opened file; default 1024MiB$/m);
    const serve = fms('serve', '--help');
    expect(serve.code).toBe(0);
    expect(serve.stdout).toMatch(/^ {2}--port N +the port on 127\.0\.0\.1; default 5174$/m);
    expect(serve.stdout).not.toContain('--policy');
    expect(fms('chat', '--help').stdout).not.toContain('--max-file-bytes');
  });
});

describe('fms replay: policies and their flags', () => {
  it('selects every policy by name, with its parameters as flags', () => {
    for (const policy of ['sliding', 'salience', 'importance', 'semantic', 'rolling_summary', 'hybrid']) {
      const r = fms('replay', chatFile, '--policy', policy, '--max-tokens', '500', '--window', '64', '--summary-interval', '128', '--probes', '4', '--weights', '0.2,0.5,0.3', '--json');
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout);
      expect(out.policy).toBe(policy);
      expect(out.config).toMatchObject({ summaryInterval: 128, probes: 4, weights: { importance: 0.2, uniqueness: 0.5, recency: 0.3 }, recall: true });
      expect(out.contextTokens).toBeLessThanOrEqual(500);
    }
    const off = JSON.parse(fms('replay', chatFile, '--recall', 'off', '--json').stdout);
    expect(off.config.recall).toBe(false);
  });

  it('--model runs the policies\' model step: importance probes with the local model\'s logits', () => {
    const small = path.join(dir, 'small.jsonl');
    writeFileSync(small, syntheticChat({ seed: 8, turns: 14, sentencesPerMessage: 3 }).map((m) => JSON.stringify(m)).join('\n') + '\n');
    const dump = path.join(dir, 'probes.jsonl');
    const r = fms('replay', small, '--policy', 'importance', '--max-tokens', '200', '--window', '32', '--probes', '4', '--model', tinyLlamaDir(), '--dump', dump, '--json');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).tokenizer).toContain('tiny-llama');
    const text = readFileSync(dump, 'utf8');
    expect(text).toMatch(/logit probe KL \d/);
    expect(text).not.toMatch(/no model with logits/);
  });

  it('rejects bad policy parameters with one line and exit 2', () => {
    for (const [args, msg] of [
      [['--weights', '1,2'], /--weights must be three non-negative numbers, not all 0: importance,uniqueness,recency/],
      [['--recall-share', '0.9'], /recall share must be a number above 0 and at most 0.5/],
      [['--pin-system', 'maybe'], /--pin-system must be on or off/],
      [['--weights', '0,0,0'], /weights must be three non-negative numbers/],
      [['--summary-gate', '1.5'], /summary gate must be a number from 0 to 1/],
      [['--summary-interval', '10'], /summary interval must be a whole number >= 64/],
      [['--probes', 'many'], /--probes must be a whole number/],
    ] as const) {
      const r = fms('replay', chatFile, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('fms replay', () => {
  it('prints one JSON object with the stable keys, and a context that fits', async () => {
    const r = fms('replay', chatFile, '--max-tokens', '600', '--window', '64', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const key of ['context', 'contextTokens', 'policy', 'stats', 'turns', 'engineMsTotal']) expect(out).toHaveProperty(key);
    expect(out.policy).toBe('sliding');
    expect(out.contextTokens).toBeLessThanOrEqual(600);
    expect(out.contextTokens).toBe(out.contextTokensEngine);
    expect(out.context.startsWith('<|im_start|>system\n')).toBe(true);
    expect(out.context.endsWith('<|im_start|>user\nWhat did Kenji say about the March 3 report?<|im_end|>\n<|im_start|>assistant\n')).toBe(true);
    expect(out.turns).toHaveLength(52); // turn 0 (system prompt) + 51 user turns
    expect(out.stats.tokensEvicted).toBeGreaterThan(0);
    const tok = await testTokenizer();
    expect(tok.countTokens(out.context)).toBe(out.contextTokens);
  });

  it('writes Prometheus metrics and a JSONL turn dump', () => {
    const metrics = path.join(dir, 'm.prom');
    const dump = path.join(dir, 'd.jsonl');
    const r = fms('replay', chatFile, '--max-tokens', '500', '--metrics', metrics, '--dump', dump);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^turn +1 /m);
    expect(r.stdout).toMatch(/compression [\d.]+x/);
    const prom = readFileSync(metrics, 'utf8');
    expect(prom).toMatch(/^# TYPE fms_tokens_seen_total counter$/m);
    expect(prom).toMatch(/^fms_turn_engine_seconds_count 52$/m);
    const lines = readFileSync(dump, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(51);
    const evicting = lines.find((l) => l.decisions.length > 0);
    expect(evicting.decisions[0]).toMatchObject({ policy: 'sliding' });
    expect(lines[0]).toHaveProperty('input');
    expect(lines[0]).toHaveProperty('output');
  });

  it('exports the profile as speedscope and Chrome trace JSON', () => {
    const profile = path.join(dir, 'p.speedscope.json');
    const trace = path.join(dir, 't.trace.json');
    expect(fms('replay', chatFile, '--max-tokens', '500', '--profile', profile, '--trace', trace).code).toBe(0);
    const speedscope = JSON.parse(readFileSync(profile, 'utf8'));
    expect(speedscope.$schema).toBe('https://www.speedscope.app/file-format-schema.json');
    const names = speedscope.shared.frames.map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['ingest:user', 'tokenize', 'policy:sliding', 'build']));
    const events = JSON.parse(readFileSync(trace, 'utf8')).traceEvents.filter((e: { ph: string }) => e.ph === 'X');
    expect(events.length).toBeGreaterThan(100);
  });

  it('exports the final context as an attention mask over the conversation', () => {
    const dense = path.join(dir, 'dense.json');
    const block = path.join(dir, 'block.json');
    const r = fms('replay', chatFile, '--max-tokens', '400', '--json', '--mask', dense, '--mask-format', 'dense');
    expect(r.code).toBe(0);
    const kept = JSON.parse(r.stdout).stats.tokensRetained;
    const m = JSON.parse(readFileSync(dense, 'utf8'));
    expect(m).toMatchObject({ format: 'dense', causal: true });
    // causal over the kept tokens only: K(K+1)/2 allowed pairs
    expect(m.stats.allowed).toBe((kept * (kept + 1)) / 2);
    const words = new Uint32Array(Uint8Array.from(Buffer.from(m.data.words, 'base64')).buffer);
    expect(words.length).toBe(m.n * Math.ceil(m.n / 32));
    expect(fms('replay', chatFile, '--max-tokens', '400', '--mask', block).code).toBe(0);
    const b = JSON.parse(readFileSync(block, 'utf8'));
    expect(b.data.blocks).toBe(Math.ceil(b.n / 64));
    expect(b.stats.sparsity).toBeGreaterThan(0.5);
  });

  it('replays a saved session under its saved settings; flags override one by one, and one stderr line says which', async () => {
    const tok = await testTokenizer();
    const messages = syntheticChat({ seed: 8, turns: 12 });
    const saved = { policy: 'hybrid', maxTokens: 300, window: 32, recall: false, maxPolicyMs: 0, weights: { importance: 0.2, uniqueness: 0.6, recency: 0.2 } };
    const engine = createEngine({ tokenizer: tok, ...saved });
    for (const m of messages) engine.ingest(m);
    const file = path.join(dir, 's.json');
    const now = new Date(0).toISOString();
    writeFileSync(file, serializeSession(engineToSession(engine, { title: 't', app: 'fms', createdAt: now, savedAt: now })));
    const plain = path.join(dir, 's.jsonl');
    writeFileSync(plain, messages.map((m) => JSON.stringify(m)).join('\n') + '\n');

    const r = fms('replay', file, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      "fms: using the session's saved settings (policy hybrid, maxTokens 300, window 32, pinSystem on, recall off, recallShare 0.15, factShare 0.15, modelFacts off, maxPolicyMs 0, probes 8, summaryInterval 1024, summaryGate 1, weights 0.2,0.6,0.2); no flags override them\n",
    );
    const out = JSON.parse(r.stdout);
    expect(out.messages).toBe(messages.length - 1); // the last user message is the query; its reply is not replayed
    expect(out.config).toMatchObject(saved);
    // the same as replaying the plain chat with the saved settings as flags
    const same = JSON.parse(fms('replay', plain, '--json', '--policy', 'hybrid', '--max-tokens', '300', '--window', '32', '--recall', 'off', '--max-policy-ms', '0', '--weights', '0.2,0.6,0.2').stdout);
    expect([out.contextTokensEngine, out.evictions, out.context]).toEqual([same.contextTokensEngine, same.evictions, same.context]);

    const over = fms('replay', file, '--json', '--max-tokens', '4000', '--window', '16');
    expect(over.code).toBe(0);
    expect(over.stderr.split('\n')).toHaveLength(2); // one line
    expect(over.stderr).toMatch(/^fms: using the session's saved settings \(policy hybrid, pinSystem on, recall off, .*weights 0\.2,0\.6,0\.2\); overridden by flags: --max-tokens 4000, --window 16\n$/);
    expect(JSON.parse(over.stdout).config).toMatchObject({ ...saved, maxTokens: 4000, window: 16 });
    // a flag that only fits with the session's settings is checked against them
    const bad = fms('replay', file, '--window', '400');
    expect([bad.code, bad.stderr.trim().split('\n').at(-1)]).toEqual([2, 'fms: window (400) must be smaller than max tokens (300)']);
  });

  it('--save-session writes the replayed session in the app\'s format; replaying or opening that file gives the same result', async () => {
    const out = path.join(dir, 'saved', 'replayed.json');
    mkdirSync(path.dirname(out), { recursive: true });
    const flags = ['--policy', 'hybrid', '--max-tokens', '500', '--window', '48', '--recall-share', '0.2', '--max-policy-ms', '0'];
    const first = fms('replay', chatFile, ...flags, '--json', '--save-session', out);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const session = JSON.parse(readFileSync(out, 'utf8'));
    expect(session).toMatchObject({ format: 'finite-memory-studio.session', metadata: { title: 'chat', app: expect.stringMatching(/^finite-memory-studio \d+\.\d+\.\d+ \(fms replay\)$/) } });
    expect(session.config).toMatchObject({ policy: 'hybrid', maxTokens: 500, window: 48, recallShare: 0.2 });
    expect(readdirSync(path.dirname(out))).toEqual(['replayed.json']); // written through a temp file, renamed
    const a = JSON.parse(first.stdout);
    const again = fms('replay', out, '--json');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^fms: using the session's saved settings \(policy hybrid, maxTokens 500, window 48, .*\); no flags override them\n$/);
    const b = JSON.parse(again.stdout);
    expect([b.contextTokensEngine, b.evictions, b.context, b.messages]).toEqual([a.contextTokensEngine, a.evictions, a.context, a.messages]);
    // the app opens it to the same state
    const h = await hostPair();
    h.client.hello();
    h.client.send({ type: 'openSessionText', name: 'replayed.json', text: readFileSync(out, 'utf8') });
    await h.waitFor('configChanged', (e) => e.config.policy === 'hybrid');
    expect([h.host.engine.buildContext().tokens, h.host.engine.stats().evictions]).toEqual([a.contextTokensEngine, a.stats.evictions]);
    await h.close();
    const human = fms('replay', chatFile, ...flags, '--save-session', out);
    const savedLine = human.stdout.trim().split('\n').at(-1)!;
    expect(savedLine.startsWith(`session saved to ${out} (`)).toBe(true);
    expect(savedLine).toMatch(/ \(\d+(\.\d)? KiB\)$/);
    const nowhere = fms('replay', chatFile, '--save-session', path.join(dir, 'no-such-dir', 'x.json'));
    expect([nowhere.code, nowhere.stderr]).toEqual([1, `fms: cannot save session file "${path.join(dir, 'no-such-dir', 'x.json')}": its folder does not exist\n`]);
  });

  it('is deterministic by default; --latency-budget runs under --max-policy-ms and lists the turns that fell back', () => {
    const flags = ['--policy', 'hybrid', '--max-tokens', '400', '--window', '32', '--json'];
    const [a, b] = [fms('replay', chatFile, ...flags), fms('replay', chatFile, ...flags)].map((r) => JSON.parse(r.stdout));
    expect([a.latencyBudget, a.fallbacks, a.stats.fallbackCount]).toEqual([false, [], 0]);
    expect([b.context, b.contextTokensEngine, b.evictions]).toEqual([a.context, a.contextTokensEngine, a.evictions]);
    const opted = JSON.parse(fms('replay', chatFile, ...flags, '--latency-budget', '--max-policy-ms', '1').stdout);
    expect(opted.latencyBudget).toBe(true);
    // whether a 1 ms budget trips depends on the machine: the list and the count agree either way
    for (const turn of opted.fallbacks) expect(opted.turns.some((t: { turn: number }) => t.turn === turn)).toBe(true);
    expect(opted.fallbacks).toEqual([...opted.fallbacks].sort((x: number, y: number) => x - y));
    expect(opted.fallbacks.length > 0).toBe(opted.stats.fallbackCount > 0);
    expect(opted.fallbacks.length).toBeLessThanOrEqual(opted.stats.fallbackCount);
    const human = fms('replay', chatFile, '--max-tokens', '400').stdout;
    expect(human).toMatch(/^latency budget off \(a replay is deterministic; --latency-budget runs under it as live turns do\)$/m);
    const guarded = fms('replay', chatFile, '--max-tokens', '400', '--latency-budget').stdout;
    expect(guarded).toMatch(/^latency budget 25 ms: (no turn fell back to sliding|fell back to sliding on \d+ turns?: \d+(, \d+)*)$/m);
  });

  it('stops quietly when the reader of its output goes away (fms replay … | head)', async () => {
    const child = spawn(process.execPath, [cli, 'replay', chatFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy(); // the reader is gone before the report is written, as with `| head -c 0`
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exits 2 with one line on bad input', () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"role":"user","content":"hi"}\n{"role":"wizard","content":"x"}\n');
    const truncated = path.join(dir, 'trunc.json');
    writeFileSync(truncated, '{\n  "format": "finite-memory-studio.session",\n  "version": 1,\n  "meta');
    const fifo = path.join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    const long = path.join(dir, 'long.jsonl');
    writeFileSync(long, `${JSON.stringify({ role: 'user', content: 'x'.repeat(5000) })}\n`);
    const cases: [string[], RegExp][] = [
      [['replay', chatFile, '--policy', 'nope'], /unknown policy "nope"/],
      [['replay', path.join(dir, 'missing.jsonl')], /no such file/],
      [['replay', chatFile, '--bogus'], /^fms: unknown option '--bogus' \(see fms replay --help\)$/m],
      [['chat', '--json=yes'], /--json takes no value \(see fms chat --help\)/],
      [['serve', 'extra'], /unexpected argument 'extra': fms serve takes no arguments \(see fms serve --help\)/],
      [['replay', chatFile, '--max-tokens'], /--max-tokens needs a value \(see fms replay --help\)/],
      [['help', 'frobnicate'], new RegExp(`no help for "frobnicate": the commands are ${COMMANDS.map((c) => c.name).join(', ')}$`, 'm')],
      [['replay', chatFile, '--max-tokens', 'lots'], /--max-tokens must be a whole number/],
      [['replay', chatFile, '--mask', 'x.json', '--mask-format', 'magic'], /--mask-format must be one of/],
      [['replay', chatFile, '--max-tokens', '100', '--window', '200'], /window \(200\) must be smaller/],
      [['replay', bad], /bad\.jsonl:2: role/],
      [['replay', truncated], /not valid JSON/],
      [['replay', fifo], /not a regular file \(a FIFO, device or socket\)/], // refused at once, never blocks
      [['replay', '/dev/zero'], /not a regular file/],
      [['replay', long, '--max-line-bytes', '1KiB'], /long\.jsonl:1: the line is too large \(4\.9 KiB; .*--max-line-bytes\)/],
      [['replay', chatFile, '--max-file-bytes', 'huge'], /--max-file-bytes must be a size/],
      [['replay'], /exactly one file/],
      [['frobnicate'], /unknown command/],
    ];
    for (const [args, pattern] of cases) {
      const r = fms(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
});
