/**
 * The records the training-data files hold (DESIGN §7), one JSON object per JSONL line. Field
 * names and order are part of the file format: `datasets.load_dataset("json", ...)` and TRL read
 * them as they are.
 */

export interface ChatTurnJson {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface AssistantTurnJson {
  role: 'assistant';
  content: string;
}

/** TRL KTO (unpaired preference) record. */
export interface KtoRecord {
  prompt: ChatTurnJson[];
  completion: [AssistantTurnJson];
  label: boolean;
}

/** TRL DPO (paired preference) record. */
export interface DpoRecord {
  prompt: ChatTurnJson[];
  chosen: [AssistantTurnJson];
  rejected: [AssistantTurnJson];
}

export interface Bb3xClassifierOutput {
  label: string;
  probability: number;
}

/** One message of BlenderBot 3x's release format (DESIGN §1). */
export interface Bb3xMessage {
  text: string;
  sender: 'bot' | 'human';
  isLiked: boolean;
  isDisliked: boolean;
  dislike_type: string | null;
  isSafetyControlledResponse: boolean;
  /** The reward head's verdict on a bot reply; null on a human turn or when not scored. */
  reward: Bb3xClassifierOutput | null;
  /** The safety classifier's verdict on a bot reply; null on a human turn or when not checked. */
  safety: Bb3xClassifierOutput | null;
}

export interface Bb3xRecord {
  conversation_id: string;
  user_id: string;
  message_history: Bb3xMessage[];
}
