/**
 * Wires a model worker to its client: every event goes to the request it names, and a worker
 * that dies (an uncaught error, a message that cannot be read) is reported as a crash, which the
 * client answers by failing what was in flight and starting afresh.
 */
export function listenToWorker<E extends { id: string }>(worker: Worker, onEvent: (event: E) => void, onCrash: (reason: string) => void): void {
  worker.addEventListener('message', (message: MessageEvent<E>) => onEvent(message.data));
  worker.addEventListener('error', (event: ErrorEvent) => {
    event.preventDefault();
    onCrash(event.message || 'it stopped unexpectedly');
  });
  worker.addEventListener('messageerror', () => onCrash('it sent a message that could not be read'));
}
