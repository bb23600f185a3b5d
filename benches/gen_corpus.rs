//! Synthetic Vietnamese corpus generator for sotay's build benchmarks.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --pages N --out DIR \
//!     [--seed S] [--sections K] [--training DIR] [--force]
//! ```
//!
//! Writes `DIR/site.yaml`, `DIR/content/` (a root `_index.md`, K section folders with an
//! `_index.md` each, and exactly N pages `<section>/<slug>-NNNNN.md`) and
//! `DIR/manifest.json`. The text comes from a syllable bigram chain trained on the
//! repository's own Markdown (`--training`, default `content`) plus a built-in
//! supplement, so a benchmark exercises the same Vietnamese the real site has; ~12 % of
//! words come from a Zipf-weighted inventory of spelling-valid syllables to give the
//! vocabulary a realistic long tail. About 5 % of pages are legal documents
//! (`kind: document` with a unique `number`), cited by other pages; every page links to
//! 1–3 other pages. The output depends only on the arguments and the training text, so
//! two runs (or two machines) benchmark the same corpus.
//!
//! Dependencies are std only: the example must build while the library is in flux.

#[path = "gen_corpus/body.rs"]
mod body;
#[path = "gen_corpus/plan.rs"]
mod plan;
#[path = "gen_corpus/prose.rs"]
mod prose;
#[path = "gen_corpus/text.rs"]
mod text;
#[path = "gen_corpus/train.rs"]
mod train;
#[path = "gen_corpus/util.rs"]
mod util;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use plan::Plan;
use prose::{Model, Writer};
use util::{json_quote, yaml_quote, Rng};

const USAGE: &str = "usage: gen_corpus --pages N --out DIR [--seed S] [--sections K] \
                     [--training DIR] [--force]";
/// Fewer training words than this means `content/` is (nearly) empty: worth a warning,
/// since the corpus then reads like the built-in supplement only.
const SMALL_TRAINING: usize = 2_000;
const PROGRESS_EVERY: usize = 10_000;

struct Args {
    pages: usize,
    out: PathBuf,
    seed: u64,
    sections: usize,
    training: PathBuf,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut pages = None;
    let mut out = None;
    let mut args = Args {
        pages: 0,
        out: PathBuf::new(),
        seed: 1,
        sections: 20,
        training: PathBuf::from("content"),
        force: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
            None => (arg, None),
        };
        if key == "--force" {
            args.force = true;
            continue;
        }
        if key == "-h" || key == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = inline
            .or_else(|| it.next())
            .ok_or_else(|| format!("{key} needs a value\n{USAGE}"))?;
        let num = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{key}: not a number: {v}"))
        };
        match key.as_str() {
            "--pages" => pages = Some(num(&value)? as usize),
            "--out" => out = Some(PathBuf::from(value)),
            "--seed" => args.seed = num(&value)?,
            "--sections" => args.sections = num(&value)? as usize,
            "--training" => args.training = PathBuf::from(value),
            _ => return Err(format!("unknown argument {key}\n{USAGE}")),
        }
    }
    args.pages = pages.ok_or_else(|| format!("--pages is required\n{USAGE}"))?;
    args.out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    if args.sections == 0 || args.sections > plan::SECTIONS.len() {
        return Err(format!("--sections must be 1..={}", plan::SECTIONS.len()));
    }
    Ok(args)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Per-page random stream: pages are generated independently (and in parallel), yet the
/// result depends only on the seed and the page index.
fn page_rng(seed: u64, i: usize) -> Rng {
    Rng::new(seed ^ (i as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03))
}

