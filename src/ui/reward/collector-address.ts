/** The collector address as Settings edits it: the same one Donate uses, saved by the donation store. */
export interface CollectorAddress {
  endpoint: string;
  /** Saves a new address; resolves to a message when it is not acceptable. */
  save: (url: string) => Promise<string | null>;
}
