/**
 * The grant store's operations as Lua, each run by Redis as one atomic step. They mirror
 * GrantStore (src/state/grants.ts) and its checks (src/state/code-checks.ts) in the same order,
 * on records kept as JSON under one tenant's key prefix (ARGV[1]), each kind (codes, grants,
 * retired refresh tokens) bounded to ARGV[2] (--max-grants) as in memory; the request comes as
 * JSON in ARGV[3]; ids and secrets are made by the caller (Lua has no secure random source).
 * Times are the mock clock's, given by the caller; Redis TTLs only collect what is dead.
 */
import { CODE_TTL_MS, REFRESH_TTL_MS } from '../grants.js'

/** Unredeemed codes outlive their expiry by this much, so a late exchange hears "expired" (as in memory). */
const CODE_KEEP_MS = CODE_TTL_MS + 300_000

/** Helpers every grant script starts with. */
const COMMON = `
local P = ARGV[1]
local CAP = tonumber(ARGV[2])
local NULL = cjson.null
local function isstr(v) return type(v) == 'string' end
local function getj(key) local raw = redis.call('GET', key); if raw then return cjson.decode(raw) end; return nil end
local function putj(key, value, ttl) redis.call('SET', key, cjson.encode(value), 'PX', math.max(1000, math.floor(ttl))) end
local function keepj(key, value) redis.call('SET', key, cjson.encode(value), 'KEEPTTL') end
local function refuse(why) return cjson.encode({ok = false, refusal = why}) end
local function bounded(zkey, member, drop)
  redis.call('ZADD', zkey, redis.call('INCR', P .. 'seq'), member)
  while redis.call('ZCARD', zkey) > CAP do drop(redis.call('ZPOPMIN', zkey)[1]) end
end
local function forget(gid)
  local g = getj(P .. 'grant:' .. gid)
  redis.call('DEL', P .. 'grant:' .. gid)
  if g then
    redis.call('DEL', P .. 'code:' .. g.code)
    if isstr(g.refreshToken) then redis.call('DEL', P .. 'rt:' .. g.refreshToken) end
  end
end
local function revoke(gid, now)
  local key = P .. 'grant:' .. gid
  local g = getj(key)
  if not g then return end
  g.revoked = true
  if isstr(g.refreshToken) then redis.call('DEL', P .. 'rt:' .. g.refreshToken) end
  g.refreshToken = NULL
  putj(key, g, g.lastAccessExpiryMs - now)
end
local function issueRefresh(g, token, now)
  if isstr(g.refreshToken) then
    local previous = getj(P .. 'rt:' .. g.refreshToken)
    redis.call('DEL', P .. 'rt:' .. g.refreshToken)
    if previous then
      putj(P .. 'retired:' .. previous.token, previous, previous.expiresAtMs - now)
      bounded(P .. 'retired', previous.token, function(t) redis.call('DEL', P .. 'retired:' .. t) end)
    end
  end
  putj(P .. 'rt:' .. token, {token = token, grantId = g.id, expiresAtMs = now + ${REFRESH_TTL_MS}}, ${REFRESH_TTL_MS})
  g.refreshToken = token
end
local function grantTtl(g, now) return math.max(${REFRESH_TTL_MS}, g.lastAccessExpiryMs - now) end
`

/** ARGV[3]: the code record. */
export const ISSUE_CODE = `${COMMON}
local record = cjson.decode(ARGV[3])
redis.call('SET', P .. 'code:' .. record.code, ARGV[3], 'PX', ${CODE_KEEP_MS})
bounded(P .. 'codes', record.code, function(c) redis.call('DEL', P .. 'code:' .. c) end)
return 1`

