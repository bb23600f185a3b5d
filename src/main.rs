//! The `sotay` command: argument parsing, printing and exit codes. Everything else lives in
//! the library.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use sotay::build::{build_into, check, BuildOptions, BuildResult};
use sotay::diagnostics::Severity;
use sotay::output::{OutputError, Staging};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for content and template errors.
const EXIT_CONTENT: u8 = 1;
/// Exit code for usage errors (bad arguments, refused output folder).
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "sotay",
    version,
    about = "sotay — trình tạo trang web tĩnh cho sổ tay pháp luật tiếng Việt"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// Thư mục gốc của trang (chứa site.yaml và content/)
    #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
    root: PathBuf,
    /// Dựng cả các trang nháp (draft: true)
    #[arg(long)]
    drafts: bool,
    /// Ngày dựng YYYY-MM-DD (mặc định: SOURCE_DATE_EPOCH hoặc hôm nay)
    #[arg(long, value_name = "NGÀY")]
    today: Option<String>,
    /// In mọi vị trí của từng thông báo (mặc định: mỗi thông báo một lần, kèm số lần và
    /// ba vị trí đầu) và thời gian của từng giai đoạn
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Tạo một trang web mới, dựng được ngay, trong thư mục trống
    Init {
        /// Thư mục sẽ chứa trang (tạo mới nếu chưa có; phải trống)
        #[arg(default_value = ".", value_name = "THƯ_MỤC")]
        dir: PathBuf,
    },
    /// Dựng trang web vào thư mục đầu ra
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Thư mục đầu ra (mặc định: ROOT/public)
        #[arg(long, value_name = "THƯ_MỤC")]
        output: Option<PathBuf>,
        /// Ghi đè base_url của site.yaml
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Ghi thêm tệp .gz và .br bên cạnh tệp văn bản
        #[arg(long)]
        precompress: bool,
    },
    /// Dựng trang vào bộ nhớ, phục vụ để xem trước và tự dựng lại khi tệp thay đổi
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Địa chỉ nghe (mặc định chỉ máy này)
        #[arg(long, default_value = "127.0.0.1", value_name = "ĐỊA_CHỈ")]
        bind: String,
        /// Cổng; 0 để tự chọn một cổng trống
        #[arg(long, default_value_t = sotay::serve::DEFAULT_PORT, value_name = "CỔNG")]
        port: u16,
        /// Cho phép --bind một địa chỉ không phải máy này (mọi máy trong mạng xem được)
        #[arg(long)]
        allow_remote: bool,
        /// Mở trang trong trình duyệt
        #[arg(long)]
        open: bool,
    },
    /// Kiểm tra toàn bộ nội dung như khi dựng, không ghi gì
    Check {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Tạo tệp nội dung mới với front matter phù hợp
    New {
        /// Loại trang
        #[arg(value_name = "LOẠI")]
        kind: NewKindArg,
        /// Đường dẫn trong content/ (ví dụ van-ban/qd-1847-2018.md)
        #[arg(value_name = "ĐƯỜNG_DẪN")]
        path: String,
        /// Tiêu đề (mặc định: một tiêu đề tạm mà `sotay check` nhắc phải sửa)
        #[arg(long, value_name = "TIÊU_ĐỀ")]
        title: Option<String>,
        /// Thư mục gốc của trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
    },
    /// Chuyển tệp gõ bằng bảng mã cũ (TCVN3, VNI) hoặc lưu dạng UTF-16 sang UTF-8,
    /// giữ bản gốc ở TỆP.bak
    FixEncoding {
        /// Các tệp cần chuyển
        #[arg(required = true, value_name = "TỆP")]
        files: Vec<PathBuf>,
    },
    /// Tìm trong chỉ mục đã dựng (đúng các tệp trình duyệt tải về)
    Search {
        /// Thư mục gốc của trang
        #[arg(long, default_value = ".", value_name = "THƯ_MỤC")]
        root: PathBuf,
        /// Thư mục đầu ra đã dựng (mặc định: ROOT/public)
        #[arg(long, value_name = "THƯ_MỤC")]
        output: Option<PathBuf>,
        /// Số kết quả tối đa
        #[arg(long, default_value_t = 10, value_name = "SỐ")]
        limit: usize,
        /// In kết quả dạng JSON
        #[arg(long)]
        json: bool,
        /// Từ khóa hoặc số hiệu văn bản
        #[arg(required = true, value_name = "TỪ_KHÓA")]
        query: Vec<String>,
    },
    /// In trợ giúp của sotay hoặc của một lệnh
    Help {
        /// Tên lệnh
        #[arg(value_name = "LỆNH")]
        command: Option<String>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKindArg {
    Page,
    Document,
    Faq,
}

/// Parses the arguments with Vietnamese help and errors (`sotay::cli`); help and version
/// exit 0, usage errors exit 2.
fn parse_args() -> Result<Cli, ExitCode> {
    let matches = sotay::cli::localize(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    matches.map_err(|e| {
        let early = sotay::cli::error_text(&e);
        if early.to_stdout {
            print!("{}", early.text);
        } else {
            eprint!("{}", early.text);
        }
        ExitCode::from(early.code)
    })
}

/// `sotay help [LỆNH]`: the same text as `--help`.
fn print_help(command: Option<&str>) -> ExitCode {
    let mut cli = sotay::cli::localize(Cli::command());
    let target = match command {
        None => &mut cli,
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(c) => c,
            None => {
                eprintln!(
                    "lỗi: không có lệnh `{name}`
Xem thêm: sotay --help"
                );
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    print!("{}", target.render_help());
    ExitCode::SUCCESS
}

/// Builds the site (into `staging` when given), prints diagnostics and timings.
/// What [`run_build`] does with the pages it renders.
enum Mode<'a> {
    /// Writes them into the staging folder (`sotay build`).
    Build(&'a Staging),
    /// Only validates (`sotay check`).
    Check,
}

/// Refuses a root that is no site at all (one error, exit 2), before anything is built,
/// written or served.
fn check_root(root: &std::path::Path) -> Result<(), ExitCode> {
    match sotay::init::root_problem(root) {
        Some(problem) => {
            eprintln!("lỗi: {problem}");
            Err(ExitCode::from(EXIT_USAGE))
        }
        None => Ok(()),
    }
}

fn run_build(
    site: &SiteArgs,
    base_url: Option<String>,
    mode: Mode<'_>,
) -> Result<(BuildOptions, BuildResult), ExitCode> {
    let today = sotay::resolve_today(site.today.as_deref()).map_err(|e| {
        eprintln!("lỗi: {e}");
        ExitCode::from(EXIT_USAGE)
    })?;
    let opts = BuildOptions {
        root: site.root.clone(),
        drafts: site.drafts,
        base_url,
        today,
    };
    let result = match mode {
        Mode::Build(s) => build_into(&opts, s),
        Mode::Check => check(&opts),
    };
    // Grouped by message unless --verbose (`sotay::report`); a failed write to stderr has
    // nowhere to be reported.
    let mut stderr = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = sotay::report::write(&mut stderr, result.diagnostics.iter(), site.verbose);
    let _ = std::io::Write::flush(&mut stderr);
    drop(stderr);
    if site.verbose {
        let total: std::time::Duration = result.timings.iter().map(|(_, d)| *d).sum();
        for (phase, d) in &result.timings {
            eprintln!("  {phase:<12} {:>8.1} ms", d.as_secs_f64() * 1000.0);
            // The search phase's passes, indented: they are part of its time, not added.
            if *phase == "search" {
                for (pass, d) in &result.search_passes {
                    eprintln!("    {pass:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
        }
        eprintln!(
            "  {:<12} {:>8.1} ms ({} trang)",
            "total",
            total.as_secs_f64() * 1000.0,
            result.page_count
        );
    }
    let errors = result.diagnostics.error_count();
    let warnings = result
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if errors > 0 {
        eprintln!("lỗi: thất bại: {errors} lỗi, {warnings} cảnh báo");
        return Err(ExitCode::from(EXIT_CONTENT));
    }
    if warnings > 0 {
        eprintln!("cảnh báo: tổng cộng {warnings} cảnh báo");
    }
    Ok((opts, result))
}

// jemalloc, with the options and the reasons given in `sotay::allocator`.
sotay::jemalloc_allocator!();

fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Help { command } => print_help(command.as_deref()),
        Command::Build {
            site,
            output,
            base_url,
            precompress,
        } => {
            if let Err(code) = check_root(&site.root) {
                return code;
            }
            let output = output.unwrap_or_else(|| site.root.join("public"));
            let output_failed = |e: OutputError| {
                eprintln!("lỗi: {e}");
                ExitCode::from(match e {
                    OutputError::Refused(_) => EXIT_USAGE,
                    OutputError::Clash(_) | OutputError::Io(..) => EXIT_CONTENT,
                })
            };
            // Pages are written into the staging folder while they are rendered; it
            // replaces the output only if the whole build succeeds (dropping it removes it).
            let staging = match Staging::begin(&site.root, &output, precompress) {
                Ok(s) => s,
                Err(e) => return output_failed(e),
            };
            let (_, result) = match run_build(&site, base_url, Mode::Build(&staging)) {
                Ok(r) => r,
                Err(code) => return code,
            };
            let started = std::time::Instant::now();
            if let Err(e) = staging.write_all(&result.files) {
                return output_failed(e);
            }
            let count = staging.file_count();
            // Resolved: what was written, whatever `..` or symlinks the argument held.
            let output = staging.output().to_owned();
            if let Err(e) = staging.commit() {
                return output_failed(e);
            }
            if site.verbose {
                eprintln!(
                    "  {:<12} {:>8.1} ms",
                    "write",
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            eprintln!(
                "đã dựng {} trang, {count} tệp vào {}",
                result.page_count,
                output.display()
            );
            ExitCode::SUCCESS
        }
        Command::Serve {
            site,
            bind,
            port,
            allow_remote,
            open,
        } => {
            if let Err(code) = check_root(&site.root) {
                return code;
            }
            let today = match sotay::resolve_today(site.today.as_deref()) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            };
            // Nothing to clean up: the site lives in memory and sources are only read.
            if let Err(e) = ctrlc::set_handler(|| {
                eprintln!("\nĐã dừng máy chủ xem trước.");
                std::process::exit(0);
            }) {
                eprintln!("cảnh báo: không bắt được Ctrl-C: {e}");
            }
            let opts = sotay::serve::ServeOptions {
                root: site.root,
                bind,
                port,
                allow_remote,
                drafts: site.drafts,
                open,
                today,
                verbose: site.verbose,
            };
            match sotay::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::Check { site } => {
            match check_root(&site.root).and_then(|()| run_build(&site, None, Mode::Check)) {
                Ok((_, result)) => {
                    eprintln!("ổn: {} trang không có lỗi", result.page_count);
                    ExitCode::SUCCESS
                }
                Err(code) => code,
            }
        }
        Command::Search {
            root,
            output,
            limit,
            json,
            query,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            match sotay::search::cli::run(&output, &query.join(" "), limit) {
                Ok(found) if json => {
                    println!("{}", sotay::search::cli::to_json(&found.hits));
                    ExitCode::SUCCESS
                }
                Ok(found) => {
                    if found.hits.is_empty() {
                        eprintln!("không tìm thấy kết quả nào");
                    }
                    print!("{}", sotay::search::cli::to_text(&found));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("lỗi: {e}");
                    ExitCode::from(EXIT_USAGE)
                }
            }
        }
        Command::FixEncoding { files } => run_fix_encoding(&files),
        Command::Init { dir } => run_init(&dir),
        Command::New {
            kind,
            path,
            title,
            root,
        } => run_new(kind, &path, title.as_deref(), &root),
    }
}

/// `sotay fix-encoding FILE...`: every file is tried; exit 1 when any was refused.
fn run_fix_encoding(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for file in files {
        match sotay::fix_encoding::fix_file(file) {
            Ok(outcome) => println!("{}", outcome.describe(file)),
            Err(e) => {
                eprintln!("lỗi: {e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Today as `YYYY-MM-DD`, for the dates `init` and `new` write.
fn today_text() -> Result<String, ExitCode> {
    sotay::resolve_today(None)
        .map(sotay::fields::format_date)
        .map_err(|e| {
            eprintln!("lỗi: {e}");
            ExitCode::from(EXIT_USAGE)
        })
}

/// `sotay init [DIR]`.
fn run_init(dir: &std::path::Path) -> ExitCode {
    let today = match today_text() {
        Ok(t) => t,
        Err(code) => return code,
    };
    match sotay::init::create(dir, &today) {
        Ok(_) => {
            print!("{}", sotay::init::next_steps(dir));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lỗi: {e}");
            ExitCode::from(match e {
                sotay::init::InitError::NotEmpty(_) => EXIT_USAGE,
                sotay::init::InitError::Io(..) => EXIT_CONTENT,
            })
        }
    }
}

/// `sotay new KIND PATH [--title …]`.
fn run_new(kind: NewKindArg, path: &str, title: Option<&str>, root: &std::path::Path) -> ExitCode {
    let kind = match kind {
        NewKindArg::Page => sotay::scaffold::NewKind::Page,
        NewKindArg::Document => sotay::scaffold::NewKind::Document,
        NewKindArg::Faq => sotay::scaffold::NewKind::Faq,
    };
    let today = match today_text() {
        Ok(t) => t,
        Err(code) => return code,
    };
    match sotay::scaffold::create(root, path, kind, title, &today) {
        Ok(p) => {
            println!("{}", p.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("lỗi: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
