import type { BackendPreference, SamplingSettings } from '../../workers/shared/protocol';
import type { ChatDb } from './db';

export interface SafetyGateSettings {
  /** Off only on the user's explicit choice (the settings warn about it). */
  enabled: boolean;
  /** Unsafe probability at or above which a user turn or a reply is flagged, 0..1. */
  threshold: number;
}

export interface AppSettings {
  backend: BackendPreference;
  sampling: SamplingSettings;
  systemPrompt: string;
  /** Replies sampled per turn; the reward model picks the best safe one (1 = no choice). */
  bestOfN: number;
  safetyGate: SafetyGateSettings;
  /** Which sentence encoder and safety classifier the reward worker loads (catalog ids). */
  rewardModels: { encoderId: string; safetyId: string };
  /** Models (by id) whose note under the status line the user closed; it stays closed. */
  dismissedModelNotes: string[];
  /** "Let the model write titles": after the first reply a real (not demo) model names the conversation. Off by default. */
  modelTitles: boolean;
  /** The personal generation adapter learns from ratings and shapes replies (issue 18); local only. */
  learnFromFeedback: boolean;
}

export const MAX_BEST_OF_N = 8;

export const DEFAULT_SETTINGS: AppSettings = {
  backend: 'auto',
  sampling: { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: 256, repetitionPenalty: 1.1 },
  systemPrompt: 'You are a helpful, friendly assistant.',
  bestOfN: 1,
  safetyGate: { enabled: true, threshold: 0.5 },
  rewardModels: { encoderId: 'demo-encoder-tiny', safetyId: 'demo-safety-tiny' },
  dismissedModelNotes: [],
  modelTitles: false,
  learnFromFeedback: true,
};

/** The settings store's key for these settings. */
export const APP_SETTINGS_KEY = 'app';

/** Stored settings merged over the defaults, so a setting added later gets its default. */
export async function loadSettings(db: ChatDb): Promise<AppSettings> {
  const stored = (await db.get('settings', APP_SETTINGS_KEY)) as Partial<AppSettings> | undefined;
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    sampling: { ...DEFAULT_SETTINGS.sampling, ...stored?.sampling },
    safetyGate: { ...DEFAULT_SETTINGS.safetyGate, ...stored?.safetyGate },
    rewardModels: { ...DEFAULT_SETTINGS.rewardModels, ...stored?.rewardModels },
  };
}

export async function saveSettings(db: ChatDb, settings: AppSettings): Promise<void> {
  await db.put('settings', settings, APP_SETTINGS_KEY);
}
