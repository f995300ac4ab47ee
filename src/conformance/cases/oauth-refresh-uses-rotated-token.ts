import { defineCase } from '../case.js'
import { fail, pass, skip } from '../judge.js'
import { acceptedRefresh, bodyField, describeProfile, notApplicableWithoutTokens } from '../judge-oauth.js'
import { refreshes, variantsWhere } from '../../eras.js'
import { expiringSession } from '../scenarios/oauth.js'

export default defineCase({
  id: 'oauth-refresh-uses-rotated-token',
  description: 'The next refresh (mock clock +3601 s again) sends the refresh token the previous refresh returned, which Whop accepts',
  source: 'reference §2.2 Token: "Refresh tokens rotate on every use" [D D-OAUTH]; §6 item 10 [D, I]',
  part: 'oauth',
  flows: variantsWhere(refreshes),
  scenario: expiringSession,
  verdict: ({ afterFirstExpiry, afterSecondExpiry: after }, { oauth }) => {
    const notApplicable = notApplicableWithoutTokens(oauth!)
    if (notApplicable !== null) return notApplicable
    const first = acceptedRefresh(afterFirstExpiry)
    if (first === undefined || after === null)
      return skip('the app did not refresh once (see oauth-refreshes-after-access-token-expiry), so rotation cannot be judged')
    const expected = 'a second refresh with the rotated refresh token, accepted, and the user read again'
    const evidence = [first, ...after.refreshes, ...after.reads].sort((a, b) => a.id - b.id)
    const second = after.refreshes[0]
    if (second === undefined) return fail(expected, `the app sent no second refresh; ${describeProfile(after, oauth!)}`, evidence)
    const reused =
      bodyField(second, 'refresh_token') === bodyField(first, 'refresh_token') ? ', the same refresh token as the first refresh' : ''
    if (acceptedRefresh(after) === undefined)
      return fail(expected, `Whop refused the second refresh with ${second.status}${reused}`, evidence)
    return after.namesUser ? pass : fail(expected, `after the second refresh, ${describeProfile(after, oauth!)}`, evidence)
  },
})
