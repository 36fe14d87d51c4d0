import type { ModelPhase } from '../inference/model-store.svelte';

/**
 * A message typed before the chat model is ready. Pressing Enter then used to do nothing; now the
 * message is held (one at a time) and sent by itself, through the same send as Enter, once the
 * model is ready and no reply is being started or written. It goes to the conversation shown at
 * that moment. A second Enter while one is held appends to it (a new paragraph), so nothing typed
 * is ever dropped and one message goes out. Cancel gives the text back to the composer.
 */
export interface PendingSendDeps {
  /** The chat model is loaded in this tab. */
  modelReady(): boolean;
  /** Nothing new may start now (a reply is being started or written, or the tab must reload). */
  chatBusy(): boolean;
  /** The normal send: saves the message and answers it; false when it was not accepted. */
  send(text: string): Promise<boolean>;
  /** A message that was taken from the composer but not sent goes back into it. */
  restore(text: string): void;
  /** The held text changed (null: nothing held), for the composer to show. */
  changed(text: string | null): void;
}

export class PendingSend {
  private held: string | null = null;
  /** A send this module started has not answered yet (it must not start a second one). */
  private sending = false;

  constructor(private readonly deps: PendingSendDeps) {}

  /** The message waiting for the model, or null. */
  get text(): string | null {
    return this.held;
  }

  /**
   * Enter in the composer. True when the text was taken (sent now or held): the composer clears
   * its draft. False when it was not (blank, or a reply is under way): the draft stays.
   */
  submit(text: string): boolean {
    if (!text.trim()) return false;
    if (this.held !== null) {
      this.hold(`${this.held.trimEnd()}\n\n${text.trim()}`);
      return true;
    }
    if (!this.deps.modelReady()) {
      this.hold(text);
      return true;
    }
    if (this.sending || this.deps.chatBusy()) return false;
    void this.sendNow(text);
    return true;
  }

  /** The model or the chat changed state: sends the held message if it can go now. */
  update(): void {
    const text = this.held;
    if (text === null || this.sending || !this.deps.modelReady() || this.deps.chatBusy()) return;
    // Cleared before the send starts, so a second update never sends it twice.
    this.hold(null);
    void this.sendNow(text);
  }

  /** Drops the held message and returns its text (null when nothing was held). */
  cancel(): string | null {
    const text = this.held;
    if (text !== null) this.hold(null);
    return text;
  }

  private hold(text: string | null): void {
    this.held = text;
    this.deps.changed(text);
  }

  private async sendNow(text: string): Promise<void> {
    this.sending = true;
    let sent = false;
    try {
      sent = await this.deps.send(text);
    } catch {
      sent = false;
    } finally {
      this.sending = false;
    }
    if (!sent) this.deps.restore(text);
  }
}

/**
 * What the composer says under a held message: the promise, and why it is still waiting when
 * that is news. The load error itself is shown by the model status; repeating it here would
 * fill a phone's screen.
 */
export function pendingNotice(phase: ModelPhase): { note: string; problem: string | null } {
  const note = 'Will send when the model is ready';
  switch (phase) {
    case 'error':
      return { note, problem: 'The model did not load, so this waits here. Load it again, or choose another model under Models.' };
    case 'elsewhere':
      return { note, problem: 'The model is in use in another tab. Choose “Use it here” to send it from this tab.' };
    default:
      return { note, problem: null };
  }
}
