#!/usr/bin/env python3
"""Sanity checks for a corpus written by gen_corpus (needs PyYAML).

    python3 benches/check_corpus.py DIR [EXPECTED_PAGES]

Checks: page count, front matter parses with only the allowed keys, dates and document
metadata, unique document numbers, every relative link target exists, every cited
document number belongs to a generated document page (and "Điều A" of a "khoản K Điều A"
citation is within that document's articles), "## Điều N." headings numbered from 1,
NFC text, LF line endings, ASCII slugs. Prints corpus statistics.
"""
import datetime
import json
import os
import re
import statistics
import sys
import unicodedata

import yaml

ALLOWED = {"title", "date", "description"}
DOC_KEYS = {"kind", "number", "doc_type", "issuer", "issued", "effective"}
SYMBOL_TYPE = {"QĐ": "Quyết định", "CT": "Chỉ thị", "NĐ": "Nghị định", "KH": "Kế hoạch",
               "TT": "Thông tư"}
# Document-number shape from tests/data/vietnamese-text-spec.md section 4.
NUMBER_RE = re.compile(r"(?<![\w/])(\d{1,5})/(?:(\d{4})/)?([^\W\d_][\w]*(?:[-.][\w]+)*)")
LINK_RE = re.compile(r"\]\((\.\./[^)]+)\)")
CLAUSE_RE = re.compile(r"khoản \d+ Điều (\d+) (?:Quyết định|Chỉ thị|Nghị định|Kế hoạch|Thông tư) (\S+?)[.,]?(?=\s|$)")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def main():
    root = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else None
    content = os.path.join(root, "content")
    pages, docs = {}, {}
    for sec in sorted(os.listdir(content)):
        d = os.path.join(content, sec)
        if not os.path.isdir(d):
            continue
        if not SLUG_RE.match(sec):
            fail("section slug " + sec)
        for name in sorted(os.listdir(d)):
            if name == "_index.md":
                continue
            rel = sec + "/" + name
            with open(os.path.join(d, name), "rb") as f:
                raw = f.read()
            if b"\r" in raw:
                fail("CR in " + rel)
            text = raw.decode("utf-8")
            if not unicodedata.is_normalized("NFC", text):
                fail("not NFC: " + rel)
            if not SLUG_RE.match(name[:-3]) or not re.search(r"-\d{5,}$", name[:-3]):
                fail("slug " + rel)
            _, fm, body = text.split("---\n", 2)
            meta = yaml.safe_load(fm)
            keys = set(meta)
            if meta.get("kind") == "document":
                if keys != ALLOWED | DOC_KEYS:
                    fail("keys %s in %s" % (keys, rel))
                if not isinstance(meta["issued"], datetime.date) or meta["issued"] > meta["date"]:
                    fail("issued in " + rel)
                sym = meta["number"].split("/")[-1].split("-")[0]
                if SYMBOL_TYPE[sym] != meta["doc_type"]:
                    fail("doc_type/symbol mismatch in " + rel)
                if meta["number"] in docs:
                    fail("duplicate number " + meta["number"])
                heads = re.findall(r"^## Điều (\d+)\. ", body, re.M)
                if [int(h) for h in heads] != list(range(1, len(heads) + 1)) or not heads:
                    fail("article numbering in " + rel)
                docs[meta["number"]] = (rel, len(heads))
            elif keys != ALLOWED:
                fail("keys %s in %s" % (keys, rel))
            if not isinstance(meta["date"], datetime.date):
                fail("date in " + rel)
            for k in ("title", "description"):
                if not isinstance(meta[k], str) or not meta[k]:
                    fail(k + " in " + rel)
            pages[rel] = (meta, body)
    if expected is not None and len(pages) != expected:
        fail("expected %d pages, found %d" % (expected, len(pages)))

    words, nlinks, nrefs, nclause = [], 0, 0, 0
    tables = headed = 0
    for rel, (meta, body) in pages.items():
        base = os.path.dirname(os.path.join(content, rel))
        links = LINK_RE.findall(body)
        if not 1 <= len(links) <= 3:
            fail("%d links in %s" % (len(links), rel))
        for target in links:
            if not os.path.isfile(os.path.normpath(os.path.join(base, target))):
                fail("broken link %s in %s" % (target, rel))
            if os.path.normpath(os.path.join(base, target)) == os.path.join(content, rel):
                fail("self link in " + rel)
        own = meta.get("number")
        found = set()
        for m in NUMBER_RE.finditer(body):
            n = m.group(0).rstrip(".")
            if not any(c.isupper() for c in m.group(3)) or len(m.group(3)) < 2:
                continue
            if n not in docs:
                fail("unknown number %s in %s" % (n, rel))
            if n != own:
                found.add(n)
        for m in CLAUSE_RE.finditer(body):
            a, n = int(m.group(1)), m.group(2)
            if n not in docs or docs[n][1] < 3 or a > docs[n][1]:
                fail("bad clause citation %s in %s" % (m.group(0), rel))
            nclause += 1
        nrefs += len(found)
        nlinks += len(links)
        tables += "\n|---:|" in body
        headed += meta.get("kind") != "document" and "\n## " in body
        words.append(len(body.split()))

    size = sum(os.path.getsize(os.path.join(content, r)) for r in pages)
    manifest = json.load(open(os.path.join(root, "manifest.json"), encoding="utf-8"))
    if len(manifest["pages"]) != len(pages):
        fail("manifest page count")
    n = len(pages)
    print("OK: %d pages, %d documents, %.1f MB of pages" % (n, len(docs), size / 1e6))
    print("words/page: mean %.0f, min %d, max %d" % (statistics.mean(words), min(words), max(words)))
    print("distinct cited documents/page %.2f, links/page %.2f, clause citations %d" %
          (nrefs / n, nlinks / n, nclause))
    print("pages with tables %.1f%%, non-document pages with headings %.1f%%" %
          (100 * tables / n, 100 * headed / max(1, n - len(docs))))
    print("training sha256 %s, %d tokens, vocabulary %d" % (
        manifest["training"]["sha256"][:16], manifest["training"]["tokens"],
        manifest["training"]["vocabulary"]))


if __name__ == "__main__":
    main()
