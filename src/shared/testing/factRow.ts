import type { FactRow } from '../protocol.js';

/** A fact row for tests: the user's locker code, restated (7731 after 5521), in the context; `over` changes any field. */
export const factRow = (over: Partial<FactRow> = {}): FactRow => ({
  id: 7,
  holder: 'user',
  attribute: 'locker code',
  label: 'my locker code',
  value: '7731',
  messageId: 12,
  turn: 6,
  from: 0,
  to: 9,
  startPos: 120,
  text: 'Update: my locker code is now 7731.',
  state: 'context',
  pinned: false,
  source: 'rules',
  history: [{ id: 3, value: '5521', messageId: 4, turn: 2 }],
  ...over,
});
