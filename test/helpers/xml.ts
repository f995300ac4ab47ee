/**
 * A strict little XML reader for checking reports: elements, attributes, text and the
 * predefined and numeric entities. It throws on anything malformed (unclosed or crossed tags,
 * a bare & or <, unquoted attributes, characters XML 1.0 forbids) instead of guessing.
 */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`bare < at ${where}`)
  return raw.replace(/&([^;]*);|&/g, (match, name: string | undefined) => {
    if (name === undefined) throw new Error(`bare & at ${where}`)
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10))
    const value = ENTITIES[name]
    if (value === undefined) throw new Error(`unknown entity ${match} at ${where}`)
    return value
  })
}

export function parseXml(source: string): XmlElement {
  if (FORBIDDEN.test(source)) throw new Error('document contains a character XML 1.0 forbids')
  let at = 0
  const skipSpace = () => {
    while (/\s/.test(source[at] ?? '')) at++
  }
  if (source.startsWith('<?xml')) at = source.indexOf('?>') + 2
  const element = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)/.exec(source.slice(at))
    if (open === null) throw new Error(`expected an element at ${at}`)
    at += open[0].length
    const node: XmlElement = { name: open[1]!, attributes: {}, children: [], text: '' }
    for (;;) {
      skipSpace()
      if (source.startsWith('/>', at)) {
        at += 2
        return node
      }
      if (source[at] === '>') break
      const attribute = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(source.slice(at))
      if (attribute === null) throw new Error(`malformed attribute at ${at}`)
      if (attribute[1]! in node.attributes) throw new Error(`repeated attribute ${attribute[1]} at ${at}`)
      node.attributes[attribute[1]!] = decode(attribute[3] ?? attribute[4]!, at)
      at += attribute[0].length
    }
    at++
    for (;;) {
      const next = source.indexOf('<', at)
      if (next < 0) throw new Error(`<${node.name}> is never closed`)
      node.text += decode(source.slice(at, next), at)
      at = next
      if (source.startsWith(`</${node.name}>`, at)) {
        at += node.name.length + 3
        return node
      }
      if (source.startsWith('</', at)) throw new Error(`</${source.slice(at + 2, source.indexOf('>', at))}> closes <${node.name}> at ${at}`)
      node.children.push(element())
    }
  }
  skipSpace()
  const root = element()
  skipSpace()
  if (at !== source.length) throw new Error(`content after the root element at ${at}`)
  return root
}

/** Every element named `name` under `node`, depth first. */
export function findAll(node: XmlElement, name: string): XmlElement[] {
  return [...(node.name === name ? [node] : []), ...node.children.flatMap((child) => findAll(child, name))]
}
