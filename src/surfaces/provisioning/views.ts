/**
 * How the v1 API shows apps, companies and users: @whop/sdk 0.0.42's `App`, `Company` and
 * `User` types, every required field present. What the mock does not model (stats, builds,
 * balances) is null or empty.
 * @see docs/whop-reference.md §10; @whop/sdk resources/shared.ts, users.ts
 */
import type { Company, FixtureSet, OAuthApp, User } from '../../state/fixtures.js'

/** Mock choice: fixture objects have no creation date, so they show one fixed date. */
export const FIXTURE_CREATED_AT = '2024-01-01T00:00:00.000Z'

function ownerOf(fixtures: FixtureSet, company: Company | undefined): User | undefined {
  const id = company?.owner_user_id ?? company?.admin_ids?.[0] ?? company?.member_ids[0]
  return id === undefined ? undefined : fixtures.user(id)
}

function userRef(user: User | undefined) {
  return user === undefined ? { id: '', name: null, username: '' } : { id: user.id, name: user.name, username: user.username }
}

/** What apps.list shows: no credentials. */
export function appListView(fixtures: FixtureSet, app: OAuthApp) {
  const company = fixtures.company(app.company_id)
  return {
    id: app.id,
    app_type: 'b2b_app',
    base_url: null,
    company: { id: app.company_id, title: company?.title ?? '' },
    creator: userRef(ownerOf(fixtures, company)),
    dashboard_path: null,
    description: null,
    discover_path: null,
    domain_id: app.id.slice(4).toLowerCase(),
    experience_path: null,
    hosted_url: null,
    icon: null,
    name: app.name,
    openapi_path: null,
    origin: null,
    route: null,
    skills_path: null,
    status: 'unlisted',
    verified: false,
  }
}

/** What apps.create/retrieve/update show: the app API key and, as `client_secret`, the OAuth secret. */
export function appView(fixtures: FixtureSet, app: OAuthApp) {
  const key = fixtures.appApiKeys(app.id)[0]
  return {
    ...appListView(fixtures, app),
    api_key:
      key === undefined
        ? null
        : { id: key.key.split('_').slice(0, 2).join('_'), token: key.key, created_at: app.created_at ?? FIXTURE_CREATED_AT },
    production_web_build: null,
    redirect_uris: app.redirect_uris,
    requested_permissions: [],
    secrets: null,
    stats: null,
    oauth_client_type: app.client_type,
    client_secret: app.client_secret ?? null,
  }
}

export function companyView(fixtures: FixtureSet, company: Company) {
  const created = company.created_at ?? FIXTURE_CREATED_AT
  return {
    id: company.id,
    affiliate_instructions: null,
    created_at: created,
    description: null,
    featured_affiliate_product: null,
    logo: null,
    member_count: company.member_ids.length,
    metadata: company.metadata ?? null,
    owner_user: userRef(ownerOf(fixtures, company)),
    published_reviews_count: 0,
    route:
      company.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || company.id.toLowerCase(),
    send_customer_emails: company.send_customer_emails ?? false,
    social_links: [],
    target_audience: null,
    title: company.title,
    updated_at: created,
    verified: false,
  }
}

/** A user's public profile; with a company, that company's name and picture override the global ones. */
export function userView(user: User, companyId: string | null) {
  const override = companyId === null ? undefined : user.company_profiles?.[companyId]
  const picture = override?.profile_pic_url ?? user.profile_pic_url
  return {
    id: user.id,
    balance: null,
    balance_history: null,
    bio: user.bio ?? null,
    created_at: user.created_at ?? FIXTURE_CREATED_AT,
    earnings_usd: null,
    name: override?.name ?? user.name,
    profile_picture: picture === null ? null : { url: picture },
    username: user.username,
    verification: { individual: null, business: null },
    whop_partner_enabled_at: null,
  }
}
