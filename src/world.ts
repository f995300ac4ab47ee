/**
 * The world's data types, from fixtures/schema.json's generated type. A fixture file names at least
 * one redirect URI per app (the schema's minItems); an app created through POST /api/v1/apps may
 * have none until it is updated, so the world, which holds both, says so. Imports nothing but
 * generated types, so options and state can both use it.
 */
import type { WhopAuthMockFixtures } from './generated/fixtures.js'

/** A fixture file's content, typed from fixtures/schema.json (see scripts/generate-types.mjs). */
export type FixtureData = WhopAuthMockFixtures
export type OAuthApp = Omit<FixtureData['apps'][number], 'redirect_uris'> & { redirect_uris: string[] }
/** The world the mock serves: the fixtures, plus what was created through the API since. */
export type WorldData = Omit<FixtureData, 'apps'> & { apps: OAuthApp[] }
