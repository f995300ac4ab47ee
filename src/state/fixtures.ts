/**
 * Fixture files: the companies, users, OAuth apps and API keys the mock knows.
 * A file is checked against fixtures/schema.json and then for consistency (unique ids,
 * references that resolve); any problem is a FixtureError naming the JSON path.
 */
import { readFileSync } from 'node:fs'
import { readBuildRecord, sha256Of } from '../build-record.js'
import { createAjv } from '../spec/ajv.js'
import { fixturesSchemaPath } from '../paths.js'

export interface Company {
  id: string
  title: string
  member_ids: string[]
  /** Users with admin access (checkAccess answers `admin`). */
  admin_ids?: string[]
  /** Set on a connected account: the platform company it was created under. */
  parent_company_id?: string
  owner_user_id?: string
  metadata?: Record<string, unknown> | null
  send_customer_emails?: boolean
  created_at?: string
}

export interface User {
  id: string
  username: string
  name: string | null
  email: string | null
  email_verified?: boolean
  profile_pic_url: string | null
  bio?: string | null
  created_at?: string
  /** Company-specific name and picture, shown for the user in that company's context. */
  company_profiles?: Record<string, CompanyProfile>
}

export interface CompanyProfile {
  name?: string
  profile_pic_url?: string
}

export interface OAuthApp {
  id: string
  name: string
  company_id: string
  client_type: 'confidential' | 'public'
  client_secret?: string
  redirect_uris: string[]
  created_at?: string
}

export interface ApiKey {
  key: string
  name: string
  kind: 'company' | 'app'
  app_id?: string
  company_ids: string[]
  permissions: string[]
}

/** A scope a fixture file adds to the built-in list, with what the consent page says about it. */
export interface FixtureScope {
  name: string
  description: string
}

export interface FixtureData {
  scopes?: FixtureScope[]
  companies: Company[]
  users: User[]
  apps: OAuthApp[]
  api_keys: ApiKey[]
  /** Files created through POST /api/v1/files (runtime only; their bytes are kept apart). */
  files?: StoredFile[]
}

export interface StoredFile {
  id: string
  filename: string
  content_type: string | null
  size: number | null
  upload_status: 'pending' | 'ready'
  visibility: 'public' | 'private'
  owner_company_ids: string[]
  created_at: string
}

/** A fixture file that cannot be used: `path` is a JSON pointer into the file. */
export class FixtureError extends Error {
  override readonly name = 'FixtureError'
  constructor(
    readonly file: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(path === '' ? `${file} ${problem}` : `${file}: ${path} ${problem}`)
  }
}

let validateShape: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined

function shapeValidator() {
  validateShape ??= createAjv().compile(JSON.parse(readFileSync(fixturesSchemaPath, 'utf8')) as object)
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
    throw new FixtureError(file, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new FixtureError(file, '', `is not valid JSON: ${(error as Error).message}`)
  }
  if (readBuildRecord()?.fixtures.sha256 === sha256Of(text)) return parsed as FixtureData
  return checkFixtures(parsed, file)
}

/** Check already-parsed fixture data; `source` names it in errors. */
export function checkFixtures(data: unknown, source = 'fixtures'): FixtureData {
  const validate = shapeValidator()
  if (!validate(data)) {
    const first = validate.errors![0]!
    const where =
      first.keyword === 'required'
        ? `${first.instancePath}/${(first.params as { missingProperty: string }).missingProperty}`
        : first.keyword === 'additionalProperties'
          ? `${first.instancePath}/${(first.params as { additionalProperty: string }).additionalProperty}`
          : first.instancePath
    const problem =
      first.keyword === 'required'
        ? 'is required'
        : first.keyword === 'additionalProperties'
          ? 'is not a known field'
          : first.keyword === 'false schema'
            ? 'is not allowed here'
            : (first.message ?? 'is invalid')
    throw new FixtureError(source, where, problem)
  }
  const fixtures = data as FixtureData
  checkReferences(fixtures, source)
  return fixtures
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

  constructor(readonly data: FixtureData) {
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
