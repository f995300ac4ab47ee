/** Whop's provisioning API (apps, companies, users, files): one handler module per resource. */
import type { MockContext } from '../../context.js'
import type { Handlers } from '../../handlers.js'
import { appHandlers } from './apps.js'
import { companyHandlers } from './companies.js'
import { fileHandlers } from './files.js'
import { userHandlers } from './users.js'
import { sharingChanges } from '../../shared-world.js'

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
  const handlers = { ...appHandlers(context), ...companyHandlers(context), ...userHandlers(context), ...fileHandlers(context) }
  if (context.world === null) return handlers
  // With shared state, what these change reaches every replica before they answer (uploads share their own).
  return {
    ...handlers,
    createApp: sharingChanges(context, handlers.createApp),
    updateApp: sharingChanges(context, handlers.updateApp),
    createCompany: sharingChanges(context, handlers.createCompany),
    createFile: sharingChanges(context, handlers.createFile),
    updateUser: sharingChanges(context, handlers.updateUser),
  }
}
