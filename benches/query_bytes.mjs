// Bytes one query downloads with an empty cache, without a browser: the client's own
// `search(q, 5)` over a built site through a loader that counts each file once, gzip
// level 6, plus the client module itself. (benches/search-bytes.mjs measures the same in
// Chromium, with Pagefind beside it.)
//
//   node benches/query_bytes.mjs SITE_OUTPUT [QUERY...]
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import { search } from '../themes/default/static/search.js'

const [dir, ...args] = process.argv.slice(2)
const queries = args.length
  ? args
  : ['văn hóa công vụ', 'cán bộ', 'vawn hoas cong vuj', 'nhuwngx nhieeux', 'd9a8ng ky1', 'sử lí kỉ luật', 'chang phục', 'luật cán bộ công chức', 'sa xa tra cha da gia ra na']
const client = gzipSync(readFileSync(new URL('../themes/default/static/search.js', import.meta.url)), { level: 6 }).length
console.log(`client: ${client} B gzip`)
for (const q of queries) {
  const seen = new Map()
  const load = async (path, binary) => {
    const b = readFileSync(join(dir, path))
    if (!seen.has(path)) seen.set(path, gzipSync(b, { level: 6 }).length)
    return binary ? b.buffer.slice(b.byteOffset, b.byteOffset + b.length) : JSON.parse(b.toString('utf8'))
  }
  await search(q, 5, load)
  const bytes = [...seen.values()].reduce((a, b) => a + b, 0)
  console.log(`${q}: ${seen.size} files, ${((bytes + client) / 1024).toFixed(1)} KB gzip with the client`)
}
