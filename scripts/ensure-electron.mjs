// `npm start` / `npm run dev` first make sure Electron's binary is there (Electron 42+ downloads it
// lazily). Offline, say so in one line and point at browser mode instead of a stack trace.
import { spawnSync } from 'node:child_process';

const r = spawnSync('node_modules/.bin/install-electron', [], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  const why = (r.stderr ?? '').split('\n').find((l) => l.trim()) ?? `exit ${r.status}`;
  process.stderr.write(
    `Cannot download the Electron binary (${why.trim()}).\n` +
      'Connect to the internet once for `npm start`, or run the same app in a browser: npm run serve\n',
  );
  process.exit(1);
}
