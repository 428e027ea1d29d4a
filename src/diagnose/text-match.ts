/** Lower-case words without punctuation. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s']/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

/**
 * Fraction of the expected words (ignoring very short function words) that appear in the heard
 * text — a forgiving recall measure, robust to ASR spelling and word order.
 */
export function wordRecall(expected: string, heard: string): number {
  const want = words(expected).filter((w) => w.length > 2);
  if (want.length === 0) return 0;
  const have = new Set(words(heard));
  return want.filter((w) => have.has(w)).length / want.length;
}
