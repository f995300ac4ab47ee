// @ts-check
/** The mock's built-in fixtures (fixtures/default.json): the ids and keys the bench's requests name. */
import { readFileSync } from 'node:fs'
import { must } from './must.mjs'

/** @type {import('../../src/world.js').FixtureData} */
export const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8'))

/** The first fixture company, the one the bench's mints are for. */
export const company = must(fixtures.companies[0], 'fixture company')
/** The user the bench mints for: the company's first member. */
export const member = must(company.member_ids[0], `member of ${company.id}`)
/** The company API key: the first fixture key. */
export const apiKey = must(fixtures.api_keys[0], 'fixture API key').key
