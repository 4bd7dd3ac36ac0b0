/** The extractor's types (extract.ts re-exports them), apart so its readers can share them without an import cycle. */
import type { ValueKind } from './extractValue.js';

export type FactRole = 'user' | 'assistant' | 'system' | 'tool';

export interface FactStatement {
  /** 'user' (the user's own fact), 'assistant' (the assistant's own), or a named person as written ("Priya Raman"). */
  holder: string;
  /** Normalized key: lower case, possessive/articles/"my" stripped, whitespace collapsed: "locker code", "city", "name". */
  attribute: string;
  /** The writer's own words for holder + attribute, as a card label: "my locker code", "Priya Raman's badge number", "home city". */
  label: string;
  /** The value as written (quotes kept if written: "\"Amber Falcon\""), trimmed of trailing punctuation. */
  value: string;
  /** Phrased as a change of an earlier value: "update:", "actually", "now", "changed to", "moved to", "switched to", "new ... is", "no longer". */
  update: boolean;
  /** "no longer …", "not … anymore": the old value stops being true; value is what it no longer is ('' if none). */
  retracts: boolean;
  /** The writer asked for it to be kept: "remember", "for the record", "note that", "don't forget". */
  cue: boolean;
  /** Optional: the value's shape (extractValue.ts), e.g. to format a card. */
  valueKind?: ValueKind;
}
