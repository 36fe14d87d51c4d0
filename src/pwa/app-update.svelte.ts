/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker's state as the UI needs it: whether the app is ready offline, and whether
 * a new version is waiting for the user to accept it.
 */
export class AppUpdate {
  offlineReady = $state(false);
  updateWaiting = $state(false);
  error = $state<string | null>(null);
  private activate: ((reloadPage?: boolean) => Promise<void>) | null = null;

  register(): void {
    if (!('serviceWorker' in navigator)) return;
    this.activate = registerSW({
      immediate: true,
      onOfflineReady: () => (this.offlineReady = true),
      onNeedRefresh: () => (this.updateWaiting = true),
      onRegisterError: (error: unknown) => {
        this.error = `Offline use is not available: the service worker failed to register (${String(error)}). The app still works while online.`;
      },
    });
  }

  /** Activates the waiting version; the page reloads once it has taken over. */
  async reloadToUpdate(): Promise<void> {
    this.updateWaiting = false;
    await this.activate?.(true);
  }
}
