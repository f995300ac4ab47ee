// @ts-check
/** The mock's built-in fixtures (fixtures/default.json): the ids and keys the bench's requests name. */
import { readFileSync } from 'node:fs'

export const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8'))
