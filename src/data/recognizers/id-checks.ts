/**
 * Exact rule checks for national identifiers that no well-kept library covers. Each takes the
 * matched text (separators allowed) and answers whether the number can exist under the issuer's
 * published rules; none of them looks anything up.
 */

/** SSNs the SSA names as never issued or as advertising specimens (Woolworth's 078-05-1120 …). */
const SPECIMEN_SSNS = new Set(['078051120', '219099999', '457555462', '123456789', '987654321']);

/**
 * US Social Security Number rules (SSA, randomization since 2011): area not 000, 666 or 900–999,
 * group not 00, serial not 0000, not a published specimen, not one digit repeated.
 */
export function isValidUsSsn(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 9 || SPECIMEN_SSNS.has(digits) || /^(\d)\1{8}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5));
  return area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
}

/**
 * US Individual Taxpayer Identification Number rules (IRS): area 9xx and group in 50–65, 70–88,
 * 90–92 or 94–99.
 */
export function isValidUsItin(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 9 || digits[0] !== '9') return false;
  const group = Number(digits.slice(3, 5));
  const isGroupIssued =
    (group >= 50 && group <= 65) ||
    (group >= 70 && group <= 88) ||
    (group >= 90 && group <= 92) ||
    group >= 94;
  return isGroupIssued && Number(digits.slice(5)) !== 0;
}

/**
 * UK NHS number: ten digits whose last is the modulus-11 check digit of the first nine (weights
 * 10…2; a remainder giving 10 means the number is never issued).
 */
export function isValidUkNhs(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length !== 10 || /^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Prefixes HMRC never allocates (plus the administrative ones). */
const NINO_BAD_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * UK National Insurance number (HMRC): two prefix letters (first not D, F, I, Q, U, V; second not
 * D, F, I, O, Q, U, V; not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A–D.
 */
export function isValidUkNino(value: string): boolean {
  const compact = value.replace(/[\s-]/g, '').toUpperCase();
  const parts = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])(\d{6})([A-D])$/.exec(compact);
  if (!parts) return false;
  return !NINO_BAD_PREFIXES.has(`${parts[1]}${parts[2]}`) && parts[3] !== '000000';
}

/**
 * US passport number shape (State Department): nine digits, or since 2021 one letter and eight
 * digits; a run of one digit or a counting sequence is a placeholder, not a passport.
 */
export function isPlausibleUsPassport(value: string): boolean {
  const compact = value.toUpperCase();
  if (!/^(?:\d{9}|[A-Z]\d{8})$/.test(compact)) return false;
  const digits = compact.replace(/\D/g, '');
  return !/^(\d)\1+$/.test(digits) && !'0123456789876543210'.includes(digits);
}

/** A record number that is a run of one digit or a counting sequence is a placeholder. */
export function isPlausibleRecordNumber(value: string): boolean {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 5) return false;
  return !/^(\d)\1+$/.test(digits) && !'01234567890123456789'.includes(digits);
}
