// Timing for the benchmarks: every case runs in this one process, the cases taking turns, each turn a timed
// loop of about `ms` after a warm-up; the result is the median ops/s over `rounds` turns. Ratios between cases
// measured this way are steadier than absolute numbers (other load on the machine hits every case alike).

export async function measure(cases, { ms = 300, rounds = 7, warmup = 2000 } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (const f of Object.values(cases)) for (let i = 0; i < warmup; i++) await f()
  for (let round = 0; round < rounds; round++) {
    for (const [name, f] of Object.entries(cases)) {
      let n = 0
      const start = process.hrtime.bigint()
      const end = start + BigInt(ms) * 1000000n
      let now = start
      while (now < end) {
        for (let i = 0; i < 100; i++) await f()
        n += 100
        now = process.hrtime.bigint()
      }
      samples[name].push(n / (Number(now - start) / 1e9))
    }
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1]
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]))
}

/** Prints a markdown table: ops/s, µs/op and the ratio to `baseline`. */
export function table(title, results, baseline) {
  const lines = [`**${title}**`, '', '| implementation | ops/s | µs/op | ratio to ' + baseline + ' |', '|---|---:|---:|---:|']
  for (const [name, ops] of Object.entries(results)) {
    lines.push(`| ${name} | ${Math.round(ops).toLocaleString('en')} | ${(1e6 / ops).toFixed(2)} | ${(ops / results[baseline]).toFixed(2)}× |`)
  }
  return lines.join('\n')
}

export function machine() {
  return `${process.release.name} ${process.version}, ${process.arch}, ${new Date().toISOString().slice(0, 10)}`
}
