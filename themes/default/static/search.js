// sotay search client: one dependency-free module. It mirrors src/search in Rust
// (tokenize, query, rank, snippet; the reasons are written there) so that the page and
// `sotay search` rank alike; tests/js checks both on the same vectors and queries.

// ---- Text contract (tests/data/vietnamese-text-spec.md) ----
const TONE = { '\u0301': 1, '\u0300': 2, '\u0309': 3, '\u0303': 4, '\u0323': 5 }
const IY = /^(b|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y$/
const TOK = /[\p{Alphabetic}\p{N}][\p{Alphabetic}\p{N}\p{M}]*/gu
// Per character, as Rust lowercases (JavaScript alone turns a word-final Σ into ς).
const lower = (s) => (s.includes('Σ') ? Array.from(s, (c) => c.toLowerCase()).join('') : s.toLowerCase())
const iy = (s) => (IY.test(s) ? s.slice(0, -1) + 'i' : s)
export const fold = (s) => lower(s.normalize('NFD')).replace(/\p{M}/gu, '').replace(/đ/g, 'd')
const memo = new Map()
export const folded = (w) => {
  if (memo.size > 1e5) memo.clear()
  let f = memo.get(w)
  if (f == null) memo.set(w, (f = iy(fold(w))))
  return f
}
export function toned (w) {
  let b = ''
  let t = ''
  for (const c of lower(w.normalize('NFD'))) TONE[c] ? (t += TONE[c]) : (b += c)
  return iy(b.normalize('NFC')) + t
}
export const slug = (s) => fold(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
const SYM = '(\\p{L}[\\p{L}\\p{N}]*(?:\\s*[-.]\\s*[\\p{L}\\p{N}]+)*)'
const EXACT = new RegExp(`^\\s*(\\p{Nd}{1,5})\\s*/\\s*(?:(\\p{Nd}{4})\\s*/\\s*)?${SYM}\\s*$`, 'u')
const LOOSE = new RegExp(`(\\p{Nd}{1,5})\\s*/\\s*(?:\\p{Nd}{4}\\s*/\\s*)?${SYM}`, 'gu')
const TEXT = /([0-9]{1,5})\/(?:([0-9]{4})\/)?(\p{L}[\p{L}\p{N}]*(?:[-.][\p{L}\p{N}]+)*)/gu
// Letters a cited symbol may use: the Vietnamese alphabet (look-alikes are never cited).
const FOREIGN = /(?![a-zA-Z\u1EA0-\u1EF9ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư])\p{L}/u
const zeros = (n) => n.replace(/^0+/, '') || '0'
const parts = (m) =>
  `${zeros(m[1])}/${m[2] ? m[2] + '/' : ''}${fold(m[3]).replace(/\s/gu, '').toUpperCase()}`
export function canonical (s) {
  const m = EXACT.exec(s)
  return m ? parts(m) : null
}
export function extract (s) {
  const out = []
  for (const m of s.matchAll(TEXT)) {
    const before = s.slice(0, m.index).slice(-1)
    if (/[\p{Alphabetic}\p{N}/]/u.test(before) || [...m[3]].length < 2 || !/\p{Uppercase}/u.test(m[3]) || FOREIGN.test(m[3])) continue
    out.push(parts(m))
  }
  return out
}
const words = (s, tones) =>
  [...s.matchAll(TOK)].map((m) => ({ f: folded(m[0]), t: tones && toned(m[0]), s: m.index, e: m.index + m[0].length, w: m[0] }))

// ---- Query (query.rs) ----
export function parse (raw) {
  const q = raw.normalize('NFC')
  const ws = words(q, 1).slice(0, 8)
  const prefix = /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q)
  const marked = ws.some((w) => /[\p{M}đĐ]/u.test(w.w.normalize('NFD')))
  const terms = []
  const push = (key, variant, pre) => terms.some((t) => t.key === key) || terms.push({ key, variant, prefix: pre })
  ws.forEach((w, i) => {
    const n = ws[i + 1]
    push('1' + w.f, marked ? w.t : null, prefix && i === ws.length - 1 && [...w.f].length >= 2)
    if (n) push(`2${w.f} ${n.f}`, marked ? `${w.t} ${n.t}` : null, prefix && i + 2 === ws.length)
  })
  const spans = []
  for (const m of q.matchAll(LOOSE)) {
    const c = canonical(m[0])
    if (c) push('1#' + c.toLowerCase(), null, false), spans.push([m.index, m.index + m[0].length])
  }
  for (const w of ws) {
    const m = /^\p{L}*(\p{Nd}{1,5})$/u.exec(w.f)
    if (m && !spans.some(([s, e]) => w.s > s && w.s < e)) push('1#' + zeros(m[1]), null, false)
  }
  return { words: ws, prefix, marked, terms }
}

// ---- Files (shard.rs) ----
const dec = new TextDecoder()
function reader (buf) {
  const a = new Uint8Array(buf)
  let i = 0
  const r = {
    byte: () => a[i++],
    v () {
      let n = 0
      let s = 1
      let b
      do (b = a[i++]), (n += (b & 127) * s), (s *= 128)
      while (b > 127)
      return n
    },
    take: (n) => a.subarray(i, (i += n))
  }
  return r
}
function readShard (buf) {
  const r = reader(buf)
  const out = []
  let prev = new Uint8Array(0)
  for (let n = r.v(); n--;) {
    const shared = r.v()
    const suffix = r.take(r.v())
    const kb = new Uint8Array(shared + suffix.length)
    kb.set(prev.subarray(0, shared))
    kb.set(suffix, shared)
    prev = kb
    const key = dec.decode(kb)
    const df = r.v()
    const h = r.v()
    const nv = h >> 1
    const vars = []
    for (let j = nv; j--;) vars.push(key[0] === '2' ? r.v() : dec.decode(r.take(r.v())))
    const lists = [0, 1].map((l) => {
      const m = r.v()
      const p = []
      if (m) {
        let page = 0
        for (let c = r.v(); c--;) {
          page += r.v()
          p.push({ page, block: l ? r.v() : 0, q: r.byte(), mask: h & 1 ? r.v() : +(nv === 1) })
        }
      }
      return { m, p }
    })
    out.push({ key, df, vars, lists })
  }
  return out
}
function covering (entries, key, prefix) {
  let s = -1
  entries.forEach((e, i) => e[0] <= key && (s = i))
  const out = s < 0 ? [] : [entries[s][1]]
  if (prefix) for (let i = s + 1; i < entries.length && entries[i][0].startsWith(key); i++) out.push(entries[i][1])
  return out
}

// ---- Ranking (rank.rs) ----
const BASE = new URL('./', import.meta.url)
const cache = new Map()
export const web = (path, bin) => {
  if (!cache.has(path)) {
    cache.set(path, fetch(new URL(path, BASE)).then((r) => {
      if (!r.ok) throw new Error(path)
      return bin ? r.arrayBuffer() : r.json()
    }))
  }
  return cache.get(path)
}
const uniq = (a) => [...new Set(a)].sort()
// Decoded shards, kept beside the downloaded bytes so a query decodes each file once.
const parsed = new WeakMap()
const decoded = (buf) => parsed.get(buf) || parsed.set(buf, readShard(buf)).get(buf)

// The mask bit of the spelling a term was typed with: a word's by its spellings, a pair's
// by the spellings of its two words (which the query always looks up too).
function toneBit (e, t, byKey) {
  if (t.variant == null) return 0
  let i
  if (e.key[0] === '2') {
    const [f1, f2] = e.key.slice(1).split(' ')
    const [t1, t2] = t.variant.split(' ')
    const a = byKey.get('1' + f1)?.vars.indexOf(t1) ?? -1
    const b = byKey.get('1' + f2)?.vars.indexOf(t2) ?? -1
    i = a < 0 || b < 0 ? -1 : e.vars.indexOf(a * 32 + b)
  } else i = e.vars.indexOf(t.variant)
  return i < 0 ? 0 : 2 ** i
}

async function loadTerms (query, load) {
  const man = await load('search/manifest.json')
  const dirFiles = uniq(query.terms.flatMap((t) => covering(man.dirs, t.key, t.prefix)))
  const dirs = {}
  await Promise.all(dirFiles.map(async (d) => (dirs[d] = await load(`search/d/${d}.json`))))
  const shardFiles = uniq(
    query.terms.flatMap((t) => covering(man.dirs, t.key, t.prefix).flatMap((d) => covering(dirs[d], t.key, t.prefix)))
  )
  const entries = (await Promise.all(shardFiles.map((s) => load(`search/s/${s}.bin`, 1)))).flatMap(decoded)
  const byKey = new Map(entries.map((e) => [e.key, e]))
  const terms = query.terms.map((t) => {
    const e = byKey.get(t.key)
    const keys = e ? [{ e, exact: true, bit: toneBit(e, t, byKey) }] : []
    if (t.prefix) {
      const exp = []
      for (const x of entries) if (x.key !== t.key && x.key.startsWith(t.key) && !exp.some((y) => y.key === x.key)) exp.push(x)
      exp.sort((a, b) => b.df - a.df || (a.key < b.key ? -1 : 1))
      for (const x of exp.slice(0, 12)) keys.push({ e: x, exact: false, bit: 0 })
    }
    return keys
  })
  return { man, terms }
}

// Every matching page, best first: [{page, lb, block}] (lb: the score).
function evaluate (query, terms) {
  const n = terms.length
  // unit → row index; rows hold per-term best weights, flat.
  const idx = [new Map(), new Map()]
  const rows = [[], []]
  terms.forEach((keys, ti) => {
    const qt = query.terms[ti]
    for (const k of keys) {
      for (let l = 0; l < 2; l++) {
        const { m, p: ps } = k.e.lists[l]
        const ex = !k.exact ? 4 : qt.variant == null || !k.e.vars.length ? 8 : 0
        const ids = idx[l]
        const row = rows[l]
        for (const p of ps) {
          const unit = p.page * 65536 + (l ? p.block : 65535)
          let i = ids.get(unit)
          if (i === undefined) {
            ids.set(unit, (i = ids.size))
            for (let t = 0; t < n; t++) row.push(0)
          }
          const w = (ex || (p.mask & k.bit ? 8 : 2)) * m * p.q
          if (w > row[i * n + ti]) row[i * n + ti] = w
        }
      }
    }
  })
  const sum = (row, i) => {
    let s = 0
    for (let ti = 0; ti < n; ti++) s += row[i * n + ti]
    return s
  }
  const pages = new Map()
  for (const [unit, i] of idx[0]) pages.set(Math.floor(unit / 65536), [sum(rows[0], i), 0, null])
  for (const [unit, i] of idx[1]) {
    const s = sum(rows[1], i)
    const page = Math.floor(unit / 65536)
    const block = unit % 65536
    let e = pages.get(page)
    if (!e) pages.set(page, (e = [0, 0, null]))
    if (e[2] == null || s > e[1] || (s === e[1] && block < e[2])) (e[1] = s), (e[2] = block)
  }
  const out = [...pages].map(([page, e]) => ({ page, lb: e[0] + e[1], block: e[2] }))
  out.sort((a, b) => b.lb - a.lb || a.page - b.page)
  return out
}

// Ranks pages: {query, cands: [{page, lb, block}], man}. `load(path, binary)` reads a file.
export async function rank (raw, load = web) {
  const query = parse(raw)
  if (!query.terms.length) return { query, cands: [] }
  const { man, terms } = await loadTerms(query, load)
  return { query, cands: evaluate(query, terms), man }
}

// One result: {url, title, score, snippet, breadcrumb, heading}.
export async function hit (ranked, c, load = web) {
  const { r: set, rp, rg } = ranked.man
  const b = c.block ?? 0
  const d = (await load(`search/r/${set}/${Math.floor(c.page / rp)}-${Math.floor(b / rg)}.json`))[c.page % rp]
  const s = d.b[b % rg] || [null, '', '']
  const a = c.block == null ? null : s[0]
  return {
    url: a ? `${d.p}#${a}` : d.p,
    title: d.t,
    score: c.lb,
    snippet: snippet(s[2], ranked.query),
    breadcrumb: d.c,
    heading: c.block != null && s[1] ? s[1] : null
  }
}

export async function search (raw, limit = 10, load = web) {
  const r = await rank(raw, load)
  return Promise.all(r.cands.slice(0, limit).map((c) => hit(r, c, load)))
}

// ---- Snippet (snippet.rs) ----
const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
export function snippet (text, query) {
  const toks = words(text)
  const n = toks.length
  if (!n) return ''
  const exact = new Set(query.words.map((w) => w.f))
  const last = query.words[query.words.length - 1]
  const pre = query.prefix && last && [...last.f].length >= 2 ? last.f : null
  const hit = toks.map((t) => exact.has(t.f) || (pre != null && t.f.startsWith(pre)))
  const width = Math.min(24, n)
  let best = [0, 0, 0]
  for (let s = 0; s <= n - width; s++) {
    const d = new Set()
    let count = 0
    for (let i = s; i < s + width; i++) if (hit[i]) d.add(toks[i].f), count++
    if (d.size > best[0] || (d.size === best[0] && count > best[1])) best = [d.size, count, s]
  }
  let s = best[2]
  const idx = [...Array(width).keys()].map((i) => s + i).filter((i) => hit[i])
  if (idx.length) s = Math.min(Math.max(0, idx[0] - Math.floor((width - (idx[idx.length - 1] - idx[0] + 1)) / 2)), n - width)
  const e = s + width
  let out = s ? '… ' : ''
  let cur = s ? toks[s].s : 0
  for (let i = s; i < e; i++) {
    if (hit[i]) (out += `${esc(text.slice(cur, toks[i].s))}<mark>${esc(toks[i].w)}</mark>`), (cur = toks[i].e)
  }
  return out + esc(text.slice(cur, e === n ? text.length : toks[e - 1].e)) + (e < n ? ' …' : '')
}

// ---- Page (themes/default/templates/search.html) ----
function ui () {
  const $ = (id) => document.getElementById(id)
  const form = $('sotay-search')
  const input = $('sotay-search-q')
  const list = $('sotay-result-list')
  const status = $('sotay-search-status')
  const more = $('sotay-more')
  if (!form || !input || !list) return
  const nojs = $('sotay-search-nojs') // present only if a page still renders it without <noscript>
  if (nojs) nojs.hidden = true
  const site = BASE.pathname.replace(/\/$/, '')
  let seq = 0
  let timer
  let shown = 5
  const el = (tag, cls, text) => {
    const x = document.createElement(tag)
    if (cls) x.className = cls
    if (text) x.textContent = text
    return x
  }
  async function run (focus) {
    const q = input.value
    const my = ++seq
    history.replaceState(null, '', q.trim() ? '?q=' + encodeURIComponent(q) : location.pathname)
    if (!q.trim()) return list.replaceChildren(), (status.textContent = ''), (more.hidden = true)
    status.textContent = 'Đang tìm…'
    try {
      const r = await rank(q)
      const hits = await Promise.all(r.cands.slice(0, shown).map((c) => hit(r, c)))
      if (my !== seq) return
      list.replaceChildren(
        ...hits.map((h) => {
          const li = el('li', 'sotay-result')
          const a = el('a', null, h.title + (h.heading ? ' › ' + h.heading : ''))
          a.href = site + h.url
          li.append(a, el('p', 'sotay-result-crumbs', h.breadcrumb.join(' › ')))
          const p = el('p', 'sotay-result-snippet')
          p.innerHTML = h.snippet
          li.append(p)
          return li
        })
      )
      status.textContent = hits.length
        ? `Hiện ${hits.length} kết quả tốt nhất cho “${q.trim()}”.`
        : `Không tìm thấy kết quả cho “${q.trim()}”. Hãy thử ít từ hơn, hoặc xem danh mục văn bản và hỏi – đáp.`
      more.hidden = r.cands.length <= shown
      if (focus) list.querySelectorAll('a')[focus]?.focus()
    } catch {
      if (my === seq) status.textContent = 'Không tải được chỉ mục tìm kiếm. Hãy thử lại, hoặc xem danh mục văn bản và hỏi – đáp.'
    }
  }
  const now = () => ((shown = 5), run())
  input.addEventListener('input', () => clearTimeout(timer) || (timer = setTimeout(now, 120)))
  form.addEventListener('submit', (e) => e.preventDefault() || clearTimeout(timer) || now())
  more.addEventListener('click', () => run(shown, (shown += 5)))
  const nav = (e) => {
    const links = [...list.querySelectorAll('a')]
    const i = links.indexOf(document.activeElement)
    const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : null
    if (to == null || to >= links.length) return
    e.preventDefault()
    ;(to < 0 ? input : links[to]).focus()
  }
  input.addEventListener('keydown', nav)
  list.addEventListener('keydown', nav)
  input.value = new URLSearchParams(location.search).get('q') || ''
  if (input.value) run()
}
if (typeof document !== 'undefined') ui()
