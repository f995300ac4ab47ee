/**
 * The API families of the spec's `x-error-family`: each names how errors are spelled on its
 * routes (http/envelopes.ts renders them). One family is the mock's own control API.
 */
export const ERROR_FAMILIES = ['v1', 'oauth', 'v5', 'v2', 'control', 'html'] as const
export type ErrorFamily = (typeof ERROR_FAMILIES)[number]

export function isErrorFamily(value: unknown): value is ErrorFamily {
  return typeof value === 'string' && (ERROR_FAMILIES as readonly string[]).includes(value)
}

/** The mock's own test-control API: never faulted, never journaled. */
export const CONTROL_FAMILY = 'control' satisfies ErrorFamily

/** The spec tag of every control operation; an operation has it exactly when its family is `control`. */
export const CONTROL_TAG = 'Mock control'
