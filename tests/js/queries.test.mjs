// The shared query set (tests/fixtures/search/queries.json) over the fixture site, answered
// by the browser client from the files `sotay build` wrote; and, for every query, the very
// same hits as `sotay search --json` (same URLs, scores, snippets).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, mkdtempSync, cpSync, existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { search, rank } from '../../themes/default/static/search.js'

const repo = new URL('../../', import.meta.url).pathname
const set = JSON.parse(readFileSync(join(repo, 'tests/fixtures/search/queries.json'), 'utf8'))

export function sotayBinary () {
  const bin = process.env.SOTAY_BIN || join(repo, 'target/debug/sotay')
  if (!existsSync(bin)) execFileSync('cargo', ['build', '--quiet'], { cwd: repo, stdio: 'inherit' })
  return bin
}

export function buildFixture () {
  const root = join(mkdtempSync(join(tmpdir(), 'sotay-search-')), 'site')
  cpSync(join(repo, set.site), root, { recursive: true })
  const bin = sotayBinary()
  execFileSync(bin, ['build', '--root', root, '--today', '2026-11-29'], { stdio: 'pipe' })
  return { bin, root, out: join(root, 'public') }
}

export const diskLoader = (out) => async (path, binary) => {
  const b = await readFile(join(out, path))
  return binary ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : JSON.parse(b.toString('utf8'))
}

const page = (url) => url.split('#')[0]

export function check (c, hits) {
  const urls = hits.map((h) => h.url)
  const pages = urls.map(page)
  const wrong = []
  if (c.first && urls[0] !== c.first) wrong.push(`first should be ${c.first}`)
  if (c.first_page && pages[0] !== c.first_page) wrong.push(`first page should be ${c.first_page}`)
  for (const [a, b] of c.before || []) {
    const x = pages.indexOf(a)
    const y = pages.indexOf(b)
    if (x < 0 || y < 0 || x > y) wrong.push(`${a} should come before ${b}`)
  }
  for (const p of c.contains || []) if (!pages.includes(p)) wrong.push(`${p} should be found`)
  if (c.snippet && !(hits[0]?.snippet || '').includes(c.snippet)) wrong.push(`snippet should contain ${c.snippet}`)
  return wrong
}

const site = buildFixture()
const load = diskLoader(site.out)

test('every case of the query set holds in the client', async () => {
  const failures = []
  for (const c of set.cases) {
    const hits = await search(c.q, 10, load)
    for (const w of check(c, hits)) failures.push(`${JSON.stringify(c.q)}: ${w}; got ${hits.map((h) => h.url)}`)
    const { suggest } = await rank(c.q, load)
    if (c.suggest && suggest !== c.suggest) failures.push(`${JSON.stringify(c.q)}: suggestion should be ${c.suggest}, got ${suggest}`)
    if (c.no_suggest && suggest) failures.push(`${JSON.stringify(c.q)}: no suggestion expected, got ${suggest}`)
  }
  assert.deepEqual(failures, [])
})

test('the client and `sotay search --json` give the same hits', async () => {
  const extra = ['vă', 'cán bộ công chức', 'xin lỗi', 'trang phục công sở', 'nhũng nhiễu', 'zzz', '', '   ', 'sử lí', 'sa', 'lam', 'nhuwngx nhieeux', 'd9a8ng ky1', 'chuyện mùa hè ở lành', 'nam', 'tran', 'sa xa tra cha da gia ra na la sat']
  for (const q of [...set.cases.map((c) => c.q), ...extra]) {
    if (!q.trim()) {
      assert.deepEqual(await search(q, 10, load), [])
      continue
    }
    const cli = JSON.parse(execFileSync(site.bin, ['search', '--output', site.out, '--json', '--limit', '10', q], { encoding: 'utf8' }))
    const js = await search(q, 10, load)
    assert.deepEqual(js, cli, q)
    // The "Có phải bạn muốn tìm" line: the same query as read, or none.
    const text = execFileSync(site.bin, ['search', '--output', site.out, '--limit', '1', q], { encoding: 'utf8' })
    const said = /^Có phải bạn muốn tìm: (.*)\n/.exec(text)?.[1] ?? null
    assert.equal((await rank(q, load)).suggest ?? null, said, q)
  }
})
