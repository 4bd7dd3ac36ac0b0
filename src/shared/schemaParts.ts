/** Small zod building blocks shared by the protocol's schemas. */
import { z } from 'zod';

/** Integers; `count` is a non-negative one (tokens, positions, ids, sequence numbers). */
export const int = () => z.int();
export const count = () => z.int().min(0);
/** Ids, names and handles are short: a client cannot make the host hold a megabyte id. */
export const id = () => z.string().min(1).max(200);
export const name = () => z.string().max(1000);
/** An opaque file handle granted by the host's parent (Electron main), never a path. */
export const handle = () => z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'not a file handle');
export const profileFormat = () => z.enum(['speedscope', 'chrome']);
