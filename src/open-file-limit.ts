/**
 * The default connection cap: below the process's open-file limit, so a crowd of idle sockets
 * cannot leave the mock without a descriptor to answer health with. Node cannot raise its own
 * limit (no setrlimit), so the cap follows the limit the process was started with.
 */
import { readFileSync } from 'node:fs'

/** Descriptors kept back for the process's own files (fixtures, key file, logs, the listening socket). */
const RESERVED_DESCRIPTORS = 128
const MAX_DEFAULT_CONNECTIONS = 10_000
/** Used where the limit cannot be read (not Linux): the usual soft limit, 1,024. */
const ASSUMED_OPEN_FILES = 1024

/** The soft limit on open files, from /proc on Linux. */
function openFileLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8')
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1]
    if (soft === undefined) return ASSUMED_OPEN_FILES
    return soft === 'unlimited' ? MAX_DEFAULT_CONNECTIONS + RESERVED_DESCRIPTORS : Number(soft)
  } catch {
    return ASSUMED_OPEN_FILES
  }
}

export function defaultMaxConnections(): number {
  return Math.max(16, Math.min(MAX_DEFAULT_CONNECTIONS, openFileLimit() - RESERVED_DESCRIPTORS))
}