/// Front matter and body of page `i`, and the body's word count.
fn render_page(model: &Model, plan: &Plan, seed: u64, i: usize) -> (String, usize) {
    let page = &plan.pages[i];
    let mut w = Writer::new(model, page_rng(seed, i));
    let mut description = String::new();
    w.sentence(&mut description, 8, 30, '.');
    let body = body::page_body(&mut w, plan, i);
    let mut s = String::with_capacity(body.len() + 512);
    s.push_str("---\n");
    let _ = writeln!(s, "title: {}", yaml_quote(&page.title));
    let _ = writeln!(s, "date: {}", page.date);
    let _ = writeln!(s, "description: {}", yaml_quote(&description));
    if let Some(d) = page.doc.map(|k| &plan.docs[k]) {
        s.push_str("kind: document\n");
        let _ = writeln!(s, "number: {}", yaml_quote(&d.number));
        let _ = writeln!(s, "doc_type: {}", yaml_quote(d.doc_type));
        let _ = writeln!(s, "issuer: {}", yaml_quote(&d.issuer));
        let _ = writeln!(s, "issued: {}", d.issued);
        // In force from the day of issue, like most decisions: sotay warns about documents
        // whose status it cannot compute, and the benchmark should time builds, not warnings.
        let _ = writeln!(s, "effective: {}", d.issued);
    }
    s.push_str("---\n\n");
    s.push_str(&body);
    (s, body.split_whitespace().count())
}

/// Body word count and file size of one written page.
#[derive(Clone, Copy, Default)]
struct PageStat {
    words: usize,
    bytes: usize,
}

/// What one writer thread produced: (page index, stats) for the pages it wrote.
type Written = Result<Vec<(usize, PageStat)>, String>;

/// Write all pages using every core; returns the stats of every page, in page order.
fn write_pages(args: &Args, model: &Model, plan: &Plan) -> Result<Vec<PageStat>, String> {
    let content = args.out.join("content");
    let n = plan.pages.len();
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get().min(8));
    let done = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<Written> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (content, done) = (&content, &done);
                scope.spawn(move || {
                    let mut out = Vec::new();
                    for i in (t..n).step_by(threads) {
                        let (text, words) = render_page(model, plan, args.seed, i);
                        write(&content.join(plan.page_path(i)), &text)?;
                        out.push((
                            i,
                            PageStat {
                                words,
                                bytes: text.len(),
                            },
                        ));
                        let k = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if k % PROGRESS_EVERY == 0 {
                            eprintln!(
                                "gen_corpus: {k}/{n} pages ({:.1} s)",
                                started.elapsed().as_secs_f64()
                            );
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("worker panicked".to_owned()))
            })
            .collect()
    });
    let mut stats = vec![PageStat::default(); n];
    for r in results {
        for (i, stat) in r? {
            stats[i] = stat;
        }
    }
    Ok(stats)
}

