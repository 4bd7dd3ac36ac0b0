/**
 * Proves every layering rule in eslint.config.js fires: for each runtime folder, an import from every
 * folder it may not use is refused and one from every folder it may use is not; the package bans
 * (Node built-ins, electron, react) and the import-cycle rule fire too.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error the lint config is plain JS
import { LAYERS } from '../eslint.config.js';

const root = path.resolve(import.meta.dirname, '..');
const layers = LAYERS as Record<string, { may: string[] }>;
const folders = Object.keys(layers);
let eslint: ESLint;

/** Some runtime (non-test) module of a folder, found on disk so the test follows files that move. */
function moduleOf(folder: string): string {
  const dir = path.join(root, 'src', folder);
  const file = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$|\.d\.ts$|testing/.test(f))
    .sort()[0];
  return `../${folder}/${file.replace(/\\/g, '/').replace(/\.tsx?$/, '.js')}`;
}

/** The rule ids lint reports for a one-line module placed in a folder. */
async function rulesFired(folder: string, code: string, name = 'layeringProbe.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, 'src', folder, name) });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

describe('layering lint', () => {
  it.each(folders)('src/%s imports only from the folders it may use', async (folder) => {
    for (const other of folders.filter((f) => f !== folder)) {
      const fired = await rulesFired(folder, `import '${moduleOf(other)}';\n`);
      const allowed = layers[folder].may.includes(other);
      expect({ folder, other, refused: fired.includes('import-x/no-restricted-paths') }).toEqual({ folder, other, refused: !allowed });
    }
  });

  it('test code may use test helpers, runtime code may not', async () => {
    const helper = `import { startTestServer } from '../engine/backends/openai/testServer.js';\nvoid startTestServer;\n`;
    expect(await rulesFired('browser-server', helper)).toContain('import-x/no-restricted-paths');
    expect(await rulesFired('browser-server', helper, 'probe.test.ts')).not.toContain('import-x/no-restricted-paths');
    expect(await rulesFired('browser-server', `import '${moduleOf('engine')}';\n`, 'probe.test.ts')).toContain('import-x/no-restricted-paths');
  });

  it.each([
    ['renderer', "import 'node:fs';"],
    ['renderer', "import 'electron';"],
    ['shared', "import 'fs';"],
    ['shared', "import 'react';"],
    ['engine', "import 'node:path';"],
    ['engine', "import 'zustand';"],
    ['engine-host', "import 'electron';"],
    ['supervisor', "import 'react-dom/client';"],
    ['cli', "import 'electron';"],
    ['main', "import 'recharts';"],
  ])('src/%s refuses %s', async (folder, code) => {
    expect(await rulesFired(folder, `${code}\n`)).toContain('no-restricted-imports');
  });

  it("keeps the engine's Node adapters to themselves and to tests", async () => {
    expect(await rulesFired('engine', "import { loadTokenizer } from './node/loadTokenizer.js';\nvoid loadTokenizer;\n")).toContain('no-restricted-imports');
    expect(await rulesFired('engine', "import fs from 'node:fs';\nvoid fs;\n", 'probe.test.ts')).not.toContain('no-restricted-imports');
  });

  it('allows what each runtime needs', async () => {
    expect(await rulesFired('engine/node', "import 'node:fs';\n", 'probe.ts')).not.toContain('no-restricted-imports');
    expect(await rulesFired('main', "import 'electron';\n")).not.toContain('no-restricted-imports');
    expect(await rulesFired('renderer', "import 'react';\n", 'probe.tsx')).not.toContain('no-restricted-imports');
  });

  describe('import cycles', () => {
    const dir = path.join(root, 'src', 'engine', `layeringProbe${process.pid}`);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('are refused', async () => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
      writeFileSync(path.join(dir, 'c.ts'), "export const c = 1;\n");
      const [cyclic] = await eslint.lintFiles([path.join(dir, 'a.ts')]);
      expect(cyclic.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
      const [plain] = await eslint.lintText("import { c } from './c.js';\nexport const d = c;\n", { filePath: path.join(dir, 'd.ts') });
      expect(plain.messages.map((m) => m.ruleId)).not.toContain('import-x/no-cycle');
    });
  });
});
