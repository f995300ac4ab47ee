/** Request parameters, from a query string, a form or JSON: an empty string counts as not given, as forms send an empty field. */
export function given(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
