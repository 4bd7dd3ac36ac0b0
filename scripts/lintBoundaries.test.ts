import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();
const errors = async (code: string, filePath: string) => {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('import boundaries', () => {
  it('keeps node, electron and react out of the engine core', async () => {
    expect(await errors("import fs from 'node:fs';\nexport const x = fs;\n", 'src/engine/x.ts')).toHaveLength(1);
    expect(await errors("import path from 'path';\nexport const x = path;\n", 'src/engine/x.ts')).toHaveLength(1);
    expect(await errors("import { app } from 'electron';\nexport const x = app;\n", 'src/engine/policies/x.ts')).toHaveLength(1);
    expect(await errors("import React from 'react';\nexport const x = React;\n", 'src/shared/x.ts')).toHaveLength(1);
    expect(await errors("import { loadTokenizer } from './node/loadTokenizer.js';\nexport const x = loadTokenizer;\n", 'src/engine/x.ts')).toHaveLength(1);
  });

  it('allows them in the node adapters and in tests', async () => {
    expect(await errors("import fs from 'node:fs';\nexport const x = fs;\n", 'src/engine/node/x.ts')).toHaveLength(0);
    expect(await errors("import fs from 'node:fs';\nexport const x = fs;\n", 'src/engine/x.test.ts')).toHaveLength(0);
    expect(await errors("import { z } from 'zod';\nexport const x = z;\n", 'src/engine/x.ts')).toHaveLength(0);
  });
});
