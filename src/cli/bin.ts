import './heapFlags.js';

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
