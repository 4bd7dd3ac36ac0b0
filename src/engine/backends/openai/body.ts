/**
 * A response body as text, or undefined when it is longer than `maxBytes` (the rest is then not read and
 * the body is cancelled). `onChunk` is called as bytes arrive (an idle timer re-arms on it). Read errors
 * (socket closed, aborted) propagate.
 */
export async function readCappedText(body: ReadableStream<Uint8Array>, maxBytes: number, onChunk?: () => void): Promise<string | undefined> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      size += value.byteLength;
      if (size > maxBytes) return undefined;
      chunks.push(value);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder('utf-8').decode(all);
}
