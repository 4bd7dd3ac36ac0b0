import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  parseSettingText,
  SETTING_LIST,
  settingOf,
  usedBy,
  validateConfig,
} from './config';
import { EngineConfigSchema, PartialConfigSchema } from './configSchemas';
import { SessionConfigSchema } from './session';

/** Any value a setting could be sent: in range, out of range, the wrong type. */
const anyValue = fc.oneof(fc.integer({ min: -10, max: 5000 }), fc.double({ min: -1, max: 2, noNaN: true }), fc.boolean(), fc.constantFrom('sliding', 'hybrid', 'nope', ''), fc.record({ importance: fc.double({ min: -1, max: 2, noNaN: true }), uniqueness: fc.constantFrom(0, 0.3), recency: fc.constantFrom(0, 1) }));

describe('settings catalog', () => {
  it('has valid defaults, one flag per setting, and help for each', () => {
    expect(validateConfig(DEFAULT_CONFIG)).toEqual([]);
    expect(new Set(SETTING_LIST.map((s) => s.flag)).size).toBe(SETTING_LIST.length);
    for (const s of SETTING_LIST) expect(s.help.length).toBeGreaterThan(0);
  });

  it('says which policies read which settings', () => {
    const own = (policy: string) => SETTING_LIST.filter((s) => s.usedBy && usedBy(s, policy)).map((s) => s.name);
    expect(own('hybrid')).toEqual(['probes', 'weights']);
    expect(own('rolling_summary')).toEqual(['summaryInterval', 'summaryGate']);
    expect(own('sliding')).toEqual([]);
    expect(usedBy(settingOf('maxTokens'), 'sliding')).toBe(true);
  });

  it('the zod schemas (protocol, session) accept exactly what the one validation accepts', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SETTING_LIST.map((s) => s.name)), anyValue, (name, value) => {
        const config = { ...DEFAULT_CONFIG, [name]: value };
        const problems = validateConfig(config);
        expect(EngineConfigSchema.safeParse(config).success).toBe(problems.length === 0);
        expect(PartialConfigSchema.safeParse({ [name]: value }).success).toBe(validateConfig({ [name]: value }).length === 0);
        expect(SessionConfigSchema.safeParse({ ...config, tokenizer: 'qwen3' }).success).toBe(problems.length === 0);
        if (problems.length > 0) {
          const issue = EngineConfigSchema.safeParse(config).error!.issues[0];
          expect(issue.message).toBe(problems[0].message);
          expect(problems[0].field).toBe(issue.path[0]);
        }
      }),
    );
  });

  it('names the field of every problem, in the catalog words', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG, maxTokens: 8 })).toEqual([{ field: 'maxTokens', message: 'max tokens must be a whole number >= 16 (got 8)' }]);
    expect(validateConfig({ ...DEFAULT_CONFIG, window: 4096 })).toEqual([{ field: 'window', message: 'window (4096) must be smaller than max tokens (2048)' }]);
    expect(validateConfig({ policy: 'nope' })[0].message).toBe('unknown policy "nope" (available: sliding, salience, importance, semantic, rolling_summary, hybrid)');
    expect(validateConfig({ weights: { importance: 0, uniqueness: 0, recency: 0 } })[0]).toMatchObject({ field: 'weights', message: expect.stringMatching(/not all 0/) });
    expect(validateConfig({ recallShare: 0 })[0].field).toBe('recallShare');
  });

  it('reads flag and form text by kind', () => {
    expect(parseSettingText(settingOf('recall'), 'off')).toEqual({ value: false });
    expect(parseSettingText(settingOf('maxTokens'), '2.5')).toEqual({ message: 'max tokens must be a whole number >= 16 (got "2.5")' });
    expect(parseSettingText(settingOf('summaryGate'), '.5')).toEqual({ value: 0.5 });
    expect(parseSettingText(settingOf('weights'), '1,0,0.5')).toEqual({ value: { importance: 1, uniqueness: 0, recency: 0.5 } });
    expect(parseSettingText(settingOf('weights'), '1,0')).toHaveProperty('message');
  });
});
