// Minimal test bookkeeping shared by the e2e scripts: PASS/FAIL lines and the closing "N passed, N failed".
let passed = 0
let failed = 0

export function check(name, ok, info = '') {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${info ? ` — ${info}` : ''}`)
  return ok
}

/** Prints the summary and exits non-zero if anything failed (or nothing ran). */
export function finish() {
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed || !passed ? 1 : 0)
}
