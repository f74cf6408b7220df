// Watching the demo's processes from a test: a job in its own process group (as a terminal runs start.sh), the
// members of that group, and a clean stop by signal. Shared by the start.sh test and the supervisor test.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { H5_PORT, MERCHANT_PORT, SIM_PORT, listening } from '../scripts/servers.mjs'
import { check } from './check.mjs'

export const PORTS = [MERCHANT_PORT, SIM_PORT, H5_PORT]
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** `command args` in its own process group, output to `logFile`; `exited` resolves with its code or signal. */
export function startJob(command, args, logFile, env = {}) {
  const log = fs.openSync(logFile, 'w')
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } })
  fs.closeSync(log)
  child.exited = new Promise((r) => child.once('exit', (code, signal) => r(signal || code)))
  return child
}

const statFields = (pid) => {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ') // [state, ppid, pgrp, …]
}
const pids = () => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number)
const where = (pred) => pids().filter((pid) => {
  try {
    return pred(statFields(pid))
  } catch {
    return false // gone meanwhile
  }
})

/** Pids of every live process in a process group (a zombie is gone, only not yet reaped). */
export const groupMembers = (pgid) => where((f) => Number(f[2]) === pgid && f[0] !== 'Z')
/** Pids of the direct children of `ppid` whose command line contains `text`. */
export const childrenRunning = (ppid, text) => where((f) => Number(f[1]) === ppid)
  .filter((pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text) } catch { return false } })
export const alive = (pid) => { try { return statFields(pid)[0] !== 'Z' } catch { return false } }
export const cmdline = (pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') } catch { return `${pid} (gone)` } }

/** Sends `signal` to the job (its group, or its pid alone) and checks every process of it ends and the ports are free. */
export async function stopsCleanly(label, child, signal, { wholeGroup }) {
  const members = groupMembers(child.pid)
  check(`${label}: running as node processes of its own group`, members.length >= 2, `pids ${members.join(' ')}`)
  process.kill(wholeGroup ? -child.pid : child.pid, signal)
  const ended = await Promise.race([child.exited.then(() => true), sleep(15000).then(() => false)])
  check(`${label}: it ends on ${signal}`, ended)
  for (let i = 0; i < 40 && (members.some(alive) || groupMembers(child.pid).length); i++) await sleep(100)
  const left = [...new Set([...members.filter(alive), ...groupMembers(child.pid)])]
  check(`${label}: no process of it is left`, left.length === 0, left.map(cmdline).join(' | '))
  const busy = []
  for (const port of PORTS) if (await listening(port)) busy.push(port)
  check(`${label}: ports ${PORTS.join(', ')} are free`, busy.length === 0, busy.length ? `still listening: ${busy.join(' ')}` : '')
  if (left.length) process.kill(-child.pid, 'SIGKILL')
}

/** Fails the test at once when one of the demo's ports is taken (a running start.sh?). */
export async function portsFree() {
  const busy = []
  for (const port of PORTS) if (await listening(port)) busy.push(port)
  return check(`ports ${PORTS.join(', ')} are free before the test`, !busy.length, busy.length ? `in use: ${busy.join(' ')} (a running start.sh?)` : '')
}
