/** Named handles on the built-in fixtures, so tests read as the situations they pin. */
import { readFileSync } from 'node:fs'
import { defaultFixturesPath } from '../../src/paths.js'
import type { FixtureData } from '../../src/state/fixtures.js'

export const defaults = JSON.parse(readFileSync(defaultFixturesPath, 'utf8')) as FixtureData

const key = (name: string) => defaults.api_keys.find((k) => k.name === name)!

export const acme = defaults.companies[0]!
export const globex = defaults.companies[1]!
export const initech = defaults.companies[2]!
export const jane = defaults.users[0]! // member of Acme and Globex
export const sam = defaults.users[1]! // member of Acme
export const maria = defaults.users[2]! // member of Globex
export const tom = defaults.users[3]! // member of Initech only; no email
export const companyKey = key('Acme Chat Co company key')
export const restrictedKey = key('Globex Studios read-only key')
export const appKey = key('Acme Chat Web app key')
export const confidentialApp = defaults.apps[0]!
export const publicApp = defaults.apps[1]!
