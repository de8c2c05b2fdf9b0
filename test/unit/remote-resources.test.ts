import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { isRemoteUrl, NOT_OPTED_IN, scanRemoteResources } from '../../server/deck/remote-resources.ts';

const md = new MarkdownIt({ html: true });

/** Scans `markdown` as the renderer does; `found` lines are 1-based here, for reading. */
function scan(markdown: string, allowRemote = false): { found: { line: number; via: string; url: string; blocked: string | null }[]; html: string } {
  const tokens = md.parse(markdown, {});
  const found = scanRemoteResources(tokens, allowRemote).map((reference) => ({ ...reference, line: reference.line + 1 }));
  return { found, html: md.renderer.render(tokens, md.options, {}) };
}

/** `line via url` for each reference found. */
function listed(markdown: string, allowRemote = false): string[] {
  return scan(markdown, allowRemote).found.map(({ line, via, url }) => `${line} ${via} ${url}`);
}

describe('isRemoteUrl', () => {
  it.each(['https://a.example/x.png', 'http://a.example', '//cdn.example/x.png', ' \t//cdn.example/x', 'HTTPS://A.EXAMPLE', '\\\\evil.example/x', '/\\evil.example/x', 'https:evil.example/x', 'ftp://f.example', 'wss://w.example', 'git://g.example/x', 'ht\ttps://split.example'])(
    '%s is remote',
    (url) => {
      expect(isRemoteUrl(url)).toBe(true);
    },
  );

  it.each(['img/a.png', '/assets/a.png', './a.png', 'data:image/png;base64,AAAA', 'blob:abc', '#frag', 'mailto:a@b.example', '', 'a//b'])('%s is not', (url) => {
    expect(isRemoteUrl(url)).toBe(false);
  });
});

