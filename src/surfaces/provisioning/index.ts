/** Whop's provisioning API (apps, companies, users, files): one handler module per resource. */
import type { HandlerTable, MockContext } from '../../context.js'
import { appHandlers } from './apps.js'
import { companyHandlers } from './companies.js'
import { fileHandlers } from './files.js'
import { userHandlers } from './users.js'

export function provisioningHandlers(context: MockContext): HandlerTable {
  return { ...appHandlers(context), ...companyHandlers(context), ...userHandlers(context), ...fileHandlers(context) }
}
