import { ROLES, type RoleBreakdown } from '../shared/protocol.js';
import type { TemplateOverhead } from './ledger.js';
import type { Tokenizer } from './tokenizer.js';

const PROBE = 'The probe sentence has 7 words.';

/**
 * Measures, once per tokenizer, how many tokens the chat template adds around one message of each
 * role and for the generation prompt. The ledger uses these to keep the rendered prompt, not just
 * the message contents, under the budget.
 */
export function measureTemplateOverhead(tokenizer: Tokenizer): TemplateOverhead {
  const content = tokenizer.encode(PROBE).length;
  const perRole = {} as RoleBreakdown;
  for (const role of ROLES) {
    const rendered = tokenizer.renderChat([{ role, content: PROBE }], false);
    perRole[role] = Math.max(0, tokenizer.countTokens(rendered) - content);
  }
  const user = [{ role: 'user' as const, content: PROBE }];
  const generationPrompt = Math.max(
    0,
    tokenizer.countTokens(tokenizer.renderChat(user, true)) - tokenizer.countTokens(tokenizer.renderChat(user, false)),
  );
  const withReply = [...user, { role: 'assistant' as const, content: PROBE }];
  const trailingAssistant = Math.max(
    0,
    tokenizer.countTokens(tokenizer.renderChat(withReply, false)) -
      tokenizer.countTokens(tokenizer.renderChat(user, false)) -
      content -
      perRole.assistant,
  );
  return { perRole, generationPrompt, trailingAssistant };
}
