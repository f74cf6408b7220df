// WeChat's time formats, in Beijing time (UTC+8) as WeChat writes them.
const beijing = (ms) => new Date(ms + 8 * 3600 * 1000).toISOString()

/** RFC 3339 with +08:00, e.g. 2026-11-27T18:00:00+08:00 (v3). */
export const rfc3339 = (ms) => `${beijing(ms).slice(0, 19)}+08:00`

/** yyyyMMddHHmmss (v2 time_end). */
export const compact = (ms) => beijing(ms).slice(0, 19).replace(/\D/g, '')
