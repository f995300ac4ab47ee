import { defineCase } from '../case.js'
import { fail, pass, skip } from '../judge.js'
import { acceptedRefresh, describeProfile, notApplicableWithoutTokens } from '../judge-oauth.js'
import { refreshes, variantsWhere } from '../../eras.js'
import { expiringSession } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-refreshes-after-access-token-expiry',
  description: 'Once the access token has expired (mock clock +3601 s), profilePath refreshes it and reads the user with the new one',
  source:
    'reference §2.2 Token: access tokens expire after 1 hour, refresh_token grant [D D-OAUTH]; §4.4 [D D-OAUTH]; §6 item 9: an expired token gets 401 [I]',
  part: 'oauth',
  flows: variantsWhere(refreshes),
  scenario: expiringSession,
  verdict: ({ afterFirstExpiry: after }, { oauth }) => {
    const notApplicable = notApplicableWithoutTokens(oauth!)
    if (notApplicable !== null) return notApplicable
    if (after === null) return skip('the sign-in did not leave a working session (see oauth-signs-in-and-reads-user)')
    const expected = `a refresh_token grant, then a read of the user with the new token, and ${oauth!.profilePath} answering 2xx with the user`
    const refresh = acceptedRefresh(after)
    const evidence = [...after.reads, ...after.refreshes].sort((a, b) => a.id - b.id)
    if (refresh === undefined)
      return fail(
        expected,
        after.refreshes.length === 0
          ? `the app sent no refresh; ${describeProfile(after, oauth!)}`
          : `Whop refused the refresh with ${after.refreshes[0]!.status}`,
        evidence,
      )
    if (!after.reads.some((e) => e.id > refresh.id && e.status === 200) || !after.namesUser)
      return fail(expected, `after refreshing, ${describeProfile(after, oauth!)}`, evidence)
    return pass
  },
})
