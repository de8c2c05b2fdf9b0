/**
 * `![caption](qr:https://…)` in a slide → a QR code of the URL as an inline SVG, made here at
 * render time (uqr, on the server only): the page fetches nothing and carries no QR library,
 * and the code works offline, in the hosted site and in the PDF alike.
 */
import type { MarkdownIt } from 'markdown-it';
import { encode } from 'uqr';
import { escapeHtml } from '../escape-html.ts';

/** The scheme that asks for a QR code instead of an image. */
export const QR_SCHEME = 'qr:';

/** Whether an image URL asks for a QR code. */
export function isQrUrl(url: string): boolean {
  return url.trimStart().toLowerCase().startsWith(QR_SCHEME);
}

/** What a `qr:` URL encodes: the text after the scheme, as the speaker wrote it (Markdown's percent-encoding undone). */
export function qrTarget(url: string): string {
  const target = url.trim().slice(QR_SCHEME.length);
  try {
    return decodeURI(target);
  } catch {
    return target;
  }
}

/**
 * A figure (spans) with the QR code of `target`, `caption` and the address under it. Dark
 * modules on a light ground with the standard quiet zone of 4 modules, so any phone reads it
 * off a projector; one path, so a code of a long URL stays a few kilobytes.
 */
export function renderQrFigure(target: string, caption: string): string {
  const { data, size } = encode(target, { ecc: 'M', border: 4 });
  const path: string[] = [];
  data.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < size && row[x]) x += 1;
      path.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
    }
  });
  const label = caption === '' ? `QR code: ${target}` : `${caption} (QR code: ${target})`;
  const svg =
    `<svg class="qr-code" viewBox="0 0 ${size} ${size}" role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path.join('')}"/></svg>`;
  const captionHtml = caption === '' ? '' : `<span class="qr-caption">${escapeHtml(caption)}</span>`;
  // The address in words too, for whoever cannot scan: without the scheme, as people type it.
  const address = `<span class="qr-url">${escapeHtml(target.replace(/^https?:\/\//i, ''))}</span>`;
  // Spans, not <figure>: Markdown puts an image inside a paragraph, where a figure is not allowed.
  return `<span class="qr" role="figure" data-qr="${escapeHtml(target)}">${svg}${captionHtml}${address}</span>`;
}

/** Makes `md` render an image whose URL is `qr:…` as the QR figure of what follows the scheme. */
export function addQrImages(md: MarkdownIt): MarkdownIt {
  const image = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const src = token?.attrGet('src');
    if (token === undefined || typeof src !== 'string' || !isQrUrl(src)) {
      return image ? image(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
    }
    return renderQrFigure(qrTarget(src), self.renderInlineAsText(token.children ?? [], options, env));
  };
  return md;
}
