/** Half of the short process tests (./short/), in this one process (see ../helpers/shards.ts). */
import { runShard, SHORT_E2E } from '../helpers/shards.js'

await runShard(SHORT_E2E, 1, 2)
