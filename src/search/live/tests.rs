use super::*;
use crate::search::{build_index, test_doc};

const SYLLABLES: [&str; 24] = [
    "văn", "hóa", "công", "vụ", "cán", "bộ", "dân", "sự", "luật", "kỷ", "dế", "dê", "Đề", "thủ",
    "tục", "hành", "chính", "đất", "đai", "thuế", "nhà", "nước", "quyền", "lợi",
];

/// A site of `n` pages of pseudo-random Vietnamese text, some citing document numbers,
/// some with numbers of their own.
fn site(n: usize, words: usize) -> Vec<SearchDoc> {
    let mut seed = 11u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    (0..n)
        .map(|i| {
            let mut text = |words: usize| -> String {
                let w: Vec<String> = (0..words)
                    .map(|_| {
                        let s = SYLLABLES[next() % SYLLABLES.len()];
                        match next() % 9 {
                            0 => format!("{s}{}", next() % 300),
                            1 => format!("{s},"),
                            _ => s.to_owned(),
                        }
                    })
                    .collect();
                w.join(" ")
            };
            let title = text(4);
            let sections: Vec<(String, String)> =
                (0..1 + i % 3).map(|_| (text(2), text(words))).collect();
            let refs: Vec<(&str, &str)> = sections
                .iter()
                .map(|(h, t)| (h.as_str(), t.as_str()))
                .collect();
            let mut d = test_doc(i, &title, &refs);
            if i % 7 == 0 {
                d.sections[0]
                    .text
                    .push_str(&format!(" theo Quyết định {}/QĐ-TTg", i % 40));
            }
            if i % 11 == 0 {
                d.number = Some(format!("{i}/CT-TTG"));
            }
            d
        })
        .collect()
}

fn sorted(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    files.sort();
    files
}

fn live_files(live: &LiveIndex) -> Vec<(String, Vec<u8>)> {
    sorted(
        live.files()
            .into_iter()
            .map(|(p, b)| (p, b.to_vec()))
            .collect(),
    )
}

