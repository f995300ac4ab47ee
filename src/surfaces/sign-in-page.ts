/**
 * The sign-in and consent page: real HTML that works without JavaScript. The person picks a
 * fixture user (or types a username), sees the app and the scopes it asks for, and approves or
 * denies. Everything user-supplied is escaped.
 */
import { escapeHtml } from '../http/envelopes.js'
import { PERMISSION_SHAPE } from '../oauth/scope-catalog.js'
import type { User } from '../state/fixtures.js'

export interface SignInPageModel {
  appName: string
  clientId: string
  scopes: string[]
  /** What the consent page says a scope lets the app do (built-in and fixture scopes). */
  describeScope: (scope: string) => string | undefined
  companyTitle: string | null
  users: User[]
  selectedUserId: string | null
  /** Where the form posts: the tenant's POST /oauth/authorize. */
  formAction: string
  transaction: string
  csrf: string
  error: string | null
}

const STYLE = `
body{font-family:system-ui,sans-serif;line-height:1.45;max-width:34rem;margin:2.5rem auto;padding:0 1rem;color:#111}
h1{font-size:1.4rem}.muted{color:#555}fieldset{border:1px solid #ccc;border-radius:8px;margin:1rem 0;padding:.5rem 1rem}
label{display:block;padding:.3rem 0}input[type=text]{font:inherit;padding:.25rem .5rem;border:1px solid #888;border-radius:4px}
ul{padding-left:1.2rem}li{margin:.25rem 0}code{font-family:ui-monospace,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:.9em;background:#f3f3f3;padding:0 .25rem;border-radius:3px}
.error{background:#fee;border:1px solid #c00;padding:.5rem 1rem;border-radius:6px}
.actions{display:flex;gap:.75rem;margin-top:1.25rem}button{font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:1px solid #888;background:#f6f6f6;cursor:pointer}
button[value=approve]{background:#08783a;color:#fff;border-color:#06602e}button:focus-visible,input:focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}`

function userChoice(user: User, selected: boolean): string {
  const id = escapeHtml(user.id)
  return `<label><input type="radio" name="user_id" value="${id}"${selected ? ' checked' : ''}> <strong>${escapeHtml(user.name ?? user.username)}</strong> <span class="muted">@${escapeHtml(user.username)} · ${id}</span></label>`
}

/**
 * A scope with what it lets the app do; a permission the mock does not know says so; a legacy
 * free-form scope (a `biz_` id) is shown as given.
 */
function scopeItem(scope: string, description: string | undefined): string {
  const note =
    description !== undefined
      ? `: ${escapeHtml(description)}`
      : PERMISSION_SHAPE.test(scope)
        ? ': <em class="undescribed">not described (a permission the mock does not know)</em>'
        : ''
  return `<li><code>${escapeHtml(scope)}</code>${note}</li>`
}

export function renderSignInPage(model: SignInPageModel): string {
  const scopes = model.scopes.length === 0 ? '<li>Sign you in</li>' : model.scopes.map((s) => scopeItem(s, model.describeScope(s))).join('')
  const selected = model.selectedUserId ?? model.users[0]?.id ?? null
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in to ${escapeHtml(model.appName)} · whop-auth-mock</title><style>${STYLE}</style></head>
<body>
<p class="muted">whop-auth-mock · stands in for Whop's sign-in</p>
<h1>Sign in to <span id="app-name">${escapeHtml(model.appName)}</span></h1>
${model.error === null ? '' : `<p class="error" role="alert">${escapeHtml(model.error)}</p>`}
<form method="post" action="${escapeHtml(model.formAction)}">
<input type="hidden" name="transaction" value="${escapeHtml(model.transaction)}">
<input type="hidden" name="csrf" value="${escapeHtml(model.csrf)}">
<fieldset><legend>Who are you?</legend>
${model.users.map((u) => userChoice(u, u.id === selected)).join('\n')}
<label>or type a username: <input type="text" name="username" autocomplete="username" placeholder="username"></label>
</fieldset>
<p><strong>${escapeHtml(model.appName)}</strong> <span class="muted">(${escapeHtml(model.clientId)})</span> asks to:</p>
<ul id="scopes">${scopes}</ul>
${model.companyTitle === null ? '' : `<p>for the company <strong>${escapeHtml(model.companyTitle)}</strong></p>`}
<div class="actions"><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny">Deny</button></div>
</form>
</body></html>
`
}
