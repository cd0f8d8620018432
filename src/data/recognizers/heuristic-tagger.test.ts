import { describe, expect, it } from 'vitest';
import { createHeuristicTagger } from './heuristic-tagger.js';

const tagger = createHeuristicTagger();

function tags(text: string, field?: string): [string, string][] {
  return tagger
    .tag(text, field === undefined ? {} : { field })
    .map((m) => [m.entity, text.slice(m.start, m.end)] as [string, string])
    .sort((a, b) => a[1].localeCompare(b[1]));
}

describe('heuristic PERSON', () => {
  it.each([
    ['Hello, this is Dr. Kyle Kuefer. Who are you?', 'Kyle Kuefer'],
    ["I'd like to join accounts with ms. Marcela", 'Marcela'],
    ['Name: Toshimi Arata', 'Toshimi Arata'],
    ["I'm Naomi Ryan, originally from here", 'Naomi Ryan'],
    ['The tennis player Hülya Bouwmeester was detained', 'Hülya Bouwmeester'],
    ['Krisztián Szöllösy listed his top 20 songs', 'Krisztián Szöllösy'],
    ['Best regards,\nFaina D. Yefremova', 'Faina D. Yefremova'],
  ])('%s', (text, name) => {
    expect(tags(text).filter(([e]) => e === 'PERSON')).toEqual([['PERSON', name]]);
  });

  it('reads every cued mention', () => {
    expect(tags('My name is Aantje Mourik but everyone calls me Aantje')).toEqual([
      ['PERSON', 'Aantje'],
      ['PERSON', 'Aantje Mourik'],
    ]);
  });

  it('reads a name line opening a block and speakers of a transcript', () => {
    expect(tags('Janka M. Szász\n\nNetwork administrator')).toEqual([['PERSON', 'Janka M. Szász']]);
    expect(tags('Ubul: What a wife.\nNicole: Remember me?')).toEqual([
      ['PERSON', 'Nicole'],
      ['PERSON', 'Ubul'],
    ]);
  });

  it('stays silent on capitalized prose without a cue', () => {
    expect(tags('Capitalized words like Wisdom and Discipline are often mistaken with names.')).toEqual([]);
    expect(tags('The Civil Rights Act of 2001 protects individuals.')).toEqual([]);
    expect(tags('This is Microbilt Corporation speaking')).toEqual([]);
    expect(tags('Thomas Svendsen\nAssistant property manager\nHopstop')).toEqual([
      ['PERSON', 'Thomas Svendsen'],
    ]);
  });
});

describe('heuristic LOCATION', () => {
  it.each([
    ['The restaurant is at 2450 Crown St, Apt 4 downtown', '2450 Crown St, Apt 4'],
    ['Meet me at Via Franscini 71 tomorrow', 'Via Franscini 71'],
    ['Ship it to Brucker Bundesstrasse 31 please', 'Brucker Bundesstrasse 31'],
    ['I will be travelling to Canada next week', 'Canada'],
    ['Russell Investments is based in KURZENKIRCHEN.', 'KURZENKIRCHEN'],
    ['Meet me at PSC 1437, Box 3833\nAPO AA 66791', 'PSC 1437, Box 3833\nAPO AA 66791'],
  ])('%s', (text, place) => {
    expect(tags(text).filter(([e]) => e === 'LOCATION')).toEqual([['LOCATION', place]]);
  });

  it('takes a whole address block with its town, country and postcode', () => {
    const text =
      'William Hughes\n\n6750 Koskikatu 25\n Apt. 864\n Artilleros\n\n Uruguay 64677\n\nPhone: 1234';
    expect(tags(text)).toEqual([
      ['LOCATION', '6750 Koskikatu 25\n Apt. 864\n Artilleros\n\n Uruguay 64677'],
      ['PERSON', 'William Hughes'],
    ]);
  });

  it('does not take log levels or formats after "in" for towns', () => {
    expect(tags('failed in JSON parsing, see ERROR in TRACE output')).toEqual([]);
  });
});

describe('column names', () => {
  it('tags whole cells of person and place columns', () => {
    expect(tags('Ada Lovelace', 'customer_name')).toEqual([['PERSON', 'Ada Lovelace']]);
    expect(tags('ada', '$.patient.firstName')).toEqual([['PERSON', 'ada']]);
    expect(tags('  Berlin ', 'City')).toEqual([['LOCATION', 'Berlin']]);
    expect(tags('us-east-1', 'region')).toEqual([]);
    expect(tags('active', 'state')).toEqual([]);
    expect(tags('report.pdf', 'file_name')).toEqual([]);
    expect(tags('Acme', 'companyName')).toEqual([]);
  });
});
