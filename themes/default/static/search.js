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
const TEXT = /(\p{Nd}{1,5})\/(?:(\p{Nd}{4})\/)?(\p{L}[\p{L}\p{N}]*(?:[-.][\p{L}\p{N}]+)*)/gu
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
    if (/[\p{Alphabetic}\p{N}/]/u.test(before) || [...m[3]].length < 2 || !/\p{Uppercase}/u.test(m[3])) continue
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
function postings (r, count, blocks, nvar) {
  const out = []
  let page = 0
  for (let k = 0; k < count; k++) {
    page += r.v()
    out.push({ page, block: blocks ? r.v() : 0, q: r.byte(), mask: nvar > 1 ? r.v() : nvar })
  }
  return out
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
    const vars = []
    for (let j = r.v(); j--;) vars.push(dec.decode(r.take(r.v())))
    const lists = [0, 1].map((l) => {
      const m = r.v()
      const tiers = []
      if (m) {
        for (let t = 0, nt = r.v(); t < nt; t++) {
          const count = r.v()
          const maxq = r.byte()
          tiers.push(
            t
              ? { count, maxq, file: `search/t/${[...r.take(6)].map((b) => b.toString(16).padStart(2, '0')).join('')}.bin` }
              : { count, maxq, p: postings(r, count, l, vars.length) }
          )
        }
      }
      return { m, tiers }
    })
    out.push({ key: dec.decode(kb), vars, lists })
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
// Decoded files, kept beside the downloaded bytes so a query decodes each file once.
const parsed = new WeakMap()
const decoded = (buf, how, f) => {
  const m = parsed.get(buf) || parsed.set(buf, {}).get(buf)
  return m[how] || (m[how] = f(buf))
}
const bound = (k, l) => {
  const t = k.e.lists[l].tiers[k.loaded[l]]
  return t ? (k.exact ? 8 : 4) * k.e.lists[l].m * t.maxq : 0
}

async function loadTerms (query, load) {
  const man = await load('search/manifest.json')
  const dirFiles = uniq(query.terms.flatMap((t) => covering(man.dirs, t.key, t.prefix)))
  const dirs = {}
  await Promise.all(dirFiles.map(async (d) => (dirs[d] = await load(`search/d/${d}.json`))))
  const shardFiles = uniq(
    query.terms.flatMap((t) => covering(man.dirs, t.key, t.prefix).flatMap((d) => covering(dirs[d], t.key, t.prefix)))
  )
  const entries = (await Promise.all(shardFiles.map((s) => load(`search/s/${s}.bin`, 1)))).flatMap((b) => decoded(b, 's', readShard))
  const state = (e, t, exact) => {
    const i = t.variant == null ? -1 : e.vars.indexOf(t.variant)
    return {
      e,
      exact,
      bit: i < 0 ? 0 : 2 ** i,
      loaded: e.lists.map((l) => +(l.tiers.length > 0)),
      p: e.lists.map((l) => (l.tiers[0] ? l.tiers[0].p.slice() : []))
    }
  }
  const terms = query.terms.map((t) => {
    const keys = []
    const exp = []
    for (const e of entries) {
      if (e.key === t.key) keys.some((k) => k.exact) || keys.push(state(e, t, true))
      else if (t.prefix && e.key.startsWith(t.key) && !exp.some((x) => x.key === e.key)) exp.push(e)
    }
    const df = (e) => e.lists.reduce((s, l) => s + l.tiers.reduce((a, x) => a + x.count, 0), 0)
    exp.sort((a, b) => df(b) - df(a) || (a.key < b.key ? -1 : 1))
    return keys.concat(exp.slice(0, 12).map((e) => state(e, t, false)))
  })
  return { man, terms }
}

function evaluate (query, terms) {
  const n = terms.length
  // unit → row index; rows hold per-term best known weights (-1 = not seen), flat.
  const idx = [new Map(), new Map()]
  const rows = [[], []]
  const bounds = [Array(n).fill(0), Array(n).fill(0)]
  terms.forEach((keys, ti) => {
    const qt = query.terms[ti]
    for (const k of keys) {
      for (let l = 0; l < 2; l++) {
        bounds[l][ti] = Math.max(bounds[l][ti], bound(k, l))
        const m = k.e.lists[l].m
        const ex = !k.exact ? 4 : qt.variant == null || !k.e.vars.length ? 8 : 0
        const ids = idx[l]
        const row = rows[l]
        for (const p of k.p[l]) {
          const unit = p.page * 65536 + (l ? p.block : 65535)
          let i = ids.get(unit)
          if (i === undefined) {
            ids.set(unit, (i = ids.size))
            for (let t = 0; t < n; t++) row.push(-1)
          }
          const w = (ex || (p.mask & k.bit ? 8 : 2)) * m * p.q
          if (w > row[i * n + ti]) row[i * n + ti] = w
        }
      }
    }
  })
  const sums = (row, i, b) => {
    let lb = 0
    let ub = 0
    for (let ti = 0; ti < n; ti++) {
      const w = row[i * n + ti]
      lb += Math.max(w, 0)
      ub += w >= 0 && terms[ti].length === 1 ? w : Math.max(w, b[ti])
    }
    return [lb, ub]
  }
  const sum = (a) => a.reduce((x, y) => x + y, 0)
  const unseenBlock = sum(bounds[1])
  const pageBound = sum(bounds[0])
  const pages = new Map()
  for (const [unit, i] of idx[0]) pages.set(Math.floor(unit / 65536), [...sums(rows[0], i, bounds[0]), 0, unseenBlock, null])
  for (const [unit, i] of idx[1]) {
    const [lb, ub] = sums(rows[1], i, bounds[1])
    const page = Math.floor(unit / 65536)
    const block = unit % 65536
    let e = pages.get(page)
    if (!e) pages.set(page, (e = [0, pageBound, 0, unseenBlock, null]))
    if (e[4] == null || lb > e[2] || (lb === e[2] && block < e[4])) (e[2] = lb), (e[4] = block)
    e[3] = Math.max(e[3], ub)
  }
  const out = [...pages].map(([page, e]) => ({ page, lb: e[0] + e[2], ub: e[1] + e[3], block: e[4] }))
  out.sort((a, b) => b.lb - a.lb || a.page - b.page)
  return [out, pageBound + unseenBlock]
}

function decided (c, unseen, k) {
  if (c.length < k && unseen > 0) return false
  for (let i = 0; i < Math.min(k, c.length); i++) {
    const a = c[i]
    if (a.lb <= unseen) return false
    for (const b of c.slice(i + 1)) {
      const tie = b.ub === a.lb && a.lb === a.ub && b.lb === b.ub && b.page > a.page
      if (b.ub > a.lb || (b.ub === a.lb && !tie)) return false
    }
  }
  return true
}

// Ranks pages: {query, cands: [{page, lb, block}], set}. `load(path, binary)` reads a file.
export async function rank (raw, k = 10, load = web) {
  const query = parse(raw)
  if (!query.terms.length) return { query, cands: [] }
  const { man, terms } = await loadTerms(query, load)
  for (let round = 0; ; round++) {
    const [cands, unseen] = evaluate(query, terms)
    const best = Math.max(0, ...terms.flat().flatMap((key) => [bound(key, 0), bound(key, 1)]))
    if (round === 3 || decided(cands, unseen, Math.max(k, 10)) || !best) return { query, cands, set: man.r }
    const jobs = []
    for (const key of terms.flat()) {
      for (let l = 0; l < 2; l++) {
        const b = bound(key, l)
        if (!b || b * 2 < best) continue
        const tier = key.e.lists[l].tiers[key.loaded[l]++]
        jobs.push(load(tier.file, 1).then((buf) => key.p[l].push(...decoded(buf, `${l}${Math.min(key.e.vars.length, 2)}`, (b) => postings(reader(b), tier.count, l, key.e.vars.length)))))
      }
    }
    await Promise.all(jobs)
  }
}

// One result: {url, title, score, snippet, breadcrumb, heading}.
export async function hit (ranked, c, load = web) {
  const b = c.block ?? 0
  const d = await load(`search/r/${ranked.set}/${c.page}-${Math.floor(b / 8)}.json`)
  const s = d.b[b % 8] || [null, '', '']
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
  const r = await rank(raw, limit, load)
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
      const r = await rank(q, shown)
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
