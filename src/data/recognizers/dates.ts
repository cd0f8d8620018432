/** English month names and their three-letter forms, index + 1 = month number. */
export const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
] as const;

function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/, '');
  const index = MONTH_NAMES.findIndex(
    (name) => name === lower || (lower.length >= 3 && name.startsWith(lower)),
  );
  return index === -1 ? undefined : index + 1;
}

function fullYear(year: number, digits: number): number {
  if (digits === 4) return year;
  // Two-digit birth years: 00–29 read as 2000s, the rest as 1900s.
  return year < 30 ? 2000 + year : 1900 + year;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/**
 * Tells whether a written date exists on the calendar between 1900 and 2099: ISO `1985-03-12`,
 * numeric day-first or month-first (`12/03/1985`, `3.12.85`; either reading may hold) and English
 * month names (`12 March 1985`, `March 12, 1985`).
 */
export function isPlausibleDate(value: string): boolean {
  const text = value.trim();
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (iso) return isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    const year = fullYear(Number(numeric[3]), numeric[3]?.length ?? 4);
    return isCalendarDate(year, b, a) || isCalendarDate(year, a, b);
  }
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]{3,9}\.?),?\s+(\d{4})$/.exec(text);
  if (dayFirst) {
    const month = monthOf(dayFirst[2] ?? '');
    return month !== undefined && isCalendarDate(Number(dayFirst[3]), month, Number(dayFirst[1]));
  }
  const monthFirst = /^([A-Za-z]{3,9}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$/.exec(text);
  if (monthFirst) {
    const month = monthOf(monthFirst[1] ?? '');
    return month !== undefined && isCalendarDate(Number(monthFirst[3]), month, Number(monthFirst[2]));
  }
  return false;
}
