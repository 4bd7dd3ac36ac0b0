import { DEFAULT_CONFIG } from '../config.js';
import { PROTOCOL_VERSION, ViewSnapshotSchema, type EventBatch, type HostEvent } from '../protocol.js';
import { emptySnapshot, toSnapshot } from '../view/snapshot.js';
import type { ViewModel } from '../view/viewModel.js';

/** Events and batches for the view reducers' tests. */
export const session = { title: 't', messages: 0, config: DEFAULT_CONFIG, tokenizer: 'qwen3' };

/** A hello's answer carrying `snapshot` (a client that connected late, or again). */
export const hello = (snapshot = emptySnapshot()): HostEvent => ({ type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'h', session, snapshot, backend: { kind: 'none' } });

export const loaded = (reason: Extract<HostEvent, { type: 'sessionLoaded' }>['reason']): HostEvent => ({ type: 'sessionLoaded', session, messages: [], reason });

export const batch = (events: HostEvent[], seq = 0, sentAt = 0): EventBatch => ({ type: 'batch', seq, events, merged: 0, sentAt });

/** The hello a client that connects now gets from `model`: its snapshot checked by the schema and structured-cloned, as sent. */
export const helloFrom = (model: ViewModel): HostEvent => hello(structuredClone(ViewSnapshotSchema.parse(toSnapshot(model).snapshot)));
