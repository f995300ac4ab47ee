import t from 'tap'
import { SERVE_HEAP_FLAGS, serveHeapFlags } from '../../src/cli/heap-settings.js'

t.test('serve keeps the young generation at its starting size and collects old space sooner', async (t) => {
  t.same(serveHeapFlags([], undefined), SERVE_HEAP_FLAGS)
  t.ok(SERVE_HEAP_FLAGS.some((f) => f.startsWith('--semi-space-growth-factor=')))
  t.ok(SERVE_HEAP_FLAGS.some((f) => f.startsWith('--heap-growing-percent=')))
})

t.test("a heap flag the user chose on node's command line wins over serve's", async (t) => {
  t.same(serveHeapFlags(['--heap-growing-percent=80'], undefined), ['--semi-space-growth-factor=1'])
  t.same(serveHeapFlags(['--semi_space_growth_factor=4', '--heap-growing-percent'], undefined), [])
})

t.test("a heap flag the user chose in NODE_OPTIONS wins over serve's", async (t) => {
  t.same(serveHeapFlags([], '--max-old-space-size=512  --semi-space-growth-factor=2'), ['--heap-growing-percent=30'])
  t.same(serveHeapFlags(['--enable-source-maps'], '--trace-gc'), SERVE_HEAP_FLAGS)
})
