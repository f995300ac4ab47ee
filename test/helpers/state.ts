/** A tenant with one live grant, for the state tests. */
import { autoApprovedSignIn } from './oauth.js'

/** Sign in at `base` (auto-approve on there) and return the refresh token. */
export async function refreshTokenAt(base: string): Promise<string> {
  return (await autoApprovedSignIn(base)).refresh_token
}
