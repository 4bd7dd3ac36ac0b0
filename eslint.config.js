import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

/** The engine is a pure library: it must run in plain Node, in a worker and in a browser. */
const engineRestrictions = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'src/engine is runtime-neutral: put Node code in src/engine/node/.' })),
  patterns: [
    { group: ['node:*'], message: 'src/engine is runtime-neutral: put Node code in src/engine/node/.' },
    { group: ['electron', 'electron/*', 'react', 'react/*', 'react-dom', 'react-dom/*'], message: 'src/engine must not depend on electron or react.' },
    { group: ['**/node/*', '!**/node_modules/*'], message: 'only tests and src/engine/node itself may import the Node adapters.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/shared/**/*.ts'],
    ignores: ['src/engine/node/**', 'src/engine/testing/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', engineRestrictions] },
  },
);
