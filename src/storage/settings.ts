import type { BackendPreference, SamplingSettings } from '../../workers/protocol';
import type { ChatDb } from './db';

export interface AppSettings {
  backend: BackendPreference;
  sampling: SamplingSettings;
  systemPrompt: string;
}

export const DEFAULT_SETTINGS: AppSettings = {
  backend: 'auto',
  sampling: { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: 256, repetitionPenalty: 1.1 },
  systemPrompt: 'You are a helpful, friendly assistant.',
};

const KEY = 'app';

/** Stored settings merged over the defaults, so a setting added later gets its default. */
export async function loadSettings(db: ChatDb): Promise<AppSettings> {
  const stored = (await db.get('settings', KEY)) as Partial<AppSettings> | undefined;
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    sampling: { ...DEFAULT_SETTINGS.sampling, ...stored?.sampling },
  };
}

export async function saveSettings(db: ChatDb, settings: AppSettings): Promise<void> {
  await db.put('settings', settings, KEY);
}
