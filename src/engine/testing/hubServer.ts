// A Hugging Face Hub mirror for tests: real HTTP on 127.0.0.1 serving model folders in the Hub's
// file layout (`/ORG/NAME/resolve/main/FILE`), the layout HF_ENDPOINT mirrors use.
import { readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HubRequest {
  method: string;
  /** The request path, e.g. `/fms-test/tiny-llama/resolve/main/config.json`. */
  path: string;
  /** The Range header, when the client asked for part of a file (transformers.js reads sizes with `bytes=0-0`). */
  range?: string;
  status: number;
}

/** A file whose response stops halfway until released (to watch a download in progress). */
export interface HeldFile {
  /** Resolves when the first half of the file has been sent. */
  readonly halfSent: Promise<void>;
  release(): void;
}

export interface HubServer {
  /** What HF_ENDPOINT is set to: "http://127.0.0.1:PORT". */
  readonly endpoint: string;
  /** Every request, in order, with the status it got. */
  readonly requests: HubRequest[];
  /** Repo-relative files downloaded whole so far from `repo` (200s to GETs), e.g. `onnx/model.onnx`. */
  served(repo: string): string[];
  /** The next whole download of `repo`'s `file` sends half its bytes, then waits for release(). */
  hold(repo: string, file: string): HeldFile;
  close(): Promise<void>;
}

const RESOLVE = /^\/([\w.-]+\/[\w.-]+)\/resolve\/main\/(.+)$/;

/** Serves `repos` (Hub id → local folder) on 127.0.0.1; anything else is a 404. */
export async function startHubServer(repos: Record<string, string>): Promise<HubServer> {
  const requests: HubRequest[] = [];
  const holds = new Map<string, { half: () => void; released: Promise<void> }>();
  const server = createServer((req, res) => {
    const status = serve(req, res, repos, holds);
    const range = req.headers.range;
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(range ? { range } : {}), status });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    served: (repo) =>
      requests.filter((r) => r.status === 200 && r.method === 'GET' && r.path.startsWith(`/${repo}/resolve/main/`)).map((r) => r.path.slice(`/${repo}/resolve/main/`.length)),
    hold: (repo, file) => {
      let half!: () => void;
      let release!: () => void;
      const halfSent = new Promise<void>((r) => (half = r));
      const released = new Promise<void>((r) => (release = r));
      holds.set(`${repo}/${file}`, { half, released });
      return { halfSent, release };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers one request; returns its status. */
function serve(req: IncomingMessage, res: ServerResponse, repos: Record<string, string>, holds: Map<string, { half: () => void; released: Promise<void> }>): number {
  const match = RESOLVE.exec(decodeURIComponent((req.url ?? '').split('?')[0]));
  const dir = match ? repos[match[1]] : undefined;
  const file = dir && match ? path.join(dir, match[2]) : undefined;
  const ok = file !== undefined && !match![2].split('/').includes('..') && isFile(file);
  if (!ok || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
    return 404;
  }
  const body = readFileSync(file);
  if (sendRange(req, res, body)) return 206;
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'accept-ranges': 'bytes' });
  if (req.method === 'HEAD') {
    res.end();
    return 200;
  }
  const key = `${match![1]}/${match![2]}`;
  const hold = holds.get(key);
  if (!hold) {
    res.end(body);
    return 200;
  }
  holds.delete(key);
  const cut = Math.floor(body.length / 2);
  res.write(body.subarray(0, cut), () => hold.half());
  void hold.released.then(() => res.end(body.subarray(cut)));
  return 200;
}

/** One byte range (`bytes=A-B` or `bytes=A-`), answered as the Hub does: 206 with the file's size in content-range. */
function sendRange(req: IncomingMessage, res: ServerResponse, body: Buffer): boolean {
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  if (!range || Number(range[1]) >= body.length) return false;
  const start = Number(range[1]);
  const end = Math.min(body.length - 1, range[2] ? Number(range[2]) : body.length - 1);
  const part = body.subarray(start, end + 1);
  res.writeHead(206, { 'content-type': 'application/octet-stream', 'content-length': String(part.length), 'content-range': `bytes ${start}-${end}/${body.length}` });
  res.end(req.method === 'HEAD' ? undefined : part);
  return true;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
