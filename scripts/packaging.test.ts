// The packaging configuration (electron-builder.json), checked here because `npm run dist` cannot run on
// these machines (it downloads Electron and electron-builder's tools): the config is valid against
// electron-builder's own JSON schema, builds an AppImage and a .deb, sets the Electron fuses the issue asks
// for, and packs what the app loads at run time.
import Ajv from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const config = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as Record<string, unknown> & {
  files: string[];
  electronFuses: Record<string, boolean>;
  linux: { target: string[] };
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; scripts: Record<string, string>; engines: Record<string, string>; allowScripts: Record<string, boolean> };

describe('electron-builder configuration', () => {
  it("is valid against electron-builder's schema (app-builder-lib/scheme.json)", () => {
    const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const { $schema, ...rest } = config;
    void $schema;
    expect(validate(rest), JSON.stringify(validate.errors)).toBe(true);
    // the schema itself refuses what it does not know (so this test can fail)
    expect(validate({ ...rest, electronFuses: { ...config.electronFuses, runAsNodes: false } })).toBe(false);
  });

  it('builds an AppImage and a .deb with runAsNode off, cookie encryption on and ASAR integrity checked', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableCookieEncryption: true, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
    expect(config.asar).toBe(true);
    expect(pkg.scripts.dist).toMatch(/^npm run build && electron-builder --linux\b/);
  });

  it('packs the built app the main entry names (the renderer with its speedscope viewer, the preload, the engine host)', () => {
    expect(config.files).toContain('out/**/*');
    expect(pkg.main.startsWith('out/')).toBe(true);
    if (existsSync('out/main/index.js')) {
      for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/speedscope/index.html', 'out/renderer/speedscope/LICENSE']) expect(existsSync(f), f).toBe(true);
    }
  });

  it('declares the Node versions it supports and which install scripts may run', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    // every dependency install script was reviewed: none is needed (esbuild and protobufjs only check
    // themselves, onnxruntime-node would fetch CUDA libraries, electron-winstaller is for Windows)
    expect(pkg.allowScripts).toEqual({ 'electron-winstaller': false, esbuild: false, protobufjs: false, 'onnxruntime-node': false });
  });
});
