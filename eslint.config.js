import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));

/**
 * The layering (DESIGN.md "Layout"): one folder per runtime, imports only point down the list.
 * Each folder names the folders it may import from; every other src folder is refused.
 * scripts/lintRules.test.ts proves each rule fires.
 */
export const LAYERS = {
  shared: { may: [], why: 'the contract: schemas, the settings catalog, and the view model host and renderer both fold' },
  engine: { may: ['shared'], why: 'a pure library on the contract' },
  'engine-host': { may: ['shared', 'engine'], why: 'the utility process wraps the engine' },
  supervisor: { may: ['shared'], why: 'runs in the parent; it knows the host only by the contract' },
  'browser-server': { may: ['shared', 'supervisor'], why: 'parents the host over the contract' },
  main: { may: ['shared', 'supervisor'], why: 'Electron main parents the host over the contract' },
  preload: { may: ['shared'], why: 'a tiny typed bridge' },
  renderer: { may: ['shared'], why: 'the UI talks to the engine only through the protocol' },
  eval: { may: ['shared', 'engine'], why: 'retention evals run the engine headless' },
  cli: { may: ['shared', 'engine', 'engine-host', 'supervisor', 'browser-server', 'eval'], why: 'headless entries' },
};
const FOLDERS = Object.keys(LAYERS);

/**
 * Narrow exceptions, by importing folder → imported folder → paths inside it:
 * main writes the files the user picked with the engine's durable writer (a Node adapter, not the engine).
 */
const EXCEPT = { main: { engine: ['./node/sessionFile.ts'] } };
/**
 * Test code (tests and testing/ helpers) may also use other folders' test helpers: the fake OpenAI
 * server, the tiny models and tokenizer, and the renderer's protocol client that drives a host.
 */
const TEST_EXCEPT = { engine: ['./testing', './backends/openai/testServer.ts', './backends/openai/testSse.ts'], renderer: ['./client/engineClient.ts'] };
const TEST_FILES = ['src/**/*.test.{ts,tsx}', 'src/*/testing/**'];

const zonesFor = (exceptions = {}) =>
  FOLDERS.flatMap((folder) =>
    FOLDERS.filter((other) => other !== folder && !LAYERS[folder].may.includes(other)).map((other) => {
      const except = [...(EXCEPT[folder]?.[other] ?? []), ...(exceptions[other] ?? [])];
      return {
        target: `./src/${folder}`,
        from: `./src/${other}`,
        ...(except.length > 0 ? { except } : {}),
        message: `src/${folder} may import only from ${[folder, ...LAYERS[folder].may].map((f) => `src/${f}`).join(', ')} (${LAYERS[folder].why}).`,
      };
    }),
  );

const banned = (names, message) => ({ group: names.flatMap((n) => [n, `${n}/*`]), message });
const NODE_MESSAGE = 'no Node built-ins here: this code runs in a browser or a neutral runtime.';
const NODE = { group: ['node:*'], message: NODE_MESSAGE };
/** Bare built-in names ('fs') as exact paths: as patterns they would also match a relative './events'. */
const nodePaths = (message = NODE_MESSAGE) => nodeBuiltins.map((name) => ({ name, message }));
const ELECTRON = banned(['electron'], 'electron only in src/main and src/preload.');
const REACT = banned(['react', 'react-dom', 'zustand', 'recharts'], 'react and the UI libraries only in src/renderer.');

/** Package and built-in rules per folder (folder imports are checked by import-x/no-restricted-paths). */
const PACKAGE_RULES = [
  { files: ['src/shared/**/*.ts'], paths: nodePaths(), patterns: [NODE, ELECTRON, REACT] },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/node/**', 'src/engine/testing/**', '**/*.test.ts'],
    paths: nodePaths('src/engine is runtime-neutral: put Node code in src/engine/node/.'),
    patterns: [
      { ...NODE, message: 'src/engine is runtime-neutral: put Node code in src/engine/node/.' },
      ELECTRON,
      REACT,
      { group: ['**/node/*', '!**/node_modules/*'], message: 'only tests and src/engine/node itself may import the Node adapters.' },
    ],
  },
  { files: ['src/engine-host/**/*.ts', 'src/supervisor/**/*.ts', 'src/browser-server/**/*.ts', 'src/cli/**/*.ts', 'src/eval/**/*.ts'], patterns: [ELECTRON, REACT] },
  { files: ['src/main/**/*.ts', 'src/preload/**/*.ts'], patterns: [REACT] },
  { files: ['src/renderer/**/*.{ts,tsx}'], ignores: ['**/*.test.ts'], paths: nodePaths(), patterns: [NODE, ELECTRON] },
];

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
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'tsconfig.web.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: zonesFor() }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  { files: TEST_FILES, rules: { 'import-x/no-restricted-paths': ['error', { zones: zonesFor(TEST_EXCEPT) }] } },
  ...PACKAGE_RULES.map(({ files, ignores, paths, patterns }) => ({ files, ...(ignores ? { ignores } : {}), rules: { 'no-restricted-imports': ['error', { ...(paths ? { paths } : {}), patterns }] } })),
);
