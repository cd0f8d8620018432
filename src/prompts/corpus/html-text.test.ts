import { describe, expect, it } from 'vitest';
import { htmlText } from './html-text.js';

/** The raw text each occurrence of `word` in the extracted text maps back to. */
function rawOf(doc: string, word: string): string {
  const source = htmlText(doc);
  const at = source.text.indexOf(word);
  if (at < 0) throw new Error(`${word} not in ${JSON.stringify(source.text)}`);
  const span = source.toRaw(at, at + word.length);
  return doc.slice(span.start, span.end);
}

describe('htmlText', () => {
  it('extracts the text a loader indexes: blocks as paragraphs, inline text joined, whitespace collapsed', () => {
    const doc = `<!doctype html><html><head><title>Garden</title><style>p{color:red}</style></head>
<body><h1>Spring   planting</h1><p>Plant <b>after</b> the
    last frost.</p><ul><li>Tulips</li><li>Daffodils</li></ul><script>var x = "<p>no</p>";</script>
<noscript>Enable scripts</noscript><template><p>inert</p></template><p>Line one<br>line two</p></body></html>`;
    expect(htmlText(doc).text).toBe(
      'Garden\n\nSpring planting\n\nPlant after the last frost.\n\nTulips\n\nDaffodils\n\nLine one\nline two',
    );
  });

  it('keeps CSS-hidden text: loaders do not apply CSS, so the model reads it', () => {
    expect(htmlText('<p>Shown</p><div style="display:none">Not shown</div>').text).toBe('Shown\n\nNot shown');
  });

  it('keeps the whitespace of preformatted text', () => {
    expect(htmlText('<pre>a  b\n  c\n\nd</pre>').text).toBe('a  b\n  c\n\nd');
  });

  it('maps every character back through character references and CRLF', () => {
    const doc = '<p>caf&eacute; &amp; cr&#xE8;me\r\nbr&#251;l&#xe9;e &#128512; done</p>';
    expect(htmlText(doc).text).toBe('café & crème brûlée 😀 done');
    expect(rawOf(doc, 'café')).toBe('caf&eacute;');
    expect(rawOf(doc, '& crème')).toBe('&amp; cr&#xE8;me');
    expect(rawOf(doc, 'brûlée')).toBe('br&#251;l&#xe9;e');
    expect(rawOf(doc, '😀 done')).toBe('&#128512; done');
    const literal = '<p>AT&T &zzz; tail &amp; end</p>';
    expect(htmlText(literal).text).toBe('AT&T &zzz; tail & end');
    expect(rawOf(literal, '&zzz; tail & end')).toBe('&zzz; tail &amp; end');
  });

  it('maps offsets of text after tags and comments to their raw place', () => {
    const doc =
      '<div>\n  <p class="x">First <!-- note --> part</p>\n  <p>Second <a href="/y">link</a></p>\n</div>';
    expect(rawOf(doc, 'First')).toBe('First');
    expect(rawOf(doc, 'part')).toBe('part');
    expect(rawOf(doc, 'Second link')).toBe('Second <a href="/y">link');
  });

  it('reads malformed markup as browsers recover from it, without throwing', () => {
    expect(htmlText('<p>open <b>bold <i>both</p> after</b> tail').text).toBe('open bold both\n\nafter tail');
    expect(htmlText('').text).toBe('');
    expect(htmlText('<<<>>>&&&;;; plain').text).toBe('<<<>>>&&&;;; plain');
  });
});
