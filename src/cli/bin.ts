import './heapFlags.js';

// `fms replay … | head`: a reader that closed the pipe wants no more output; stop quietly (as cat does)
// instead of dying on an unhandled EPIPE with a stack trace
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(process.exitCode ?? 0);
  });
}

// imported after the heap flags are set (a static import would load the CLI's modules first)
const { main } = await import('./fms.js');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fms: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
