import { defineCase } from '../case.js'
import { fail, pass } from '../judge.js'
import { describeProfile, requestsOf, withCookies } from '../judge-oauth.js'
import { approvedSignIn } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-signs-in-and-reads-user',
  description:
    "After sign-in, profilePath shows the signed-in user by name, the app having read them from Whop with the user's access token",
  source: 'reference §2.2 Userinfo [D D-OAUTH]; §2.5 /v5/me [D V5Y], /api/v1/users/me [D NEW users.ts]; §4.3 step 4 [D AUTHJS]',
  part: 'oauth',
  scenario: approvedSignIn,
  verdict: (story, { oauth }) => {
    const expected = `GET ${oauth!.profilePath} answering 2xx with ${oauth!.userId}, after a GET of /oauth/userinfo, /v5/me or /api/v1/users/me with the user's token (at the callback or then)`
    if (story.profile === null)
      return fail(expected, story.callback.problem ?? 'the sign-in never came back to the callback', story.exchanges)
    if (!story.profile.namesUser)
      return fail(expected, withCookies(`after sign-in, ${describeProfile(story.profile, oauth!)}`, story, oauth!), requestsOf(story))
    // An app may read the user once at the callback and keep its own session, or read them on every visit.
    const reads = [...story.callbackReads, ...story.profile.reads]
    const read = reads.some((e) => e.status === 200 && /^Bearer\s/i.test(e.headers.authorization ?? ''))
    return read
      ? pass
      : fail(expected, `${oauth!.profilePath} named the user without reading them from Whop, at the callback or after`, requestsOf(story))
  },
})
