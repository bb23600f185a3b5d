// sotay search client: one dependency-free module. It mirrors src/search in Rust
// (tokenize, query, rank, snippet; the reasons are written there) so that the page and
// `sotay search` rank alike; tests/js checks both on the same vectors and queries.

// ---- Text contract (tests/data/vietnamese-text-spec.md) ----
const TONE = { '\u0301': 1, '\u0300': 2, '\u0309': 3, '\u0303': 4, '\u0323': 5 }
const IY = /^(b|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)y$/
const TOK = /[\p{Alphabetic}\p{N}][\p{Alphabetic}\p{N}\p{M}]*/gu
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

// ---- Words typed as Telex or VNI (typed.rs) ----
const ONSETS = 'ngh ng gh gi kh nh ph qu th tr ch b c d đ g h k l m n p r s t v x'.split(' ').concat('')
const RHYMES = new Set(
  ",c,ch,i,m,n,ng,nh,o,p,t,u,y:a c,m,n,ng,p,t:ă c,m,n,ng,p,t,u,y:â ,c,m,n,ng,o,p,t:e ,ch,m,n,nh,p,t,u:ê,i :ia,ua,uơ,uya,ưa,y c,m,n,ng,p,t,u:iê m,n,t,u:yê ,c,i,m,n,ng,p,t:o,ô ,c,ch,i,m,n,ng,nh,o,p,t,y:oa ,n,o,t:oe c,m,n,ng,t:oă c,ng:oo ,i,m,n,p,t:ơ ,c,i,m,n,ng,p,t,y:u n,ng,t,y:uâ ch,nh,t,u:uy n,t:uyê ,ch,nh:uê c,i,m,n,ng,t:uô ,c,i,m,n,ng,t,u:ư c,i,m,n,ng,p,t,u:ươ"
    .split(' ')
    .flatMap((g) => {
      const [f, n] = g.split(':').map((x) => x.split(','))
      return n.flatMap((n) => f.map((f) => n + f))
    })
)
const isV = (c) => 'aăâeêioôơuưy'.includes(c)
const HB = { a: 'ă', o: 'ơ', u: 'ư' }
const CF = { a: 'â', e: 'ê', o: 'ô' }
function mark (l, m, late) {
  let i = l.length - 1
  if (late) {
    const j = l.join('').indexOf('uo')
    if (m.o === 'ơ' && j >= 0) return (l[j] = 'ư'), (l[j + 1] = 'ơ')
    while (i >= 0 && !m[l[i]]) i--
  }
  if (!m[l[i]]) return null
  if ((l[i] = m[l[i]]) === 'ơ' && l[i - 1] === 'u') l[i - 1] = 'ư'
  return 1
}
export function decode (word) {
  const w = word.toLowerCase()
  if (w.length > 12 || !/^[a-z][a-z0-9]+$/.test(w)) return null
  const l = []
  let tone = 0
  let ch = 0
  const vni = /\d/.test(w)
  for (const c of w) {
    const seen = l.some(isV)
    const last = l[l.length - 1]
    const t = vni ? '12345'.indexOf(c) : 'sfrxj'.indexOf(c)
    let ok = 1
    if (t >= 0 && seen) ok = !tone && (tone = t + 1)
    else if (vni && c >= '6' && c <= '8') {
      const m = c === '6' ? CF : c === '7' ? { o: 'ơ', u: 'ư' } : { a: 'ă' }
      ok = mark(l, m, !m[last])
    } else if (c === (vni ? '9' : 'd') && last === 'd' && l.length === (vni ? l.length : 1)) l[l.length - 1] = 'đ'
    else if (!vni && c === 'w') ok = isV(last) ? mark(l, HB) : seen ? mark(l, HB, 1) : l.push('ư')
    else if (!vni && 'aeo'.includes(c) && last === c) ok = mark(l, CF)
    else if (c >= 'a') {
      l.push(c)
      continue
    } else ok = 0
    if (!ok) return null
    ch = 1
  }
  return ch ? syllable(l.join(''), tone) : null
}
function syllable (s, tone) {
  const o = ONSETS.find((o) => s.startsWith(o) && RHYMES.has(s.slice(o.length)))
  const r = [...s.slice(o?.length)]
  if (o == null || (/[cpt]h?$/.test(s) && tone !== 1 && tone !== 5)) return null
  const v = r.flatMap((c, i) => (isV(c) ? [i] : []))
  const m = v.filter((i) => 'ăâêôơư'.includes(r[i]))
  const n = v.length
  const at = m.length ? m[m.length - 1] : v[n - 1] + 1 < r.length || n < 2 ? v[n - 1] : n > 2 || /oa|oe|uy/.test(r[v[0]] + r[v[1]]) ? v[1] : v[0]
  if (tone) r[at] += '\u0301\u0300\u0309\u0303\u0323'[tone - 1]
  return (o + r.join('')).normalize('NFC')
}
const spell = (t) => {
  const b = t.replace(/\d+$/, '')
  const n = +t.slice(b.length)
  return syllable(b, n < 6 ? n : 0) || b
}

