/** Whop's provisioning API (apps, companies, users, files): one handler module per resource. */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { appHandlers } from './apps.js'
import { companyHandlers } from './companies.js'
import { fileHandlers } from './files.js'
import { userHandlers } from './users.js'

export function provisioningHandlers(
  context: MockContext,
): Handlers<
  | 'createApp'
  | 'retrieveApp'
  | 'updateApp'
  | 'listApps'
  | 'createCompany'
  | 'retrieveCompany'
  | 'createFile'
  | 'retrieveFile'
  | 'uploadFileContent'
  | 'downloadFileContent'
  | 'retrieveUser'
  | 'updateUser'
  | 'checkUserAccess'
> {
  return { ...appHandlers(context), ...companyHandlers(context), ...userHandlers(context), ...fileHandlers(context) }
}
