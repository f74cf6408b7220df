// Purges on a schedule what the simulator no longer needs: expired login codes and bill links, abandoned
// (closed or expired unpaid) orders, delivered or given-up notifications and media after the retention, and
// paid orders after WeChat's three-month bill window. Without it, unauthenticated /sim/wx/login calls alone
// grow the database without bound.
const BILL_WINDOW_MS = 93 * 24 * 3600 * 1000

export function createJanitor({ store, now, log, retentionSeconds, intervalSeconds }) {
  let timer
  const run = () => {
    const removed = store.purge(now(), retentionSeconds * 1000, BILL_WINDOW_MS)
    if (removed) log.info('purge', { rows: removed })
    return removed
  }
  return {
    run,
    start() {
      timer = setInterval(run, intervalSeconds * 1000)
      timer.unref()
    },
    stop: () => clearInterval(timer),
  }
}
