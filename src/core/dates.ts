/** ISO 8601 dates as researchers write them: a year, a month, a day, or a date-time. */

const isoPattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** True for a valid ISO 8601 calendar date or date-time (`2026`, `2026-01`, `2026-01-27`, `2026-01-27T09:30Z`). */
export function isIsoDate(value: string): boolean {
  const match = isoPattern.exec(value);
  if (!match) return false;
  const [, , monthText, dayText, hourText, minuteText, secondText] = match;
  const year = Number(match[1]);
  if (monthText !== undefined) {
    const month = Number(monthText);
    if (month < 1 || month > 12) return false;
    if (dayText !== undefined) {
      const day = Number(dayText);
      if (day < 1 || day > daysInMonth(year, month)) return false;
    }
  }
  if (hourText !== undefined && Number(hourText) > 23) return false;
  if (minuteText !== undefined && Number(minuteText) > 59) return false;
  if (secondText !== undefined && Number(secondText) > 60) return false;
  return true;
}

/** The calendar part of an ISO date, at the given precision, for grouping: `2026-01-27` → month `2026-01`. */
export function datePeriod(value: string, period: 'year' | 'month' | 'week' | 'day'): string | undefined {
  const match = isoPattern.exec(value);
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (period === 'year') return year;
  if (period === 'month') return month === undefined ? undefined : `${year}-${month}`;
  if (day === undefined || month === undefined) return undefined;
  if (period === 'day') return `${year}-${month}-${day}`;
  return isoWeek(Number(year), Number(month), Number(day));
}

/** ISO 8601 week, `2026-W05`: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const weekYear = date.getUTCFullYear();
  const firstDay = Date.UTC(weekYear, 0, 1);
  const week = Math.ceil(((date.getTime() - firstDay) / 86400000 + 1) / 7);
  return `${weekYear}-W${String(week).padStart(2, '0')}`;
}
