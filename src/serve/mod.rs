//! `sotay serve`: build the site into memory, serve it, rebuild on every save and tell
//! browsers to reload.
//!
//! Three parts, decoupled (as mdBook does it): the watcher thread turns file events into a
//! [`watch::Change`]; the rebuild loop (this module, on the calling thread) builds and then
//! swaps the served [`http::Snapshot`]; HTTP threads ([`server`]) only read snapshots. The
//! site goes through the same pipeline as `sotay build` (search index included) and is
//! never written to disk.
//!
//! The preview is served at the same base path as the published site (`base_url`'s path
//! from `site.yaml`), on the local address: a link that forgets the base path breaks in
//! preview exactly as it would in production.

pub mod diff;
pub mod hosts;
pub mod http;
pub mod indexer;
pub mod livereload;
pub mod overlay;
pub mod pinned;
pub mod server;
pub mod watch;
pub mod wire;

use crate::build::{BuildOptions, BuildResult, Session};
use crate::diagnostics::{Diagnostic, Severity};
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// Default port, as in `site.yaml`'s example `base_url`.
pub const DEFAULT_PORT: u16 = 1111;

/// What `sotay serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Address to listen on (`127.0.0.1` unless told otherwise).
    pub bind: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Accept a non-loopback `bind` (the preview shows drafts and errors to the network).
    pub allow_remote: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in a browser once it is built.
    pub open: bool,
    /// Build date.
    pub today: time::Date,
    /// Print phase timings of every build.
    pub verbose: bool,
}

/// Why the server could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

/// Parses `--bind`, refusing non-loopback addresses unless `allow_remote`.
pub fn bind_address(bind: &str, allow_remote: bool) -> Result<IpAddr, ServeError> {
    let ip: IpAddr = if bind.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        bind.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| ServeError(format!("--bind `{bind}` không phải địa chỉ IP")))?
    };
    if !ip.is_loopback() && !allow_remote {
        return Err(ServeError(format!(
            "--bind {ip} mở bản xem trước (gồm cả bản nháp và lỗi) cho mọi máy trong mạng; \
             thêm --allow-remote nếu bạn thực sự muốn vậy"
        )));
    }
    Ok(ip)
}

fn origin(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}", addr.port()),
    }
}

/// The base path `site.yaml` asks for (empty when it cannot be read: the build reports
/// why).
fn configured_base_path(root: &std::path::Path) -> String {
    crate::load::read_config(root)
        .ok()
        .and_then(|text| crate::config::parse("site.yaml", &text).ok())
        .map(|c| c.base_path)
        .unwrap_or_default()
}

