/** What ChatStore.candidateProgress holds while N>1 candidates are written in one go. */
export interface CandidateProgressInfo {
  /** Tokens written so far, summed over the candidates. */
  tokens: number;
  maxTokens: number;
  /** How many candidates are being written. */
  count: number;
}
