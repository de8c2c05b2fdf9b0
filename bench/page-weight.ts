/**
 * What a browser downloads before the deck can start: the script and stylesheet the built
 * client's manifest names (the two files server/page.ts links), in the bytes the server
 * sends for each coding, against the aim for their gzip total. The fonts the stylesheet
 * references are listed too, outside the aim: a browser fetches only the faces the shown
 * text uses. Reads `dist/client` as built (`npm run bench` builds first); builds nothing.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { CODINGS, readManifest, type Coding } from '../server/assets.ts';
import { defaultConfig } from '../server/config.ts';

/** Script plus stylesheet, gzip, at most. */
export const PAGE_WEIGHT_AIM_GZIP_BYTES = 300_000;

export interface FileWeight {
  /** Its name under `/assets`. */
  readonly file: string;
  readonly role: 'script' | 'style' | 'font';
  /** As built, and as sent to a browser that accepts gzip, or brotli (the file itself where the build kept no smaller copy). */
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly brotliBytes: number;
}

export async function measurePageWeight(clientDir: string = defaultConfig.clientDir): Promise<FileWeight[]> {
  const manifest = readManifest(clientDir);
  const fonts = Object.keys(manifest.files).filter((name) => /\.(?:woff2?|ttf|otf|eot)$/.test(name));
  const roles = [
    [manifest.script, 'script'],
    [manifest.style, 'style'],
    ...fonts.map((name) => [name, 'font'] as const),
  ] as const;
  return Promise.all(
    roles.map(async ([file, role]) => {
      const codings = manifest.files[file]?.codings ?? [];
      const size = async (coding: Coding | null): Promise<number> =>
        (await stat(path.join(clientDir, coding !== null && codings.includes(coding) ? `${file}${CODINGS[coding]}` : file))).size;
      return { file, role, rawBytes: await size(null), gzipBytes: await size('gzip'), brotliBytes: await size('br') };
    }),
  );
}

/** The script and the stylesheet: what the aim is about. */
export function initialWeight(files: readonly FileWeight[]): { rawBytes: number; gzipBytes: number; brotliBytes: number } {
  const initial = files.filter((f) => f.role !== 'font');
  const sum = (pick: (f: FileWeight) => number): number => initial.reduce((total, f) => total + pick(f), 0);
  return { rawBytes: sum((f) => f.rawBytes), gzipBytes: sum((f) => f.gzipBytes), brotliBytes: sum((f) => f.brotliBytes) };
}

function pageWeightOk(files: readonly FileWeight[]): boolean {
  return initialWeight(files).gzipBytes <= PAGE_WEIGHT_AIM_GZIP_BYTES;
}

export function pageWeightTable(files: readonly FileWeight[]): string {
  const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;
  const total = initialWeight(files);
  const rows = [
    ...files.filter((f) => f.role !== 'font').map((f) => [`${f.role} ${f.file}`, kB(f.rawBytes), kB(f.gzipBytes), kB(f.brotliBytes), '', '']),
    ['script + style', kB(total.rawBytes), kB(total.gzipBytes), kB(total.brotliBytes), `gzip ≤ ${PAGE_WEIGHT_AIM_GZIP_BYTES / 1000} kB`, pageWeightOk(files) ? 'ok' : 'MISSED'],
    ...files.filter((f) => f.role === 'font').map((f) => [`font ${f.file}`, kB(f.rawBytes), kB(f.gzipBytes), kB(f.brotliBytes), 'outside the aim', '']),
  ];
  const header = ['file', 'raw', 'gzip', 'brotli', 'aim', 'ok?'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}
