// The text contract's vectors (tests/data/vi-text-vectors.json, read as is) hold in the
// browser client exactly as in Rust.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { toned, folded, slug, canonical, extract, parse, decode } from '../../themes/default/static/search.js'

const vectors = JSON.parse(readFileSync(new URL('../data/vi-text-vectors.json', import.meta.url), 'utf8'))

test('syllables: toned and folded keys', () => {
  assert.ok(vectors.syllables.length > 0)
  for (const c of vectors.syllables) {
    assert.equal(toned(c.input), c.toned_key, c.input)
    assert.equal(folded(c.input), c.folded_key, c.input)
    // A query of the word looks up its folded key, whatever its form.
    assert.equal(parse(c.input).terms[0].key, '1' + c.folded_key, c.input)
  }
})

test('slugs', () => {
  for (const c of vectors.slugs) assert.equal(slug(c.input), c.slug, c.input)
})

test('document numbers: canonical form and query terms', () => {
  for (const c of vectors.numbers) {
    assert.equal(canonical(c.input), c.canonical, c.input)
    const keys = parse(c.input).terms.map((t) => t.key)
    assert.ok(keys.includes('1#' + c.canonical.toLowerCase()), `${c.input}: ${keys}`)
  }
  assert.equal(canonical('QĐ-TTg'), null)
})

test('document numbers: extraction from running text', () => {
  for (const c of vectors.extract) assert.deepEqual(extract(c.input), c.numbers, c.input)
})

test('Telex and VNI words decode as in Rust (tests/fixtures/search/typed.json)', () => {
  const words = JSON.parse(readFileSync(new URL('../fixtures/search/typed.json', import.meta.url), 'utf8')).words
  assert.ok(Object.keys(words).length > 40)
  for (const [typed, want] of Object.entries(words)) assert.equal(decode(typed), want, typed)
})
