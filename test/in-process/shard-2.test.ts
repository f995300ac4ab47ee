/** Half of the in-process test files, in this one process (see shard.ts). */
import { runShard } from './shard.js'

await runShard(1, 2)
