/**
 * What an import will write, built record by record before the one write transaction: the
 * checked records by store, and what the user is told about records that were changed or left
 * out on the way (a backup never turns donation on, never queues a bundle).
 */

/** Something the import did differently from "copy the record", to be said after it. */
export type ImportNote =
  | { kind: 'unsent-donation' }
  | { kind: 'donation-kept-off' }
  | { kind: 'endpoint-suggested'; endpoint: string }
  | { kind: 'unused-record' };

export class ImportPlan {
  /** Store → key → checked value. Maps, so no name or key a file holds can reach an object's prototype. */
  readonly stores = new Map<string, Map<string, unknown>>();
  private readonly notes: ImportNote[] = [];

  /** Plans a record; a second one for the same key replaces the first (one write per key). */
  add(store: string, key: string, value: unknown): void {
    const records = this.stores.get(store) ?? new Map<string, unknown>();
    records.set(key, value);
    this.stores.set(store, records);
  }

  note(note: ImportNote): void {
    this.notes.push(note);
  }

  /** The notes in words, one sentence each, similar ones counted together. */
  describeNotes(): string[] {
    const counted = (kind: ImportNote['kind']) => this.notes.filter((n) => n.kind === kind).length;
    const said: string[] = [];
    if (counted('donation-kept-off') > 0) {
      said.push('A backup never turns donation on: donation stays as it was on this device, and only you can turn it on, on the donation page.');
    }
    const endpoints = [...new Set(this.notes.flatMap((n) => (n.kind === 'endpoint-suggested' ? [n.endpoint] : [])))];
    for (const endpoint of endpoints) {
      said.push(`The backup names the collector ${endpoint}. It is not used unless you choose it on the donation page.`);
    }
    const unsent = counted('unsent-donation');
    if (unsent > 0) {
      said.push(`${unsent === 1 ? '1 donation bundle' : `${unsent} donation bundles`} from the backup had not been sent and ${unsent === 1 ? 'was' : 'were'} left out: nothing from a backup is ever sent. To donate those conversations, prepare a new bundle on the donation page.`);
    }
    const unused = counted('unused-record');
    if (unused > 0) {
      said.push(`${unused === 1 ? '1 record' : `${unused} records`} that this version of the app does not use ${unused === 1 ? 'was' : 'were'} left out.`);
    }
    return said;
  }
}
