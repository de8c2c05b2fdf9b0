import MarkdownIt from 'markdown-it';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { addQrImages, isQrUrl, qrTarget, renderQrFigure } from '../../server/deck/qr-code.ts';
import { isRemoteUrl, scanRemoteResources } from '../../server/deck/remote-resources.ts';

const URL = 'https://sschwarzer.com/talks/concurrency-in-python/';

/** The dark modules an SVG's path draws, as a matrix of its viewBox's size. */
function modulesOf(svg: string): boolean[][] {
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  const d = /<path fill="#000" d="([^"]*)"/.exec(svg)?.[1] ?? '';
  for (const [, x, y, width] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(width); i++) grid[Number(y)]![Number(x) + i] = true;
  }
  return grid;
}

describe('QR codes', () => {
  it('draws exactly the modules of the QR code of the URL, with a quiet zone of 4', () => {
    const figure = renderQrFigure(URL, 'Slides and demos');
    const expected = encode(URL, { ecc: 'M', border: 4 });
    expect(modulesOf(figure)).toEqual(expected.data);
    // The quiet zone is light, and the top-left finder pattern starts right after it.
    expect(modulesOf(figure)[3]?.slice(0, 11)).toEqual(Array.from({ length: 11 }, () => false));
    expect(modulesOf(figure)[4]?.slice(4, 11)).toEqual(Array.from({ length: 7 }, () => true));
  });

  it('makes a figure with the caption and the address, escaped, and a label for screen readers', () => {
    const figure = renderQrFigure('https://example.org/?a=1&b=<2>', 'Talk & "demos"');
    expect(figure).toMatch(/^<span class="qr" role="figure" data-qr="https:\/\/example\.org\/\?a=1&#38;b=&#60;2&#62;"><svg class="qr-code" viewBox="0 0 \d+ \d+" role="img" aria-label="Talk &#38; &#34;demos&#34; \(QR code: https:\/\/example\.org\/\?a=1&#38;b=&#60;2&#62;\)"/);
    expect(figure).toContain('<span class="qr-caption">Talk &#38; &#34;demos&#34;</span><span class="qr-url">example.org/?a=1&#38;b=&#60;2&#62;</span></span>');
    expect(renderQrFigure(URL, '')).not.toContain('qr-caption');
  });

  it('turns a qr: image in Markdown into the figure, inline in its paragraph, and leaves other images alone', () => {
    const md = addQrImages(new MarkdownIt());
    const html = md.render(`Scan: ![Slides and demos](qr:${URL})\n\n![logo](logo.png)`);
    expect(html).toContain(`<p>Scan: ${renderQrFigure(URL, 'Slides and demos')}</p>`);
    expect(html).toContain('<img src="logo.png" alt="logo">');
    expect(html).not.toContain('src="qr:');
  });

  it('encodes the URL as written, undoing Markdown\'s percent-encoding', () => {
    expect(qrTarget('qr:https://example.org/%C3%A4?q=a%20b')).toBe('https://example.org/ä?q=a b');
    expect(qrTarget('qr:https://example.org/100%')).toBe('https://example.org/100%');
    expect(isQrUrl(' QR:https://x')).toBe(true);
    expect(isQrUrl('https://x/qr:')).toBe(false);
  });

  it('is not a remote resource: nothing is fetched, so no opt-in is needed', () => {
    expect(isRemoteUrl(`qr:${URL}`)).toBe(false);
    expect(isRemoteUrl('qr://example.org/')).toBe(false);
    const md = new MarkdownIt();
    expect(scanRemoteResources(md.parse(`![Slides](qr:${URL})`, {}), false)).toEqual([]);
  });
});
