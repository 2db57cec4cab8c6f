/**
 * Durations and "since" times as people type them, shared by the CLI
 * (`brief --since`, `watch --min-interval`) and the HTTP API and web UI
 * (`?since=`). They return null for what they cannot read; each caller turns
 * that into its own kind of error (a usage error, a 400), with `SINCE_FORMATS`
 * saying what is accepted.
 */

/** What a "since" value may be, for error messages. */
export const SINCE_FORMATS = 'an ISO date or time (2025-02-18, 2025-02-18T10:00Z) or a duration back from now (6h, 2d)';

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?$/i;

/** A duration like `30s`, `5m`, `2h`, `1d` (a bare number is minutes), in milliseconds; null when it is not one. */
export function parseDuration(value: string): number | null {
  const match = DURATION.exec(value.trim());
  if (!match) return null;
  const unit = (match[2] ?? 'm').toLowerCase();
  const scale = unit === 's' ? 1000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 60_000;
  return Math.round(Number(match[1]) * scale);
}

/**
 * A "since" value as an ISO date-time: an ISO date or date-time, or a
 * duration with its unit (`6h`, `2d`; a bare number is refused here, as it
 * reads like a year) counted back from `now`. Null when it is neither.
 */
export function parseSince(value: string, now = Date.now()): string | null {
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?\s*(s|m|min|h|d)$/i.test(trimmed)) return new Date(now - parseDuration(trimmed)!).toISOString();
  const at = Date.parse(trimmed);
  if (!/^\d{4}-\d{2}/.test(trimmed) || Number.isNaN(at)) return null;
  return new Date(at).toISOString();
}