fn manifest(
    args: &Args,
    train: &train::Training,
    model: &Model,
    plan: &Plan,
    stats: &[PageStat],
) -> String {
    let total_words: usize = stats.iter().map(|s| s.words).sum();
    let total_bytes: usize = stats.iter().map(|s| s.bytes).sum();
    let avg = total_words as f64 / stats.len().max(1) as f64;
    let mut m = String::with_capacity(plan.pages.len() * 200);
    m.push_str("{\n\"generator\": \"sotay benches/gen_corpus.rs\",\n");
    // One line, so scripts can compare parameters with grep.
    let _ = writeln!(
        m,
        "\"params\": {{\"pages\": {}, \"seed\": {}, \"sections\": {}, \"training\": {}}},",
        args.pages,
        args.seed,
        plan.sections.len(),
        json_quote(&args.training.to_string_lossy())
    );
    let files: Vec<String> = train.files.iter().map(|f| json_quote(f)).collect();
    let _ = writeln!(
        m,
        "\"training\": {{\"sha256\": \"{}\", \"tokens\": {}, \"vocabulary\": {}, \"files\": [{}]}},",
        util::sha256_hex(&train.raw),
        model.training_tokens(),
        model.vocabulary(),
        files.join(", ")
    );
    let _ = writeln!(
        m,
        "\"documents\": {},\n\"avg_words\": {avg:.1},\n\"markdown_bytes\": {total_bytes},",
        plan.docs.len()
    );
    let sections: Vec<String> = plan
        .sections
        .iter()
        .map(|(slug, title)| {
            format!(
                "{{\"slug\": {}, \"title\": {}}}",
                json_quote(slug),
                json_quote(title)
            )
        })
        .collect();
    let _ = writeln!(m, "\"sections\": [{}],\n\"pages\": [", sections.join(", "));
    for (i, (p, stat)) in plan.pages.iter().zip(stats).enumerate() {
        let (number, articles) = match p.doc.map(|k| &plan.docs[k]) {
            Some(d) => (json_quote(&d.number), d.articles.to_string()),
            None => ("null".to_owned(), "null".to_owned()),
        };
        let _ = writeln!(
            m,
            "{{\"path\": {}, \"title\": {}, \"section\": {}, \"words\": {}, \"number\": {number}, \"articles\": {articles}}}{}",
            json_quote(&plan.page_path(i)),
            json_quote(&p.title),
            json_quote(&plan.sections[p.section].0),
            stat.words,
            if i + 1 < plan.pages.len() { "," } else { "" }
        );
    }
    m.push_str("]\n}\n");
    m
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let started = Instant::now();
    let train = train::load(&args.training).map_err(|e| {
        format!(
            "reading training text under {}: {e}",
            args.training.display()
        )
    })?;
    let toks = train::tokenize(&train.lines);
    let model = Model::new(train::Chain::train(&toks));
    if model.training_tokens() < SMALL_TRAINING {
        eprintln!(
            "gen_corpus: warning: only {} training words from {} file(s) under {}; \
             text is mostly the built-in supplement",
            model.training_tokens(),
            train.files.len(),
            args.training.display()
        );
    }

    let content = args.out.join("content");
    if content.exists() {
        let non_empty = fs::read_dir(&content)
            .map_err(|e| format!("reading {}: {e}", content.display()))?
            .next()
            .is_some();
        if non_empty && !args.force {
            return Err(format!(
                "{} exists and is not empty (use --force)",
                content.display()
            ));
        }
        fs::remove_dir_all(&content).map_err(|e| format!("removing {}: {e}", content.display()))?;
    }

    let mut w = Writer::new(&model, Rng::new(args.seed));
    let plan = plan::plan(&mut w, args.pages, args.sections);

    for (slug, _) in &plan.sections {
        let dir = content.join(slug);
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    write(
        &args.out.join("site.yaml"),
        "title: \"Bench\"\ndescription: \"Synthetic corpus\"\nbase_url: \"http://127.0.0.1/\"\n\
         language: \"vi\"\ntheme: \"default\"\n",
    )?;
    write(
        &content.join("_index.md"),
        &format!(
            "---\ntitle: {}\ndescription: {}\n---\n\nTrang thử nghiệm hiệu năng: {} trang, {} chuyên mục.\n",
            yaml_quote("Cổng thông tin thử nghiệm"),
            yaml_quote("Trang chủ của bộ dữ liệu thử nghiệm hiệu năng."),
            args.pages,
            plan.sections.len()
        ),
    )?;
    for (slug, title) in &plan.sections {
        let description = format!("Văn bản, hướng dẫn và tin bài về {}.", title.to_lowercase());
        write(
            &content.join(slug).join("_index.md"),
            &format!(
                "---\ntitle: {}\ndescription: {}\n---\n",
                yaml_quote(title),
                yaml_quote(&description)
            ),
        )?;
    }

    let stats = write_pages(&args, &model, &plan)?;
    write(
        &args.out.join("manifest.json"),
        &manifest(&args, &train, &model, &plan, &stats),
    )?;
    let words: usize = stats.iter().map(|s| s.words).sum();
    let bytes: usize = stats.iter().map(|s| s.bytes).sum();
    eprintln!(
        "gen_corpus: wrote {} pages ({} documents) in {} sections to {}: {:.1} MB of Markdown, \
         avg {:.0} words/page, {} training words, {:.2} s",
        args.pages,
        plan.docs.len(),
        plan.sections.len(),
        content.display(),
        bytes as f64 / 1e6,
        words as f64 / args.pages.max(1) as f64,
        model.training_tokens(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
