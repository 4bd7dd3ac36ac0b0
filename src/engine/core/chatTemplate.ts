import type { RoleBreakdown } from '../../shared/protocol.js';
import { ROLES } from '../../shared/roles.js';
import type { TemplateOverhead } from './ledger.js';
import type { Tokenizer } from './tokenizer.js';

const PROBE = 'The probe sentence has 7 words.';
/**
 * Contents that end differently: where the template puts text right after a message (Qwen3's
 * "\n</tool_response>"), the boundary can merge into one token or not, so the overhead is the
 * largest seen over these.
 */
const PROBES = [PROBE, 'Is this a question?', 'it ends with a word', 'the number 42', 'a closing (paren)', 'quoted "end"', 'trailing space ', 'line\n'];

/**
 * Measures, once per tokenizer, how many tokens the chat template adds around one message of each
 * role and for the generation prompt. The ledger uses these to keep the rendered prompt, not just
 * the message contents, under the budget.
 */
export function measureTemplateOverhead(tokenizer: Tokenizer): TemplateOverhead {
  const content = tokenizer.encode(PROBE).length;
  const perRole = {} as RoleBreakdown;
  for (const role of ROLES) {
    perRole[role] = 0;
    for (const probe of PROBES) {
      const rendered = tokenizer.renderChat([{ role, content: probe }], false);
      perRole[role] = Math.max(perRole[role], tokenizer.countTokens(rendered) - tokenizer.encode(probe).length);
    }
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
