/**
 * The case catalog: every module in cases/ is one case, found by listing the directory, so a
 * new edge case (the OAuth ones included) is one new file and nothing else. The file name is
 * the case id; a module that does not describe a whole case stops the run with its name.
 */
import { readdir } from 'node:fs/promises'
import { PARTS, type ConformanceCase } from './case.js'
import { SIGN_IN_VARIANTS } from '../eras.js'

const casesDir = new URL('./cases/', import.meta.url)

/** Runs from src/ (TypeScript, under the test loader) and dist/ (JavaScript) alike. */
const isCaseModule = (file: string) => /\.(ts|js)$/.test(file) && !file.endsWith('.d.ts')

/** What is wrong with a case module's default export; empty when it is a whole case. */
export function caseProblems(value: unknown, slug: string): string[] {
  const c = value as Partial<ConformanceCase> | undefined
  if (c === undefined || c === null || typeof c !== 'object') return ['has no default export made with defineCase']
  const problems: string[] = []
  if (c.id !== slug) problems.push(`id ${JSON.stringify(c.id)} is not the file name ${slug}`)
  if (typeof c.description !== 'string' || c.description === '' || c.description.includes('\n'))
    problems.push('description must be one line')
  if (typeof c.source !== 'string' || c.source === '') problems.push('source must name the documented source')
  if (!PARTS.includes(c.part as (typeof PARTS)[number])) problems.push(`part must be one of ${PARTS.join(', ')}`)
  const variants = SIGN_IN_VARIANTS.map((v) => v.name)
  if (c.flows !== undefined && (c.part !== 'oauth' || c.flows.length === 0 || !c.flows.every((f) => variants.includes(f)))) {
    problems.push(`flows must be a non-empty list of ${variants.join(', ')}, on an oauth case`)
  }
  if (typeof c.scenario?.run !== 'function' || typeof c.scenario.key !== 'string') problems.push('scenario is missing')
  if (typeof c.verdict !== 'function') problems.push('verdict is missing')
  if (c.control !== undefined && (typeof c.control.failure !== 'function' || typeof c.control.scenario?.key !== 'string'))
    problems.push('control must be made with defineControl')
  return problems
}

/** Every case, in file-name order (which groups them by part). */
export async function loadCases(): Promise<ConformanceCase[]> {
  const files = (await readdir(casesDir)).filter(isCaseModule).sort()
  return Promise.all(
    files.map(async (file) => {
      const slug = file.replace(/\.(ts|js)$/, '')
      const mod = (await import(new URL(file, casesDir).href)) as { default?: unknown }
      const problems = caseProblems(mod.default, slug)
      if (problems.length > 0) throw new Error(`conformance case ${file}: ${problems.join('; ')}`)
      return mod.default as ConformanceCase
    }),
  )
}