/// The first path whose bytes differ, for a readable failure.
fn first_difference(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Option<String> {
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    if names(a) != names(b) {
        let extra: Vec<&String> = a
            .iter()
            .map(|x| &x.0)
            .filter(|p| !b.iter().any(|y| &y.0 == *p))
            .collect();
        let missing: Vec<&String> = b
            .iter()
            .map(|x| &x.0)
            .filter(|p| !a.iter().any(|y| &y.0 == *p))
            .collect();
        return Some(format!("extra {extra:?}, missing {missing:?}"));
    }
    a.iter()
        .zip(b)
        .find(|(x, y)| x.1 != y.1)
        .map(|(x, _)| x.0.clone())
}

fn assert_same(live: &LiveIndex, docs: &[SearchDoc], what: &str) {
    let want = sorted(build_index(docs));
    let got = live_files(live);
    assert!(got == want, "{what}: {:?}", first_difference(&got, &want));
}

#[test]
fn a_new_live_index_writes_the_files_of_a_full_build() {
    let docs = site(300, 60);
    let live = LiveIndex::build(&docs).unwrap();
    assert_same(&live, &docs, "build");
}

#[test]
fn edits_give_the_files_of_a_full_build_and_rewrite_few_shards() {
    let mut docs = site(3000, 25);
    let mut live = LiveIndex::build(&docs).unwrap();
    let shards = live.shards.len();
    assert!(shards > 40, "{shards} shards: too few for the test");
    type Edit = fn(&mut Vec<SearchDoc>);
    // (what, whether it is a small edit of one page, the edit)
    let edits: [(&str, bool, Edit); 9] = [
        ("a word new to the site", true, |d| {
            d[500].sections[0].text.push_str(" xylophon, xòe xòe xoé")
        }),
        ("the last occurrence of a word removed", true, |d| {
            let t = &mut d[500].sections[0].text;
            *t = t.replace(" xylophon,", "");
        }),
        ("a changed title", true, |d| {
            d[3].title = "Văn hóa công vụ mới".into()
        }),
        ("a cited number changed", true, |d| {
            let t = &mut d[14].sections[0].text;
            *t = t.replace("14/QĐ-TTg", "1847/QĐ-TTg");
        }),
        ("a spelling that becomes the most frequent", true, |d| {
            d[21].sections[0].text.push_str(" xoé xoé");
        }),
        ("a word taken out of a page", true, |d| {
            let t = &mut d[640].sections[0].text;
            *t = t.replacen("văn", "", 3);
        }),
        ("a section added", true, |d| {
            d[700].sections.push(crate::search::SearchSection {
                anchor: Some("moi".into()),
                heading: "Mục mới".into(),
                text: "thủ tục hành chính về đất đai".into(),
            })
        }),
        ("a page emptied", false, |d| d[800].sections.clear()),
        ("its own number", true, |d| {
            d[22].number = Some("99/CT-TTG".into())
        }),
    ];
    for (what, small, edit) in edits {
        edit(&mut docs);
        let before: HashSet<String> = live.shards.values().map(|s| s.hash.clone()).collect();
        let updated = match live.update(&docs) {
            Ok(u) => u,
            Err(Rebuild::Scale) => {
                live = LiveIndex::build(&docs).unwrap();
                continue;
            }
            Err(e) => panic!("{what}: {e:?}"),
        };
        assert_same(&live, &docs, what);
        eprintln!("{what}: {updated:?}");
        assert!(updated.pages >= 1, "{what}");
        let new = live
            .shards
            .values()
            .filter(|s| !before.contains(&s.hash))
            .count();
        assert_eq!(new, updated.shards, "{what}");
        // A changed entry rewrites its own shard, now and then the next one too.
        assert!(
            updated.shards <= 2 * updated.entries + 1,
            "{what}: {} shards for {} entries",
            updated.shards,
            updated.entries
        );
        assert!(
            !small || updated.shards * 4 < shards,
            "{what}: {} of {shards} shards rewritten",
            updated.shards
        );
    }
}

#[test]
fn pages_added_or_moved_ask_for_a_new_index() {
    let mut docs = site(20, 60);
    let mut live = LiveIndex::build(&docs).unwrap();
    assert_eq!(live.update(&docs).unwrap().pages, 0);
    docs[3].path = "/khac/".into();
    assert_eq!(live.update(&docs), Err(Rebuild::Pages));
    docs.pop();
    let mut live = LiveIndex::build(&docs[..19]).unwrap();
    assert_eq!(live.update(&site(20, 60)), Err(Rebuild::Pages));
}

#[test]
fn when_the_scale_moves_follow_builds_again_and_still_writes_the_same_files() {
    let mut docs = site(40, 20);
    let mut live = None;
    let (first, updated) = LiveIndex::follow(&mut live, &docs);
    assert!(updated.is_none(), "the first index is built");
    let as_vec = |files: Vec<(String, Arc<[u8]>)>| {
        sorted(files.into_iter().map(|(p, b)| (p, b.to_vec())).collect())
    };
    assert!(as_vec(first) == sorted(build_index(&docs)));
    // Much longer sections: the mean length moves by more than a step.
    for d in docs.iter_mut().take(20) {
        let t = d.sections[0].text.repeat(4);
        d.sections[0].text = t;
    }
    let scale = live.as_ref().unwrap().units.scale();
    let (files, updated) = LiveIndex::follow(&mut live, &docs);
    assert_ne!(live.as_ref().unwrap().units.scale(), scale);
    assert!(updated.is_none(), "built again");
    assert!(as_vec(files) == sorted(build_index(&docs)));
    // And updated in place again afterwards.
    docs[5].title.push_str(" mới");
    let (files, updated) = LiveIndex::follow(&mut live, &docs);
    assert_eq!(updated.map(|u| u.pages), Some(1));
    assert!(as_vec(files) == sorted(build_index(&docs)));
    // A document going out of force (the build date passed a replacement's start): only
    // the manifest's list of such pages says so, as in a full build.
    docs[7].retired = true;
    docs[7].replaced_by = Some(docs[9].path.clone());
    let (files, updated) = LiveIndex::follow(&mut live, &docs);
    assert_eq!(updated.map(|u| u.pages), Some(1));
    let files = as_vec(files);
    assert!(files == sorted(build_index(&docs)));
    let manifest = &files
        .iter()
        .find(|f| f.0 == "search/manifest.json")
        .unwrap()
        .1;
    let m: serde_json::Value = serde_json::from_slice(manifest).unwrap();
    assert_eq!(m["x"], serde_json::json!([7, 10]));
}
