/**
 * The settings of one cenv as the admin API shows them (`GET /{cenv}/admin/config`): every
 * key of the registry with the value in force, the server's value, where the value came
 * from, and what may be set on this server (bounds with the environment's ceiling applied).
 */
import {
  integerRange, isSettingKey, settingSpec, storedValue, SETTING_KEYS,
  type ConfigRow, type ServerSettings, type SettingKey, type SettingSource, type SettingSpec, type SettingValue,
} from './settings.ts';

/** One key as the admin API describes it. */
export interface SettingDescription {
  key: SettingKey;
  value: SettingValue;
  default: SettingValue;
  source: SettingSource;
  type: SettingSpec['type'];
  min?: number;
  max?: number;
  /** For limits where 0 turns the limit off. */
  zero_means?: 'no limit';
  env?: string;
  env_role?: 'default' | 'ceiling';
  description: string;
}

/**
 * Every key with its value, default and where the value came from.
 * @example describeSettings(rows, server).find((d) => d.key === 'max_rows')!.source // 'cenv'
 */
export function describeSettings(rows: readonly ConfigRow[], server: ServerSettings): SettingDescription[] {
  const stored = new Map<string, SettingValue>();
  for (const row of rows) {
    if (!isSettingKey(row.key)) continue;
    const value = storedValue(row, server);
    if (value !== undefined) stored.set(row.key, value);
  }
  return SETTING_KEYS.map((key) => {
    const s = settingSpec(key);
    const own = stored.get(key);
    const range = s.type === 'integer' ? integerRange(key, server) : null;
    return {
      key,
      value: own ?? server[key].value,
      default: server[key].value,
      source: own !== undefined ? 'cenv' : server[key].source,
      type: s.type,
      ...(range ? { min: range.min, max: range.max } : {}),
      ...(s.type === 'integer' && s.zeroIsUnlimited ? { zero_means: 'no limit' as const } : {}),
      ...(s.env ? { env: s.env.name, env_role: s.env.role } : {}),
      description: s.description,
    };
  });
}
