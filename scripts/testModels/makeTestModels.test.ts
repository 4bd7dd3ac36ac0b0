import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testModelsDir } from '../../src/engine/testing/testModels.js';

const out = mkdtempSync(path.join(tmpdir(), 'fms-models-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const script = fileURLToPath(new URL('../make-test-models.mjs', import.meta.url));
const run = () => execFileSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
const weights = (dir: string, name: string) => path.join(dir, name, 'onnx', 'model.onnx');

describe('make-test-models', () => {
  it('writes the models into --out, deterministically, and skips them while the stamp matches', () => {
    expect(run()).toMatch(/tiny-llama: written[\s\S]*tiny-bert: written/);
    for (const name of ['tiny-llama', 'tiny-bert']) {
      expect(readFileSync(weights(out, name)).equals(readFileSync(weights(testModelsDir(), name)))).toBe(true);
    }
    const mtime = statSync(weights(out, 'tiny-llama')).mtimeMs;
    expect(run()).toMatch(/tiny-llama: up to date[\s\S]*tiny-bert: up to date/);
    expect(statSync(weights(out, 'tiny-llama')).mtimeMs).toBe(mtime);

    writeFileSync(path.join(out, 'tiny-bert', 'fms-test-model.json'), '{"version":0}');
    expect(run()).toMatch(/tiny-llama: up to date[\s\S]*tiny-bert: written/);
  });
});
