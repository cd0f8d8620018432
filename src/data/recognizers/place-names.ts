import { getCountries } from 'libphonenumber-js';

/** Locales whose country names are recognized (the same four the context words cover). */
const LOCALES = ['en', 'de', 'fr', 'es'] as const;

/** Common names ICU does not give as the display name. */
const COUNTRY_ALIASES = [
  'USA',
  'U.S.',
  'U.S.A.',
  'America',
  'UK',
  'U.K.',
  'Great Britain',
  'Britain',
  'England',
  'Scotland',
  'Wales',
  'Northern Ireland',
  'Czech Republic',
  'Holland',
  'Turkey',
  'Ivory Coast',
  'Burma',
  'Hong Kong',
  'Macau',
  'Bosnia',
  'Vatican',
];

let countries: ReadonlySet<string> | undefined;

/**
 * Lower-cased country and territory names in English, German, French and Spanish, built from the
 * region codes libphonenumber-js knows and the runtime's ICU display names (no word list to keep).
 */
export function countryNames(): ReadonlySet<string> {
  if (countries !== undefined) return countries;
  const names = new Set(COUNTRY_ALIASES.map((n) => n.toLowerCase()));
  for (const locale of LOCALES) {
    const display = new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' });
    for (const code of getCountries()) {
      const name = display.of(code);
      if (name === undefined || name === code) continue;
      names.add(name.toLowerCase());
      // "Myanmar (Burma)", "Congo - Kinshasa": the short form is what people write.
      const short = name.replace(/\s*(?:\(.*\)|-\s.*|SAR China)$/u, '').trim();
      if (short.length > 2) names.add(short.toLowerCase());
    }
  }
  countries = names;
  return names;
}

let firstWords: ReadonlySet<string> | undefined;

/** The first word of every name in {@link countryNames}, to skip most runs with one lookup. */
export function countryFirstWords(): ReadonlySet<string> {
  firstWords ??= new Set([...countryNames()].map((name) => name.split(' ')[0] ?? name));
  return firstWords;
}

/** Longest country name in words, to bound the look-ahead. */
export const MAX_COUNTRY_WORDS = 5;

/**
 * Capitalized words that start sentences, greet or name times far more often than they name a
 * person or a place; a candidate starting with one is dropped.
 */
export const CAPITALIZED_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'the a an i my your our his her their this that these those here there it its we you he she they ' +
    'not no yes ok okay sure sorry fine good great happy glad ready back home afraid interested ' +
    'calling writing looking going trying new just so very also still now today tomorrow yesterday ' +
    'thanks thank please hello hi hey welcome dear sir madam team all everyone everybody ' +
    'monday tuesday wednesday thursday friday saturday sunday january february march april may june ' +
    'july august september october november december ' +
    'user assistant human system bot ai agent customer support admin moderator ' +
    'name phone address date email e-mail mobile desk fax website title subject from to cc note notes ' +
    'time when where zip city country state street apt suite unit box personal info information'
  ).split(' '),
);

/** Words that end organisation names: a "name" holding one is a company. */
export const ORGANISATION_WORDS: ReadonlySet<string> = new Set(
  (
    'inc inc. ltd ltd. llc plc gmbh ag sa s.a. bv corp corp. corporation company co co. group holdings ' +
    'bank university college school institute foundation association society club hospital clinic ' +
    'orchestra agency partners technologies systems solutions services insights capital'
  ).split(' '),
);

/**
 * The vocabulary of lorem-ipsum filler (the Cicero passage and the words lipsum generators add):
 * placeholder text is full of capitalized Latin words after cues like `Dear` or `said`, and a run
 * made only of them is filler, not a person or a place. Words that are also common first names
 * (Leo, Maximus) are left out, so `Dear Leo` still counts.
 */
export const LOREM_IPSUM_WORDS: ReadonlySet<string> = new Set(
  (
    'lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed do eiusmod tempor ' +
    'incididunt ut labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco ' +
    'laboris nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse ' +
    'cillum eu fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui officia ' +
    'deserunt mollit anim id est laborum a ac accumsan aenean aliquam aliquet ante arcu at auctor augue ' +
    'bibendum blandit commodo condimentum congue convallis cras curabitur cursus dapibus diam dictum ' +
    'dictumst dignissim donec dui efficitur egestas eget eleifend elementum erat eros etiam euismod ' +
    'facilisi facilisis fames faucibus felis fermentum feugiat finibus fringilla fusce gravida habitant ' +
    'habitasse hac hendrerit iaculis imperdiet integer interdum lacinia lacus laoreet lectus libero ligula ' +
    'lobortis luctus maecenas malesuada massa mattis mauris metus mi molestie mollis morbi nam nec neque ' +
    'netus nibh nisl nullam nunc odio orci ornare pellentesque pharetra phasellus placerat platea porta ' +
    'porttitor posuere potenti praesent pretium proin pulvinar purus quam quisque rhoncus risus rutrum ' +
    'sagittis sapien scelerisque sem semper senectus sociosqu sodales sollicitudin suscipit suspendisse ' +
    'tellus tempus tincidunt tortor tristique turpis ullamcorper ultrices ultricies urna varius vehicula ' +
    'vel venenatis vestibulum vitae vivamus viverra volutpat vulputate'
  ).split(' '),
);

/** Tells whether every word of a capitalized run is lorem-ipsum filler (see {@link LOREM_IPSUM_WORDS}). */
export function isLoremIpsum(words: readonly string[]): boolean {
  return (
    words.length > 0 && words.every((w) => LOREM_IPSUM_WORDS.has(w.toLowerCase().replace(/[.,;:!?]+$/u, '')))
  );
}
