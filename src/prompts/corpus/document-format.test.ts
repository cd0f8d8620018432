import { describe, expect, it } from 'vitest';
import { identityOf } from '../../core/scan/sniff.js';
import { corpusFormatOf, looksLikeHtml } from './document-format.js';

const text = identityOf('text');

describe('corpusFormatOf', () => {
  it('goes by the extension for document formats a renderer tells apart', () => {
    expect(corpusFormatOf('site/index.HTML', text, 'hello')).toBe('html');
    expect(corpusFormatOf('a/README.md', identityOf('python'), 'import os')).toBe('markdown');
    expect(corpusFormatOf('notes.txt', text, '<!doctype html><p>x</p>')).toBe('text');
    expect(corpusFormatOf('rows.ndjson', text, '{"a":1}')).toBe('jsonl');
  });

  it('reads JSON and JSON Lines by content', () => {
    expect(corpusFormatOf('data', identityOf('jsonl'), '{}\n{}')).toBe('jsonl');
    expect(corpusFormatOf('data.json', identityOf('jsonl'), '{}\n{}')).toBe('jsonl');
    expect(corpusFormatOf('data.json', identityOf('json'), '{}')).toBe('json');
    expect(corpusFormatOf('broken.json', text, '{"a": ')).toBe('text');
  });

  it('tells extension-less HTML by its start', () => {
    expect(corpusFormatOf('pages/about', text, '<!DOCTYPE html>\n<html>')).toBe('html');
    expect(corpusFormatOf('pages/about', text, '<!-- saved --><html lang="en">')).toBe('html');
    expect(corpusFormatOf('pages/frag', identityOf('csv'), '<div class="a"><p>One, two, three</p>')).toBe(
      'html',
    );
    expect(corpusFormatOf('pages/plain', text, 'Use <b> for bold.')).toBe('text');
  });
});

describe('looksLikeHtml', () => {
  it('needs a document start or several HTML elements', () => {
    expect(looksLikeHtml('  <body>')).toBe(true);
    expect(looksLikeHtml('<p>one</p><p>two</p>')).toBe(true);
    expect(looksLikeHtml('<p>one only')).toBe(false);
    expect(looksLikeHtml('a < b and <p> c</p><p>')).toBe(false);
  });
});
