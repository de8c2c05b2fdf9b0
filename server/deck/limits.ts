/** What a slide may ask of a demo: the deck's rules, checked by the parser (not by the wire protocol). */
export const DEMO_LIMITS = {
  /** Longest time limit a slide may set (`timeout=`). */
  maxTimeoutMs: 10 * 60_000,
  /** Largest output limit a slide may set (`max-output=`). */
  maxOutputBytes: 512 * 1024 * 1024,
} as const;