/// Builds, serves and rebuilds until the process is stopped (Ctrl-C).
pub fn run(opts: ServeOptions) -> Result<(), ServeError> {
    let ip = bind_address(&opts.bind, opts.allow_remote)?;
    if !ip.is_loopback() {
        eprintln!(
            "cảnh báo: máy chủ xem trước nghe trên {ip}: mọi máy trong mạng đều xem được bản nháp"
        );
    }
    let root = opts.root.canonicalize().map_err(|e| {
        ServeError(format!(
            "không mở được thư mục gốc {}: {e}",
            opts.root.display()
        ))
    })?;
    let listener = std::net::TcpListener::bind(SocketAddr::new(ip, opts.port)).map_err(|e| {
        ServeError(format!(
            "không nghe được trên {ip}:{}: {e} (thử --port 0 để chọn cổng trống)",
            opts.port
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError(format!("máy chủ không có địa chỉ IP: {e}")))?;
    let origin = origin(addr);
    // Watch before the first build: a save during it is then rebuilt, not lost.
    let mut watcher = watch::Watcher::new(&root)
        .map_err(|e| ServeError(format!("không theo dõi được {}: {e}", root.display())))?;

    let mut rebuild = Rebuild::new(
        BuildOptions {
            root: root.clone(),
            drafts: opts.drafts,
            base_url: None,
            today: opts.today,
        },
        origin.clone(),
        opts.verbose,
    );
    let shared = Arc::new(server::Shared {
        snapshot: RwLock::new(Arc::new(http::Snapshot::new(
            None,
            String::new(),
            rebuild.generation,
            Vec::new(),
        ))),
        hub: livereload::Hub::default(),
    });
    rebuild.indexer = Some(indexer::Indexer::start(Arc::clone(&shared), opts.verbose));
    rebuild.run(&watch::Change::everything(), &shared, None);
    server::start(listener, Arc::clone(&shared), hosts::Hosts::new(addr));

    let url = format!("{origin}{}/", shared.current().base_path);
    println!("Đang phục vụ tại {url}");
    eprintln!(
        "Theo dõi thay đổi trong {}; Ctrl-C để dừng.",
        root.display()
    );
    if opts.open {
        open_browser(&url);
    }
    while let Some(change) = watcher.wait() {
        rebuild.run(&change, &shared, Some(&mut watcher));
    }
    Err(ServeError("bộ theo dõi tệp đã dừng".into()))
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let spawned = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("cảnh báo: không mở được trình duyệt ({program}: {e}); hãy mở {url}");
    }
}

/// The rebuild loop's state: the incremental build session and what was last served.
struct Rebuild {
    session: Session,
    origin: String,
    verbose: bool,
    generation: u64,
    /// Warnings already printed, so each rebuild prints only new ones.
    seen_warnings: HashSet<String>,
    /// Builds the search index after each successful build.
    indexer: Option<Arc<indexer::Indexer>>,
}

/// How long a failed build waits for more file events before showing its errors.
const ERROR_GRACE: std::time::Duration = std::time::Duration::from_millis(200);

/// Most warnings printed after one build (a large site can have thousands).
const MAX_WARNINGS: usize = 20;

impl Rebuild {
    fn new(opts: BuildOptions, origin: String, verbose: bool) -> Self {
        // Start from the clock, so a restarted server never reuses a generation a tab
        // already has (tabs reload when the generation they know is not the current one).
        let generation = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        Self {
            session: Session::new(opts).defer_search(true),
            origin,
            verbose,
            generation,
            seen_warnings: HashSet::new(),
            indexer: None,
        }
    }

    fn build(&mut self, change: &watch::Change) -> (BuildResult, String) {
        let base_path = configured_base_path(&self.session.options().root);
        self.session
            .set_base_url(Some(format!("{}{base_path}", self.origin)));
        (self.session.rebuild(&change.to_changed()), base_path)
    }

    fn report(&mut self, result: &BuildResult) {
        let mut warnings = 0;
        let mut skipped = 0;
        let mut seen = HashSet::new();
        for d in result.diagnostics.iter() {
            match d.severity {
                Severity::Error => eprint!("{}", d.render()),
                Severity::Warning => {
                    let key = d.to_string();
                    if !self.seen_warnings.contains(&key) {
                        if warnings < MAX_WARNINGS {
                            eprint!("{}", d.render());
                        } else {
                            skipped += 1;
                        }
                        warnings += 1;
                    }
                    seen.insert(key);
                }
            }
        }
        if skipped > 0 {
            eprintln!("… và {skipped} cảnh báo mới khác");
        }
        self.seen_warnings = seen;
        if self.verbose {
            for (phase, d) in &result.timings {
                eprintln!("  {phase:<12} {:>8.1} ms", d.as_secs_f64() * 1000.0);
            }
        }
    }

    /// Builds after `change`, then publishes the result and tells the browsers.
    fn run(
        &mut self,
        change: &watch::Change,
        shared: &server::Shared,
        mut watcher: Option<&mut watch::Watcher>,
    ) {
        let started = Instant::now();
        let mut change = change.clone();
        let (mut result, mut base_path) = self.build(&change);
        // A build that fails in the middle of a burst of writes (a checkout, a file written
        // in pieces) is usually fixed by the events that follow: wait for them a moment
        // before showing the error.
        while result.diagnostics.has_errors() {
            let Some(more) = watcher.as_deref_mut().and_then(|w| w.wait_for(ERROR_GRACE)) else {
                break;
            };
            (result, base_path) = self.build(&more);
            change.merge(more);
        }
        let change = &change;
        let elapsed = started.elapsed();
        self.report(&result);
        let previous = shared.current();
        let errors: Vec<Diagnostic> = result
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        let ms = elapsed.as_secs_f64() * 1000.0;
        if !errors.is_empty() {
            let same = |a: &[Diagnostic], b: &[Diagnostic]| {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_string() == y.to_string())
            };
            if same(&previous.errors, &errors) {
                // One save can arrive as two batches of events: say it once.
                eprintln!("✗ {}: vẫn lỗi ({ms:.0} ms)", change.describe());
                return;
            }
            self.generation += 1;
            eprintln!(
                "✗ {}: {} lỗi (dựng trong {ms:.0} ms); vẫn phục vụ bản dựng tốt gần nhất",
                change.describe(),
                errors.len()
            );
            let data = serde_json::json!({
                "generation": self.generation,
                "errors": overlay::errors_json(&errors),
            });
            shared.replace(
                http::Snapshot::new(
                    previous.site.clone(),
                    previous.base_path.clone(),
                    self.generation,
                    errors,
                )
                .with_search(Arc::clone(&previous.search))
                .with_pins(Arc::clone(&previous.pins)),
            );
            shared
                .hub
                .broadcast(&livereload::event("build-error", &data));
            return;
        }
        // Pinned at once, before the assets are served: a file swapped for a link from now
        // on is refused (see `pinned`), also while later builds fail and this site stays.
        let pins = Arc::new(pinned::Pins::record(&result.files));
        let site = Arc::new(result.files);
        let recovering = previous.site.is_none() || !previous.errors.is_empty();
        let moved = previous.base_path != base_path;
        let d = match &previous.site {
            Some(old) => diff::diff(old, &site, &base_path),
            None => diff::SiteDiff::default(),
        };
        let styles_only = change.kind() == Some(watch::ChangeKind::Styles);
        let force = recovering || moved || change.assets_changed();
        let event = diff::event_for(&d, self.generation + 1, styles_only, force);
        if event.is_none() && d.is_empty() {
            if *pins != *previous.pins {
                // Same pages, but an asset is a new file (an editor's save-by-rename).
                shared.replace(
                    http::Snapshot::new(
                        previous.site.clone(),
                        previous.base_path.clone(),
                        previous.generation,
                        Vec::new(),
                    )
                    .with_search(Arc::clone(&previous.search))
                    .with_pins(pins),
                );
            }
            eprintln!(
                "✓ {}: dựng lại trong {ms:.0} ms, không có gì thay đổi",
                change.describe()
            );
            return;
        }
        if let (Some(indexer), Some(job)) = (&self.indexer, self.session.search_job()) {
            indexer.submit(job);
        }
        self.generation += 1;
        shared.replace(
            http::Snapshot::new(Some(site), base_path, self.generation, Vec::new())
                .with_search(Arc::clone(&previous.search))
                .with_pins(pins),
        );
        if previous.site.is_none() {
            eprintln!("✓ dựng xong {} trang trong {ms:.0} ms", result.page_count);
        } else {
            eprintln!(
                "✓ {}: dựng lại trong {ms:.0} ms, {} trang thay đổi",
                change.describe(),
                d.pages.len()
            );
        }
        if let Some((name, data)) = event {
            shared.hub.broadcast(&livereload::event(name, &data));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_binding_needs_the_flag() {
        assert!(bind_address("127.0.0.1", false).is_ok());
        assert!(bind_address("localhost", false).is_ok());
        assert!(bind_address("::1", false).is_ok());
        assert!(bind_address("0.0.0.0", false).is_err());
        assert!(bind_address("192.168.1.2", false).is_err());
        assert!(bind_address("0.0.0.0", true).is_ok());
        assert!(bind_address("máy-tôi", true).is_err());
    }

    #[test]
    fn origins_bracket_ipv6() {
        assert_eq!(
            origin("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(origin("[::1]:80".parse().unwrap()), "http://[::1]:80");
    }
}
