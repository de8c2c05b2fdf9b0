/**
 * What the site's first load weighs, and the budget it must fit: its script and stylesheet
 * together, gzipped, at most 300 kB (the same aim as the live page's, bench/page-weight.ts).
 * Fonts are apart: a browser fetches only the faces the slides show (the single file's
 * inlined fonts are measured apart too).
 */
import { compress } from '../build-client.ts';

export const SITE_BUDGET_GZIP_BYTES = 300_000;

export interface SiteSizes {
  readonly jsRaw: number;
  readonly jsGzip: number;
  /** Without inlined fonts. */
  readonly cssRaw: number;
  readonly cssGzip: number;
  /** Every font, as files or inlined. */
  readonly fontsRaw: number;
}

/** A font inlined into CSS: its `data:` URL. */
const INLINED_FONT_URL = /url\(\s*(['"]?)data:(?:font\/|application\/(?:x-)?font-)[^)'"]*\1\s*\)/gi;

export async function measureSite(script: Uint8Array, style: Uint8Array, fontFiles: readonly Uint8Array[]): Promise<SiteSizes> {
  const css = Buffer.from(style).toString('utf8');
  const withoutFonts = Buffer.from(css.replace(INLINED_FONT_URL, 'url()'));
  const inlinedFonts = Buffer.byteLength(css) - withoutFonts.length;
  return {
    jsRaw: script.byteLength,
    jsGzip: (await compress.gzip(Buffer.from(script))).length,
    cssRaw: withoutFonts.length,
    cssGzip: (await compress.gzip(withoutFonts)).length,
    fontsRaw: inlinedFonts + fontFiles.reduce((total, font) => total + font.byteLength, 0),
  };
}

/** Throws, with the sizes, when script and stylesheet together exceed `budgetGzipBytes` gzipped. */
export function checkBudget(sizes: SiteSizes, budgetGzipBytes: number = SITE_BUDGET_GZIP_BYTES): void {
  const total = sizes.jsGzip + sizes.cssGzip;
  if (total > budgetGzipBytes) {
    throw new Error(`the site's first load is ${kB(total)} gzipped (JS ${kB(sizes.jsGzip)} + CSS ${kB(sizes.cssGzip)}), over its budget of ${kB(budgetGzipBytes)}`);
  }
}

export function describeSizes(sizes: SiteSizes, budgetGzipBytes: number = SITE_BUDGET_GZIP_BYTES): string {
  return [
    `JS   ${kB(sizes.jsRaw).padStart(9)}  gzip ${kB(sizes.jsGzip).padStart(9)}`,
    `CSS  ${kB(sizes.cssRaw).padStart(9)}  gzip ${kB(sizes.cssGzip).padStart(9)}`,
    `JS + CSS gzip ${kB(sizes.jsGzip + sizes.cssGzip)} of a ${kB(budgetGzipBytes)} budget; fonts ${kB(sizes.fontsRaw)} apart`,
  ].join('\n');
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