describe('scanRemoteResources', () => {
  it('finds Markdown images, on their own line within a paragraph, with the alt text kept in place', () => {
    const { found, html } = scan('# Title\n\nSome text\n![logo](https://example.com/logo.png) and ![](img/local.png)\nmore ![x](//cdn.example/x.png "t")');
    expect(found.map(({ line, via, url }) => [line, via, url])).toEqual([
      [4, '![](…)', 'https://example.com/logo.png'],
      [5, '![](…)', '//cdn.example/x.png'],
    ]);
    expect(found.every((f) => f.blocked === NOT_OPTED_IN)).toBe(true);
    expect(html).toContain('<img alt="logo" data-remote-src="https://example.com/logo.png">');
    expect(html).toContain('<img src="img/local.png" alt="">');
    expect(html).not.toMatch(/\ssrc="(https:)?\/\//);
  });

  it('finds every kind of raw HTML reference, and leaves plain links alone', () => {
    const markdown = [
      '<div>', //                                                                1
      '<img src="https://i.example/a.png" alt="a">', //                           2
      '<img src="x.png" srcset="x2.png 2x,', //                                   3
      '  https://i.example/x3.png 3x">', //                                       4
      '<picture><source srcset="https://i.example/p.webp"></picture>', //         5
      '<video poster="https://v.example/p.jpg" src="https://v.example/v.mp4">', // 6
      '  <source src="//v.example/v.webm"><track src="https://v.example/t.vtt">', // 7
      '</video>', //                                                              8
      "<audio src='https://a.example/a.mp3'></audio>", //                         9
      '<iframe src=https://www.youtube.com/embed/x></iframe>', //                 10
      '<link rel="stylesheet" href="https://fonts.example/f.css">', //            11
      '<a href="https://example.com/">a link</a>', //                             12
      '<svg><image href="https://s.example/i.svg"/><use xlink:href="https://s.example/u.svg#a"/></svg>', // 13
      '<object data="https://o.example/o.pdf"></object><embed src="https://o.example/e.swf">', // 14
      '<table background="https://t.example/bg.png"></table>', //                 15
      '</div>',
    ].join('\n');
    expect(listed(markdown)).toEqual([
      '2 <img src> https://i.example/a.png',
      '4 <img srcset> https://i.example/x3.png',
      '5 <source srcset> https://i.example/p.webp',
      '6 <video poster> https://v.example/p.jpg',
      '6 <video src> https://v.example/v.mp4',
      '7 <source src> //v.example/v.webm',
      '7 <track src> https://v.example/t.vtt',
      '9 <audio src> https://a.example/a.mp3',
      '10 <iframe src> https://www.youtube.com/embed/x',
      '11 <link href> https://fonts.example/f.css',
      '13 <image href> https://s.example/i.svg',
      '13 <use xlink:href> https://s.example/u.svg#a',
      '14 <object data> https://o.example/o.pdf',
      '14 <embed src> https://o.example/e.swf',
      '15 <table background> https://t.example/bg.png',
    ]);
    const { html } = scan(markdown);
    expect(html).toContain('<a href="https://example.com/">a link</a>');
    // Nothing left that a browser would fetch: only the link keeps a remote URL in a real attribute.
    expect(html.match(/(?<![\w:-])(src|srcset|href|poster|data|background|xlink:href)=["']?[^"'\s>]*\/\//g)).toEqual(['href="https://']);
    expect(html).toContain('<img data-remote-src="https://i.example/a.png" alt="a">');
    expect(html).toContain('<iframe data-remote-src=https://www.youtube.com/embed/x></iframe>');
  });

  it('finds CSS url() in style attributes and <style> blocks, also split over tokens, and disarms it', () => {
    const markdown = [
      '<div style="background: url(\'https://bg.example/a.jpg\') no-repeat; color: red">', // 1
      '', //                                                                                 2
      'text', //                                                                             3
      '', //                                                                                 4
      '</div>', //                                                                           5
      '', //                                                                                 6
      '<style>', //                                                                          7
      '@import "https://fonts.example/f.css";', //                                           8
      '.a { background-image: url(//c.example/a.png); }', //                                 9
      '@font-face { src: url("https://f.example/f.woff2") format("woff2"); }', //            10
      '.b { background-image: image-set("https://i.example/1.png" 1x, "https://i.example/2.png" 2x); }', // 11
      '.c { background: url(local.png); }', //                                               12
      '</style>', //                                                                         13
      '', //                                                                                 14
      'Inline <style>.z { background: url(https://z.example/z.png) }</style> after', //      15
    ].join('\n');
    expect(listed(markdown)).toEqual([
      '1 <div style> url() https://bg.example/a.jpg',
      '8 <style> @import https://fonts.example/f.css',
      '9 <style> url() //c.example/a.png',
      '10 <style> url() https://f.example/f.woff2',
      '11 <style> image-set() https://i.example/1.png',
      '11 <style> image-set() https://i.example/2.png',
      '15 <style> url() https://z.example/z.png',
    ]);
    const { html } = scan(markdown);
    expect(html).not.toMatch(/https?:\/\/|\/\/[a-z]/);
    expect(html).toContain('<div style="background: url(about:invalid) no-repeat; color: red">');
    expect(html).toContain('@import url(about:invalid);');
    expect(html).toContain('.c { background: url(local.png); }');
    expect(html).toContain('<style>.z { background: url(about:invalid) }</style>');
  });

  it('reads URLs as a browser would: character references, CSS escapes, tags without spaces', () => {
    const markdown = '<div>\n<img src="&#104;ttps://e.example/1.png">\n<img/src=//e.example/2.png>\n<p style="background:url(\\68 ttps://e.example/3.png)">\n</div>';
    expect(listed(markdown)).toEqual(['2 <img src> https://e.example/1.png', '3 <img src> //e.example/2.png', '4 <p style> url() https://e.example/3.png']);
    expect(scan(markdown).html).not.toMatch(/ src=|url\(\\68/);
  });

  it('finds what reveal.js loads itself: lazy data-src and data-srcset, a nested section’s backgrounds', () => {
    const markdown = '<div>\n<img data-src="https://r.example/lazy.png">\n<iframe data-src="https://r.example/"></iframe>\n<section data-background-image="https://r.example/bg.png" data-background-video="https://r.example/a.mp4,https://r.example/a.webm" data-background-iframe="https://r.example/f">\n</section>\n</div>';
    expect(listed(markdown)).toEqual([
      '2 <img data-src> https://r.example/lazy.png',
      '3 <iframe data-src> https://r.example/',
      '4 <section data-background-image> https://r.example/bg.png',
      '4 <section data-background-video> https://r.example/a.mp4',
      '4 <section data-background-video> https://r.example/a.webm',
      '4 <section data-background-iframe> https://r.example/f',
    ]);
    expect(scan(markdown).html).not.toMatch(/ data-(src|background-\w+)=/);
  });

  it('does not look inside code, comments or scripts’ text', () => {
    expect(listed('`<img src="https://a.example/x.png">`\n\n```html\n<img src="https://a.example/y.png">\n```\n\n<!-- <img src="https://a.example/z.png"> -->')).toEqual([]);
  });

  it('with the deck’s opt-in, keeps https: images, media, fonts and styles, and still blocks the rest', () => {
    const markdown = '![a](https://i.example/a.png)\n\n<div>\n<img src="//i.example/b.png">\n<iframe src="https://f.example/"></iframe>\n<script src="https://s.example/s.js"></script>\n<link rel="stylesheet" href="https://fonts.example/f.css">\n</div>';
    const { found, html } = scan(markdown, true);
    expect(found.map(({ line, via, blocked }) => [line, via, blocked === null ? 'loads' : blocked])).toEqual([
      [1, '![](…)', 'loads'],
      [4, '<img src>', 'only https: URLs load, even with `remote: allow`'],
      [5, '<iframe src>', 'frames, scripts and plugins never load from another host, even with `remote: allow`'],
      [6, '<script src>', 'frames, scripts and plugins never load from another host, even with `remote: allow`'],
      [7, '<link href>', 'loads'],
    ]);
    expect(html).toContain('<img src="https://i.example/a.png" alt="a">');
    expect(html).toContain('<img data-remote-src="//i.example/b.png">');
    expect(html).toContain('<iframe data-remote-src="https://f.example/">');
    expect(html).toContain('<link rel="stylesheet" href="https://fonts.example/f.css">');
  });
});