/** ARGV[3]: RedeemCodeRequest; ARGV[4]: the new grant's id; ARGV[5]: its refresh token. */
export const REDEEM_CODE = `${COMMON}
local req = cjson.decode(ARGV[3])
local now = req.nowMs
local codeKey = P .. 'code:' .. req.code
local rec = getj(codeKey)
if not rec then return refuse('unknown') end
if rec.clientId ~= req.clientId then return refuse('wrong_client') end
if isstr(rec.grantId) then revoke(rec.grantId, now); return refuse('replayed') end
if rec.expiresAtMs <= now then return refuse('expired') end
if rec.flow ~= req.flow then return refuse('wrong_flow') end
local redirectOk = req.redirectUri == rec.redirectUri or (req.redirectUri == NULL and rec.redirectUriGiven == false)
if not redirectOk then return refuse('redirect_mismatch') end
if req.pkce ~= NULL and isstr(rec.codeChallenge) then
  if req.pkce.kind == 'absent' then return refuse('verifier_missing') end
  local given = req.pkce.kind == 'hashed' and req.pkce.s256 or ''
  local want = rec.codeChallenge
  local differ = #given ~= #want
  for i = 1, math.min(#given, #want) do if string.byte(given, i) ~= string.byte(want, i) then differ = true end end
  if differ then return refuse('verifier_mismatch') end
end
local g = {id = ARGV[4], code = rec.code, flow = rec.flow, clientId = rec.clientId, userId = rec.userId, scope = rec.scope,
  scopes = rec.scopes, companyId = rec.companyId, nonce = rec.nonce, revoked = false,
  lastAccessExpiryMs = req.accessExpiresAtMs, refreshToken = NULL}
rec.grantId = g.id
bounded(P .. 'grants', g.id, forget)
if req.issueRefreshToken then issueRefresh(g, ARGV[5], now) end
putj(codeKey, rec, grantTtl(g, now))
putj(P .. 'grant:' .. g.id, g, grantTtl(g, now))
return cjson.encode({ok = true, grant = g, refreshToken = g.refreshToken})`

/** ARGV[3]: RotateRefreshTokenRequest; ARGV[4]: the new refresh token. */
export const ROTATE_REFRESH_TOKEN = `${COMMON}
local req = cjson.decode(ARGV[3])
local now = req.nowMs
local retired = getj(P .. 'retired:' .. req.token)
if retired and retired.expiresAtMs > now then
  if req.reuseRevokesGrant then revoke(retired.grantId, now) end
  return refuse('reused')
end
local rec = getj(P .. 'rt:' .. req.token)
if not rec or rec.expiresAtMs <= now then return refuse('invalid') end
local key = P .. 'grant:' .. rec.grantId
local g = getj(key)
if not g or g.revoked then return refuse('invalid') end
if g.clientId ~= req.clientId then return refuse('wrong_client') end
if g.flow ~= req.flow then return refuse('wrong_flow') end
if req.stickyCompanyId ~= NULL and req.stickyCompanyId.given ~= g.companyId then
  return cjson.encode({ok = false, refusal = 'company_mismatch', grantedCompanyId = g.companyId})
end
if req.requestedScopes ~= NULL then
  local granted = {}
  for _, s in ipairs(g.scopes) do granted[s] = true end
  for _, s in ipairs(req.requestedScopes) do if not granted[s] then return refuse('scope_exceeded') end end
end
g.lastAccessExpiryMs = math.max(g.lastAccessExpiryMs, req.accessExpiresAtMs)
issueRefresh(g, ARGV[4], now)
putj(key, g, grantTtl(g, now))
return cjson.encode({ok = true, grant = g, refreshToken = g.refreshToken})`

/** ARGV[3]: RevokeRefreshTokenRequest. Returns 1 when a token died. */
export const REVOKE_REFRESH_TOKEN = `${COMMON}
local req = cjson.decode(ARGV[3])
local now = req.nowMs
local rec = getj(P .. 'rt:' .. req.token)
if not rec or rec.expiresAtMs <= now then return 0 end
local key = P .. 'grant:' .. rec.grantId
local g = getj(key)
if not g or g.revoked or g.clientId ~= req.clientId then return 0 end
redis.call('DEL', P .. 'rt:' .. req.token)
if g.refreshToken == req.token then g.refreshToken = NULL; putj(key, g, g.lastAccessExpiryMs - now) end
return 1`

/** ARGV[3]: the grant id; ARGV[4]: now on the mock clock. */
export const REVOKE_GRANT = `${COMMON}
revoke(ARGV[3], tonumber(ARGV[4]))
return 1`
