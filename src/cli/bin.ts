import { main } from './fms.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fms: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
