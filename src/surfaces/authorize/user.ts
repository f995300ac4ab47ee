/** A fixture user named by id or username (login_hint, the sign-in form's choice). */
import type { MockContext } from '../../context.js'
import { given } from '../../http/params.js'
import type { User } from '../../state/fixtures.js'

export function resolveUser(context: MockContext, idOrUsername: string | undefined): User | undefined {
  const hint = given(idOrUsername)
  if (hint === undefined) return undefined
  return context.fixtures.user(hint) ?? context.fixtures.userByUsername(hint)
}
