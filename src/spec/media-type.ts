/** The media type of a Content-Type value: lower-cased, without parameters such as charset. */
export function mediaTypeOf(contentType: string | undefined): string {
  return contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
}
