/**
 * The number of pages of a PDF as chromium writes it: its page tree's root says how many
 * pages hang below it (`/Type /Pages … /Count n`), and every inner node counts fewer.
 */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString('latin1');
  let count = 0;
  for (const match of text.matchAll(/\/Type\s*\/Pages\b[^]*?\/Count\s+(\d+)/g)) count = Math.max(count, Number(match[1]));
  return count;
}
