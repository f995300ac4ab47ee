/** The one way the mock builds JSON Schema validators (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default

export type { ErrorObject, ValidateFunction } from 'ajv'

/** OpenAPI annotation keywords that carry no validation meaning. */
const ANNOTATIONS = ['example', 'xml', 'externalDocs', 'discriminator']

export function createAjv(options: { coerceTypes?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({
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
