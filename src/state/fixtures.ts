/**
 * Fixture files: the companies, users, OAuth apps and API keys the mock knows.
 * A file is checked against fixtures/schema.json and then for consistency (unique ids,
 * references that resolve); any problem is a FixtureError naming the JSON path.
 */
import { readFileSync } from 'node:fs'
import { readBuildRecord, sha256Of } from '../build-record.js'
import { FixtureError } from '../errors/startup.js'
import { createAjv, type ValidateFunction } from '../spec/ajv.js'
import { describeSchemaError } from '../spec/schema-problem.js'
import { fixturesSchemaPath } from '../paths.js'

import type { FixtureData, OAuthApp, WorldData } from '../world.js'

export type { FixtureData, OAuthApp, WorldData }
export type Company = FixtureData['companies'][number]
export type User = FixtureData['users'][number]
export type ApiKey = FixtureData['api_keys'][number]
/** A scope a fixture file adds to the built-in list, with what the consent page says about it. */
export type FixtureScope = NonNullable<FixtureData['scopes']>[number]
/** Company-specific name and picture, shown for the user in that company's context. */
export type CompanyProfile = NonNullable<User['company_profiles']>[string]
/** A file created through POST /api/v1/files (runtime only; its bytes are kept apart). */
export type StoredFile = NonNullable<FixtureData['files']>[number]

let validateShape: ValidateFunction<FixtureData> | undefined

function shapeValidator(): ValidateFunction<FixtureData> {
  validateShape ??= createAjv().compile<FixtureData>(JSON.parse(readFileSync(fixturesSchemaPath, 'utf8')))
  return validateShape
}

/**
 * Read, parse and check a fixture file. Bytes the build already checked (the built-in fixtures,
 * see build-record.ts) skip the schema check, the slowest part of a start.
 */
export function readFixtureFile(file: string): FixtureData {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new FixtureError(file, '', `cannot be read (${(error instanceof Error && 'code' in error && String(error.code)) || 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new FixtureError(file, '', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (readBuildRecord()?.fixtures.sha256 === sha256Of(text)) return parsed as FixtureData
  return checkFixtures(parsed, file)
}

/** Check already-parsed fixture data; `source` names it in errors. */
export function checkFixtures(data: unknown, source = 'fixtures'): FixtureData {
  const validate = shapeValidator()
  if (!validate(data)) {
    const first = validate.errors?.[0]
    if (first === undefined) throw new FixtureError(source, '', 'does not match fixtures/schema.json')
    const problem = describeSchemaError(first)
    throw new FixtureError(source, problem.at.map((segment) => `/${segment}`).join(''), problem.words)
  }
  checkReferences(data, source)
  return data
}

function checkReferences(f: FixtureData, source: string): void {
  const fail = (path: string, problem: string): never => {
    throw new FixtureError(source, path, problem)
  }
  const unique = (items: { id?: string; key?: string }[], collection: string) => {
    const seen = new Set<string>()
    items.forEach((item, i) => {
      const id = item.id ?? item.key ?? ''
      if (seen.has(id)) fail(`/${collection}/${i}`, `repeats ${id}`)
      seen.add(id)
    })
    return seen
  }
  const userIds = unique(f.users, 'users')
  const companyIds = unique(f.companies, 'companies')
  const appIds = unique(f.apps, 'apps')
  unique(f.api_keys, 'api_keys')
  f.companies.forEach((c, i) =>
    c.member_ids.forEach((id, j) => userIds.has(id) || fail(`/companies/${i}/member_ids/${j}`, `names unknown user ${id}`)),
  )
  f.apps.forEach((a, i) => companyIds.has(a.company_id) || fail(`/apps/${i}/company_id`, `names unknown company ${a.company_id}`))
  f.api_keys.forEach((k, i) => {
    k.company_ids.forEach((id, j) => companyIds.has(id) || fail(`/api_keys/${i}/company_ids/${j}`, `names unknown company ${id}`))
    if (k.app_id !== undefined && !appIds.has(k.app_id)) fail(`/api_keys/${i}/app_id`, `names unknown app ${k.app_id}`)
  })
}

/** Fixtures with the look-ups the surfaces need. */
export class FixtureSet {
  readonly #users = new Map<string, User>()
  readonly #companies = new Map<string, Company>()
  readonly #apps = new Map<string, OAuthApp>()
  readonly #keys = new Map<string, ApiKey>()

  constructor(readonly data: WorldData) {
    for (const u of data.users) this.#users.set(u.id, u)
    for (const c of data.companies) this.#companies.set(c.id, c)
    for (const a of data.apps) this.#apps.set(a.id, a)
    for (const k of data.api_keys) this.#keys.set(k.key, k)
  }

  user(id: string): User | undefined {
    return this.#users.get(id)
  }

  userByUsername(username: string): User | undefined {
    return this.data.users.find((u) => u.username.toLowerCase() === username.toLowerCase())
  }

  company(id: string): Company | undefined {
    return this.#companies.get(id)
  }

  app(id: string): OAuthApp | undefined {
    return this.#apps.get(id)
  }

  apiKey(key: string): ApiKey | undefined {
    return this.#keys.get(key)
  }

  /** The API key of an app (the @whop/api flow sends it as the client secret). */
  appApiKeys(appId: string): ApiKey[] {
    return this.data.api_keys.filter((k) => k.app_id === appId)
  }

  /** Runtime additions (provisioning): each is visible in data and in the look-ups at once. */
  addUser(user: User): void {
    this.data.users.push(user)
    this.#users.set(user.id, user)
  }

  addCompany(company: Company): void {
    this.data.companies.push(company)
    this.#companies.set(company.id, company)
  }

  addApp(app: OAuthApp): void {
    this.data.apps.push(app)
    this.#apps.set(app.id, app)
  }

  addApiKey(key: ApiKey): void {
    this.data.api_keys.push(key)
    this.#keys.set(key.key, key)
  }

  isMember(userId: string, companyId: string): boolean {
    return this.#companies.get(companyId)?.member_ids.includes(userId) ?? false
  }
}
