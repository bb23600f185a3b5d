// The hard query set (tests/fixtures/search/hard.json) over the bundled site: how many
// queries find the page a person wants in the top 3, overall and by kind.
//
//   node benches/hard_queries.mjs            # the client in this checkout
//   node benches/hard_queries.mjs REV        # the client of git revision REV (e.g. before a change),
//                                            # over the index this checkout's binary builds
// SOTAY_BIN picks the binary (default target/debug/sotay).
import { readFileSync, mkdtempSync, cpSync, writeFileSync, existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const repo = new URL('../', import.meta.url).pathname
const set = JSON.parse(readFileSync(join(repo, 'tests/fixtures/search/hard.json'), 'utf8'))
const tmp = mkdtempSync(join(tmpdir(), 'sotay-hard-'))
const rev = process.argv[2]
let client = join(repo, 'themes/default/static/search.js')
if (rev) {
  client = join(tmp, 'search.mjs')
  writeFileSync(client, execFileSync('git', ['show', `${rev}:themes/default/static/search.js`], { cwd: repo }))
}
const { search } = await import(pathToFileURL(client))

const bin = process.env.SOTAY_BIN || join(repo, 'target/debug/sotay')
if (!existsSync(bin)) throw new Error(`no binary at ${bin}: cargo build first`)
const root = join(tmp, 'site')
cpSync(join(repo, 'content'), join(root, 'content'), { recursive: true })
cpSync(join(repo, 'site.yaml'), join(root, 'site.yaml'))
execFileSync(bin, ['build', '--root', root, '--today', '2026-12-01'], { stdio: 'pipe' })
const out = join(root, 'public')
const load = async (path, binary) => {
  const b = await readFile(join(out, path))
  return binary ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : JSON.parse(b.toString('utf8'))
}

const by = {}
let found = 0
for (const c of set.cases) {
  const hits = await search(c.q, 3, load)
  const ok = hits.some((h) => h.url.split('#')[0] === c.want)
  found += ok
  const k = (by[c.kind] ||= [0, 0])
  k[0] += ok
  k[1]++
  if (process.env.VERBOSE) console.log(`${ok ? '✓' : '✗'} ${c.q} → ${hits.map((h) => h.url.split('#')[0]).join(' ')}`)
}
const pct = (a, b) => `${a}/${b} (${Math.round((100 * a) / b)} %)`
console.log(`client ${rev || 'this checkout'}: wanted page in the top 3 for ${pct(found, set.cases.length)}`)
for (const [k, [a, b]] of Object.entries(by)) console.log(`  ${k}: ${pct(a, b)}`)
