/** The part of process-on-spawn (no types of its own) that test/helpers/untraced-children.ts uses. */
declare module 'process-on-spawn' {
  const onSpawn: { removeAllListeners(): void }
  export default onSpawn
}