// ---- Confused spellings (correct.rs) ----
const CON = [['s', 'x'], ['tr', 'ch'], ['d', 'gi', 'r'], ['n', 'l']]
const FIN = [['ng', 'n'], ['t', 'c']]
function confusions (w) {
  const [, o = '', mid, f = ''] = /^(tr|ch|gi|[sxdr]|[nl](?![hg]))?(.+?)(ng|n|t|c)?$/.exec(w) || []
  if (!/^[a-z]+$/.test(w) || /ch$/.test(w) || !mid) return []
  const out = []
  for (const a of CON.find((g) => g.includes(o)) || [o]) for (const b of FIN.find((g) => g.includes(f)) || [f]) if (a + mid + b !== w) out.push(a + mid + b)
  return out
}
function candidates (query, df) {
  const out = []
  let room = 4
  const d = (i) => df.get(query.terms[i].key) || 0
  for (const i of [...query.terms.keys()].sort((x, y) => d(x) - d(y))) {
    const t = query.terms[i]
    if (t.alts.length || t.key.slice(1).split(' ').some((w) => query.also.includes(w)) || d(i) > 3) continue
    const [a, b] = t.key.slice(1).split(' ')
    const keys = (b == null ? confusions(a).map((c) => '1' + c) : [...confusions(a).map((c) => `2${c} ${b}`), ...confusions(b).map((c) => `2${a} ${c}`)]).slice(0, room)
    room -= keys.length
    if (keys.length) out.push([i, keys])
  }
  return out
}
function fix (query, i, key) {
  const t = query.terms[i]
  if (!t.alts.some((a) => a.key === key)) t.alts.push({ key, variant: null, fix: 1 }), key[0] === '1' && query.also.push(key.slice(1))
}
function apply (query, wanted, df) {
  for (const [i, keys] of wanted) {
    const t = query.terms[i]
    let best = null
    for (const k of keys) if (df.has(k) && (!best || df.get(k) > df.get(best))) best = k
    if (!best || df.get(best) <= 4 * (df.get(t.key) || 0)) continue
    fix(query, i, best)
    const [n, o] = [best, t.key].map((k) => k.slice(1).split(' '))
    if (best[0] === '2') {
      n.forEach((w, j) => {
        const ti = query.terms.findIndex((x) => x.key === '1' + o[j])
        if (ti >= 0 && w !== o[j] && df.has('1' + w)) fix(query, ti, '1' + w)
      })
    }
  }
}

