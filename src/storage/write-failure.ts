/**
 * A failed IndexedDB write in words a user can act on. The usual cause is a full quota: the
 * same origin holds the downloaded models, which can take gigabytes, so the fix is named.
 */
export function describeWriteFailure(error: unknown, what: string): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return `${what}: the browser’s storage for this app is full. Delete a downloaded model under Models, or free disk space, then try again.`;
  }
  if (name === 'InvalidStateError' || name === 'AbortError' || name === 'TransactionInactiveError') {
    return `${what}: the browser closed the app’s database (another tab may be upgrading it). Reload the page to reconnect.`;
  }
  return `${what} (${error instanceof Error ? error.message : String(error)}).`;
}
