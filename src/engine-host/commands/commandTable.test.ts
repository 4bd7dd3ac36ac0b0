import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES } from '../../shared/protocol.js';
import { COMMANDS } from './index.js';

describe('command table', () => {
  it('handles exactly the command types the protocol schema accepts', () => {
    // the type checker refuses a missing handler; a handler spread in for a command with no schema would only show here
    expect(Object.keys(COMMANDS).sort()).toEqual([...COMMAND_TYPES].sort());
  });
});