// ---- Query (query.rs) ----
export function parse (raw) {
  const q = raw.normalize('NFC')
  const ws = words(q, 1).slice(0, 8)
  const prefix = /[\p{Alphabetic}\p{N}\p{M}]$/u.test(q)
  const marked = ws.some((w) => /[\p{M}đĐ]/u.test(w.w.normalize('NFD')))
  const terms = []
  const push = (key, variant, pre, alts = []) => terms.some((t) => t.key === key) || terms.push({ key, variant, prefix: pre, alts })
  const rd = ws.map((w) => {
    const d = decode(w.w)
    return d && { f: folded(d), t: toned(d) }
  })
  const form = (i) => rd[i] || { f: ws[i].f, t: marked ? ws[i].t : null }
  ws.forEach((w, i) => {
    const n = ws[i + 1]
    push('1' + w.f, marked ? w.t : null, prefix && i === ws.length - 1 && [...w.f].length >= 2, rd[i] ? [{ key: '1' + rd[i].f, variant: rd[i].t }] : [])
    if (n) {
      const [a, b] = [form(i), form(i + 1)]
      const alt = { key: `2${a.f} ${b.f}`, variant: a.t != null && b.t != null ? `${a.t} ${b.t}` : null }
      const pre = prefix && i + 2 === ws.length
      if (rd[i] && rd[i + 1]) push(alt.key, alt.variant, pre)
      else push(`2${w.f} ${n.f}`, marked ? `${w.t} ${n.t}` : null, pre, rd[i] || rd[i + 1] ? [alt] : [])
    }
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
  return { words: ws, prefix, marked, terms, also: rd.filter(Boolean).map((r) => r.f) }
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
const parsed = new WeakMap()
const decoded = (buf) => parsed.get(buf) || parsed.set(buf, readShard(buf)).get(buf)

function toneBit (e, variant, byKey) {
  if (variant == null) return 0
  let i
  if (e.key[0] === '2') {
    const [f1, f2] = e.key.slice(1).split(' ')
    const [t1, t2] = variant.split(' ')
    const a = byKey.get('1' + f1)?.vars.indexOf(t1) ?? -1
    const b = byKey.get('1' + f2)?.vars.indexOf(t2) ?? -1
    i = a < 0 || b < 0 ? -1 : e.vars.indexOf(a * 32 + b)
  } else i = e.vars.indexOf(variant)
  return i < 0 ? 0 : 2 ** i
}

async function shards (man, look, load, dirs) {
  const dirFiles = uniq(look.flatMap(([k, p]) => covering(man.dirs, k, p)))
  await Promise.all(dirFiles.map(async (d) => (dirs[d] ||= await load(`search/d/${d}.json`))))
  const files = uniq(look.flatMap(([k, p]) => covering(man.dirs, k, p).flatMap((d) => covering(dirs[d], k, p))))
  return (await Promise.all(files.map((s) => load(`search/s/${s}.bin`, 1)))).flatMap(decoded)
}
async function loadTerms (query, load) {
  const man = await load('search/manifest.json')
  const dirs = {}
  const entries = await shards(man, query.terms.flatMap((t) => [[t.key, t.prefix], ...t.alts.map((a) => [a.key, false])]), load, dirs)
  const df = () => new Map(entries.map((e) => [e.key, e.df]))
  const wanted = candidates(query, df())
  if (wanted.length) {
    const keys = wanted.flatMap(([, ks]) => ks.flatMap((k) => [k, ...(k[0] === '2' ? k.slice(1).split(' ').map((w) => '1' + w) : [])]))
    entries.push(...(await shards(man, keys.map((k) => [k, false]), load, dirs)))
    apply(query, wanted, df())
  }
  const byKey = new Map(entries.map((e) => [e.key, e]))
  const terms = query.terms.map((t) => {
    const e = byKey.get(t.key)
    const ex = (e, v) => (v == null || !e.vars.length ? 8 : 0)
    const keys = e ? [{ e, ex: ex(e, t.variant), bit: toneBit(e, t.variant, byKey) }] : []
    for (const a of t.alts) {
      const x = byKey.get(a.key)
      if (x) keys.push({ e: x, ex: e ? 1 : ex(x, a.variant), bit: toneBit(x, a.variant, byKey), alt: 1 })
    }
    if (t.prefix) {
      const exp = []
      for (const x of entries) if (x.key !== t.key && x.key.startsWith(t.key) && !exp.some((y) => y.key === x.key)) exp.push(x)
      exp.sort((a, b) => b.df - a.df || (a.key < b.key ? -1 : 1))
      for (const x of exp.slice(0, 12)) keys.push({ e: x, ex: 4, bit: 0 })
    }
    return keys
  })
  return { man, terms, byKey }
}

function evaluate (query, terms) {
  const n = terms.length
  const idx = [new Map(), new Map()]
  const rows = [[], []]
  terms.forEach((keys, ti) => {
    for (const k of keys) {
      for (let l = 0; l < 2; l++) {
        const { m, p: ps } = k.e.lists[l]
        const ex = k.ex
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

function demote (cands, x) {
  if (!x.length) return cands
  const by = new Map()
  for (let i = 0, p = 0; i < x.length; i += 2) by.set((p += x[i]), x[i + 1] - 1)
  const score = new Map(cands.map((c) => [c.page, c.lb]))
  for (const c of cands) {
    if (!by.has(c.page)) continue
    let s = Math.floor((c.lb * 3) / 4)
    const r = score.get(by.get(c.page))
    if (r != null && s >= r && 2 * c.lb <= 3 * r) s = r - 1
    c.lb = s
  }
  return cands.sort((a, b) => b.lb - a.lb || a.page - b.page)
}

export async function rank (raw, load = web) {
  const query = parse(raw)
  if (!query.terms.length) return { query, cands: [] }
  const { man, terms, byKey } = await loadTerms(query, load)
  const raw0 = evaluate(query, terms)
  const cands = demote(raw0.map((c) => ({ ...c })), man.x || [])
  return { query, cands, man, suggest: cands.length ? suggest(raw, query, terms, raw0, cands[0].page, byKey) : null }
}

function suggest (raw, query, terms, cands, top, byKey) {
  const score = (c) => c.find((c) => c.page === top)?.lb || 0
  if (score(cands) <= score(evaluate(query, terms.map((ks) => ks.filter((k) => !k.alt))))) return null
  const q = raw.normalize('NFC')
  return query.words.map((w) => {
    const alts = query.terms.find((t) => t.key === '1' + w.f)?.alts || []
    const f = alts.find((a) => a.fix)
    const e = f && byKey.get(f.key)
    const t = e ? e.vars[0] ?? f.key.slice(1) : alts[0]?.variant
    return t ? spell(t) : q.slice(w.s, w.e)
  }).join(' ')
}

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
  const exact = new Set([...query.words.map((w) => w.f), ...query.also])
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
  const nojs = $('sotay-search-nojs')
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
  const sug = el('p', 'sotay-suggest', 'Có phải bạn muốn tìm: ')
  sug.append(el('a'))
  sug.hidden = true
  status.before(sug)
  async function run (focus) {
    const q = input.value
    const my = ++seq
    history.replaceState(null, '', q.trim() ? '?q=' + encodeURIComponent(q) : location.pathname)
    if (!q.trim()) return list.replaceChildren(), (status.textContent = ''), (more.hidden = sug.hidden = true)
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
      sug.hidden = !r.suggest
      if (r.suggest) (sug.lastChild.textContent = r.suggest), (sug.lastChild.href = '?q=' + encodeURIComponent(r.suggest))
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
