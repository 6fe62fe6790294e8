/**
 * Dates in Crowd search restrictions: Crowd parses them with Joda's dateOptionalTimeParser and
 * writes them as yyyy-MM-dd'T'HH:mm:ss.SSSZ (https://developer.atlassian.com/server/crowd/crowd-query-language/).
 *
 * Accepted: `yyyy`, `yyyy-MM`, `yyyy-MM-dd`, optionally followed by `T` and `HH`, `HH:mm`,
 * `HH:mm:ss`, `HH:mm:ss.f…` (1–9 fraction digits, `.` or `,`; kept to the millisecond), and
 * after a time an optional offset `Z`, `±HH`, `±HHmm` or `±HH:mm`. Missing parts are the start
 * of the period. Without an offset the time is read as UTC (Joda would use the server's zone;
 * a bridge has no meaningful "server zone"). Week and ordinal dates are not supported.
 */
const CROWD_DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

/** Epoch milliseconds of a Crowd date string, or undefined when it is not one. */
export function parseCrowdDate(text: string): number | undefined {
  const m = CROWD_DATE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offset * 60_000;
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Offset east of UTC in minutes; 0 for none or `Z`; undefined when out of range. */
function offsetMinutes(text: string | undefined): number | undefined {
  if (text === undefined || text === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}
