/** Half of the in-process test files, in this one process (see ../helpers/shards.ts). */
import { IN_PROCESS, runShard } from '../helpers/shards.js'

await runShard(IN_PROCESS, 1, 2)
