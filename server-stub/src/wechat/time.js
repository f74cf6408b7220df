// WeChat's time formats, in Beijing time (UTC+8, no daylight saving) as WeChat writes them.
const beijing = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString()

/** RFC 3339 with +08:00, e.g. 2026-11-27T18:00:00+08:00 (v3). */
export const rfc3339 = (ms) => `${beijing(ms).slice(0, 19)}+08:00`

/** yyyyMMddHHmmss (v2 time_end). */
export const compact = (ms) => beijing(ms).slice(0, 19).replace(/\D/g, '')

/** yyyy-MM-dd HH:mm:ss (v2 refund success_time, bill files). */
export const v2Time = (ms) => beijing(ms).slice(0, 19).replace('T', ' ')

/** The Beijing day `yyyy-MM-dd` as [start, end) in epoch ms, or null if it is not a real date. */
export function beijingDay(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null
  const start = Date.parse(`${date}T00:00:00+08:00`)
  if (Number.isNaN(start) || beijing(start).slice(0, 10) !== date) return null
  return [start, start + 24 * 3600 * 1000]
}

/** Today in Beijing, `yyyy-MM-dd`. */
export const beijingToday = (ms) => beijing(ms).slice(0, 10)

/** Parses an RFC 3339 time with an offset (time_expire), or NaN. */
export const parseRfc3339 = (s) => (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(s) ? Date.parse(s) : NaN)
