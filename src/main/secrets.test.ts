import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretStore } from './secrets.js';
import { resetFakes, safeStorage } from './testing/fakeElectron.js';

vi.mock('electron', () => import('./testing/fakeElectron.js'));

let dir: string;
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(path.join(tmpdir(), 'fms-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'sk-live-Zoë-0123456789abcdef';
const secretsFile = () => path.join(dir, 'secrets.json');
const onDisk = () => JSON.parse(readFileSync(secretsFile(), 'utf8')) as Record<string, string>;

describe('SecretStore with a keyring', () => {
  it('stores only encrypted data and reads it back, across instances', () => {
    expect(new SecretStore(dir).set('openai', SECRET)).toEqual({ saved: true, storage: 'encrypted' });
    const text = readFileSync(secretsFile(), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(text).not.toContain(Buffer.from(SECRET).toString('hex'));
    expect(safeStorage.decryptString(Buffer.from(onDisk().openai, 'base64'))).toBe(SECRET);
    expect(new SecretStore(dir).get('openai')).toBe(SECRET);
    expect(new SecretStore(dir).get('other')).toBeUndefined();
    expect(new SecretStore(dir).status('openai')).toEqual({ saved: true, storage: 'encrypted' });
    expect(new SecretStore(dir).status('other')).toEqual({ saved: false, storage: 'encrypted' });
  });

  it('forgets a secret set to the empty string', () => {
    const store = new SecretStore(dir);
    store.set('openai', SECRET);
    expect(store.set('openai', '')).toEqual({ saved: false, storage: 'encrypted' });
    expect(store.get('openai')).toBeUndefined();
    expect(readFileSync(secretsFile(), 'utf8')).toBe('{}');
  });

  it('answers undefined for a corrupt file, a wrong shape, or a value it cannot decrypt', () => {
    const store = new SecretStore(dir);
    for (const text of ['{"openai": ', '[1]', '{"openai": 7}', JSON.stringify({ openai: Buffer.from('plain text').toString('base64') })]) {
      writeFileSync(secretsFile(), text);
      expect(store.get('openai')).toBeUndefined();
    }
  });

  it('ignores the Linux keyring backend on other platforms', () => {
    safeStorage.backend = 'basic_text';
    expect(new SecretStore(dir, 'darwin').storage).toBe('encrypted');
  });
});

describe('SecretStore without a keyring', () => {
  it.each([
    ['Linux basic_text', () => (safeStorage.backend = 'basic_text')],
    ['no OS encryption', () => (safeStorage.available = false)],
  ])('%s: keeps the secret in memory for this run only and writes nothing', (_name, noKeyring) => {
    noKeyring();
    const store = new SecretStore(dir, 'linux');
    expect(store.storage).toBe('session-only');
    expect(store.set('openai', SECRET)).toEqual({ saved: true, storage: 'session-only' });
    expect(existsSync(secretsFile())).toBe(false);
    expect(store.get('openai')).toBe(SECRET);
    expect(new SecretStore(dir, 'linux').get('openai')).toBeUndefined(); // the next run
    expect(store.set('openai', '')).toEqual({ saved: false, storage: 'session-only' });
    expect(store.get('openai')).toBeUndefined();
    expect(existsSync(secretsFile())).toBe(false);
  });

  it('moves a key an older build saved with basic_text into memory and removes it from disk', () => {
    safeStorage.backend = 'basic_text';
    writeFileSync(secretsFile(), JSON.stringify({ openai: safeStorage.encryptString(SECRET).toString('base64'), other: 'x' }));
    const store = new SecretStore(dir, 'linux');
    expect(store.get('openai')).toBe(SECRET);
    expect(onDisk()).toEqual({ other: 'x' });
    expect(store.status('openai')).toEqual({ saved: true, storage: 'session-only' });
  });

  it('keeps a keyring-encrypted key it cannot read now (the keyring may be back next run)', () => {
    safeStorage.backend = 'basic_text';
    const foreign = JSON.stringify({ openai: Buffer.from('v11-keyring-ciphertext').toString('base64') });
    writeFileSync(secretsFile(), foreign);
    expect(new SecretStore(dir, 'linux').get('openai')).toBeUndefined();
    expect(readFileSync(secretsFile(), 'utf8')).toBe(foreign);
  });

  it('a session-only set also removes an older copy from disk', () => {
    new SecretStore(dir, 'linux').set('openai', 'old');
    safeStorage.backend = 'basic_text';
    new SecretStore(dir, 'linux').set('openai', SECRET);
    expect(onDisk()).toEqual({});
  });
});
