/**
 * Lua for what every request reads or takes from a tenant's shared state: the clock offset and
 * settings, the count of armed tamperings, the world's revision, one shot of the first matching
 * fault, and the journal's bounded append (which rides on the next read when there is one). Each
 * runs as one atomic step; keys hang off the tenant's prefix (ARGV[1]).
 */
import { MAX_FAULTS } from '../faults.js'

/** The settings kept in the tenant's `conf` hash, in the order SYNC returns them. */
export const CONF_FIELDS = [
  'offset_ms',
  'auto_approve',
  'strict_scopes',
  'allow_openid_without_nonce',
  'revoke_grant_on_refresh_reuse',
] as const

/**
 * Appends journal entries given from ARGV[first] on as pairs: the entry as JSON without its id
 * (it starts with '{') and its size in bytes; ARGV[first - 2 .. first - 1] are the capacity and
 * byte limit. The oldest entries go first to stay within both; each is kept as "<bytes> <json>"
 * and numbered in the order Redis received it.
 */
const APPEND_JOURNAL = `
local function appendJournal(P, first)
  if #ARGV < first then return end
  local list, total = P .. 'journal', P .. 'journal:bytes'
  local capacity, limit = tonumber(ARGV[first - 2]), tonumber(ARGV[first - 1])
  local size = redis.call('LLEN', list)
  local held = tonumber(redis.call('GET', total) or '0')
  for i = first, #ARGV, 2 do
    local bytes = tonumber(ARGV[i + 1])
    while size > 0 and (size >= capacity or held + bytes > limit) do
      local oldest = redis.call('LPOP', list)
      held = held - tonumber(string.sub(oldest, 1, string.find(oldest, ' ') - 1))
      size = size - 1
      redis.call('INCR', P .. 'journal:dropped')
    end
    local id = redis.call('INCR', P .. 'journal:id')
    redis.call('RPUSH', list, bytes .. ' {"id":' .. id .. ',' .. string.sub(ARGV[i], 2))
    held = held + bytes
    size = size + 1
  end
  redis.call('SET', total, held)
end
`

/**
 * ARGV[2..3]: method, path; ARGV[4]: '1' to take a fault shot; ARGV[5..]: journal entries this
 * replica recorded since its last call, appended first (see APPEND_JOURNAL). Returns the conf
 * fields, then the taken fault's JSON, shots left and id (or nils), then how many tamperings are
 * armed and the world's revision. Faults are kept as a list of ids, each with a hash of method,
 * path, remaining and the fault as JSON (its body is never decoded here).
 */
export const SYNC = `${APPEND_JOURNAL}
local P = ARGV[1]
appendJournal(P, 7)
local out = redis.call('HMGET', P .. 'conf', ${CONF_FIELDS.map((f) => `'${f}'`).join(', ')})
local taken, left, takenId = false, false, false
if ARGV[4] == '1' then
  for _, id in ipairs(redis.call('LRANGE', P .. 'faults', 0, -1)) do
    local key = P .. 'fault:' .. id
    local target = redis.call('HMGET', key, 'method', 'path')
    if target[2] == ARGV[3] and (target[1] == '' or target[1] == ARGV[2]) then
      left = redis.call('HINCRBY', key, 'remaining', -1)
      taken = redis.call('HGET', key, 'json')
      takenId = id
      if left <= 0 then redis.call('LREM', P .. 'faults', 1, id); redis.call('DEL', key) end
      break
    end
  end
end
table.insert(out, taken)
table.insert(out, left)
table.insert(out, takenId)
table.insert(out, redis.call('LLEN', P .. 'tamper'))
table.insert(out, redis.call('GET', P .. 'world:rev') or '0')
return out`

/** ARGV[2..5]: method ('' for any), path, remaining, the fault's JSON (without id and remaining). Returns the id, or 0 when full. */
export const ADD_FAULT = `
local P = ARGV[1]
if redis.call('LLEN', P .. 'faults') >= ${MAX_FAULTS} then return 0 end
local id = redis.call('INCR', P .. 'fault-id')
redis.call('HSET', P .. 'fault:' .. id, 'method', ARGV[2], 'path', ARGV[3], 'remaining', ARGV[4], 'json', ARGV[5])
redis.call('RPUSH', P .. 'faults', id)
return id`

/** Every armed fault: a flat list of id, json, remaining. */
export const LIST_FAULTS = `
local P = ARGV[1]
local out = {}
for _, id in ipairs(redis.call('LRANGE', P .. 'faults', 0, -1)) do
  local f = redis.call('HMGET', P .. 'fault:' .. id, 'json', 'remaining')
  if f[1] then table.insert(out, id); table.insert(out, f[1]); table.insert(out, f[2]) end
end
return out`

/** ARGV[2..3]: capacity and byte limit; ARGV[4..]: entries (see APPEND_JOURNAL). */
export const RECORD_JOURNAL = `${APPEND_JOURNAL}
appendJournal(ARGV[1], 4)
return 1`
