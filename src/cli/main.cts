#!/usr/bin/env node
/**
 * The whop-auth-mock command's entry point; the command itself is dispatch.ts.
 *
 * CommonJS on purpose: it is the only code that runs before Node's ESM loader, and the ESM
 * loader starts libuv's thread pool, whose size is read from UV_THREADPOOL_SIZE once, then.
 * `serve` signs every token on that pool, and one pool thread signing back to back, its tables
 * warm in cache, beats four threads competing for two cores: about +30% mints per second and
 * +25% round trips (bench/PROFILE.md, "Signing on a one-thread pool"). Only serve is given the
 * smaller pool (it starts no child processes to inherit it), and a size the user set is kept.
 * An ESM hook in NODE_OPTIONS (--import, --loader) starts the pool first; the setting then has
 * no effect, and serve runs as before, only slower.
 */
const [command] = process.argv.slice(2)
// The same rule as dispatch.ts: no command, or an option first, means serve.
if (command === undefined || command === 'serve' || command.startsWith('-')) process.env.UV_THREADPOOL_SIZE ??= '1'
void import('./dispatch.js')
