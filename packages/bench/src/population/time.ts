/**
 * Times of the generated records: instants (ms since the epoch) written as ISO 8601 local
 * times of a UK practice (GMT in winter, BST (+01:00) from the last Sunday of March to the
 * last Sunday of October).
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const YEAR = 365.25 * DAY;

function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * DAY;
}

/** Minutes east of UTC in the UK at an instant. */
export function ukOffsetMinutes(instant: number): number {
  const year = new Date(instant).getUTCFullYear();
  return instant >= lastSunday(year, 2) && instant < lastSunday(year, 9) ? 60 : 0;
}

/** `2024-05-02T09:41:07+01:00`, or `...Z` in winter. */
export function isoTime(instant: number): string {
  const offset = ukOffsetMinutes(instant);
  const local = new Date(Math.round(instant / 1000) * 1000 + offset * 60_000).toISOString().slice(0, 19);
  return offset === 0 ? `${local}Z` : `${local}+01:00`;
}

/** A working-day time of day (08:20 to 17:40 local) on the day of `instant`, or the next working day. */
export function officeHours(instant: number, minuteOfDay: number): number {
  let day = Math.floor(instant / DAY) * DAY;
  for (;;) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      break;
    }
    day += DAY;
  }
  const at = day + minuteOfDay * 60_000;
  return at - ukOffsetMinutes(at) * 60_000;
}
