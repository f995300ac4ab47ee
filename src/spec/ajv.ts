/** The one way the mock builds JSON Schema validators (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
import { createRequire } from 'node:module'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type addFormatsModule from 'ajv-formats'

// Loaded on first use: a start that checks no JSON Schema (the usual one) never pays for ajv.
const require = createRequire(import.meta.url)

export type { ErrorObject, ValidateFunction } from 'ajv'

/** OpenAPI annotation keywords that carry no validation meaning. */
const ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator']

export function createAjv(options: { coerceTypes?: boolean } = {}): Ajv2020 {
  const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
  // ajv-formats is CommonJS; its export is the function itself.
  const addFormats = require('ajv-formats') as typeof addFormatsModule.default
  const ajv = new Ajv({
    allErrors: false,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
    useDefaults: false,
    coerceTypes: options.coerceTypes ?? false,
  })
  addFormats(ajv)
  for (const keyword of ANNOTATIONS) ajv.addKeyword(keyword)
  return ajv
}
