/**
 * A user as a company shows them: the company-specific name and picture set through
 * `users.update` with `account_id` replace the global ones [D S1 "shown for that user in chat"].
 */
import type { User } from './fixtures.js'

export function userInCompany(user: User, companyId: string | null): User {
  const override = companyId === null ? undefined : user.company_profiles?.[companyId]
  if (override === undefined) return user
  return { ...user, name: override.name ?? user.name, profile_pic_url: override.profile_pic_url ?? user.profile_pic_url }
}
