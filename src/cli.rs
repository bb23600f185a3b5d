//! The command line's Vietnamese face: clap's help layout, headings, usage lines and errors.
//!
//! clap writes `Usage:`, `Options:`, `[default: …]` and its error sentences in English and
//! offers no translation, so [`localize`] rewrites every (sub)command it builds: a help
//! template with our own words, our own `-h/--help` and `-V/--version`, headings set on every
//! argument, a usage line built here, defaults and possible values folded into the help text.
//! Errors are turned into Vietnamese by [`error_text`] from clap's error kind and context.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The heading of positional arguments in help.
const ARGS_HEADING: &str = "Tham số";
/// The heading of options in help.
const OPTIONS_HEADING: &str = "Tùy chọn";
/// Stands for the options in a usage line.
const OPTIONS_TAG: &str = "[TÙY_CHỌN]";
/// The prefix of every error line the binary prints.
pub const ERROR_PREFIX: &str = "lỗi:";

const TEMPLATE: &str = "{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}\n";

/// Rewrites `cmd` and its subcommands so that their help and usage are Vietnamese.
pub fn localize(cmd: Command) -> Command {
    let name = cmd.get_name().to_owned();
    let cmd = cmd.version(env!("CARGO_PKG_VERSION")).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("In phiên bản")
            .help_heading(OPTIONS_HEADING),
    );
    localize_one(cmd, &name)
}

fn localize_one(cmd: Command, path: &str) -> Command {
    let mut cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .help_template(TEMPLATE)
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In trợ giúp"),
        )
        .mut_args(localize_arg);
    let line = usage(&cmd, path);
    cmd = cmd.override_usage(line);
    let children: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    for child in children {
        let child_path = format!("{path} {child}");
        cmd = cmd.mut_subcommand(&child, |c| localize_one(c, &child_path));
    }
    cmd
}

/// Puts every argument under a Vietnamese heading and writes its default and possible values
/// into its help text, in place of clap's English `[default: …]` and `[possible values: …]`.
fn localize_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() {
        ARGS_HEADING
    } else {
        OPTIONS_HEADING
    };
    let mut help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    let takes_value = arg.get_action().takes_values();
    if takes_value && !values.is_empty() {
        help.push_str(&format!(" [giá trị: {}]", values.join(", ")));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() {
        help.push_str(&format!(" [mặc định: {}]", defaults.join(" ")));
    }
    let arg = arg.help_heading(heading).help(help);
    if takes_value {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// `sotay build [TÙY_CHỌN]`, `sotay new [TÙY_CHỌN] <LOẠI> <ĐƯỜNG_DẪN>`: clap's usage line with
/// Vietnamese tags.
fn usage(cmd: &Command, path: &str) -> String {
    let mut line = path.to_owned();
    if cmd.get_arguments().any(|a| !a.is_positional()) {
        line.push(' ');
        line.push_str(OPTIONS_TAG);
    }
    for arg in cmd.get_arguments().filter(|a| a.is_positional()) {
        let name = arg.get_value_names().and_then(|n| n.first()).map_or_else(
            || arg.get_id().to_string().to_uppercase(),
            |n| n.to_string(),
        );
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        let dots = if many { "..." } else { "" };
        if arg.is_required_set() {
            line.push_str(&format!(" <{name}>{dots}"));
        } else {
            line.push_str(&format!(" [{name}]{dots}"));
        }
    }
    if cmd.has_subcommands() {
        line.push_str(" <LỆNH>");
    }
    line
}

/// What the binary prints for a clap error, and where.
pub struct Early {
    /// The text, ending with a newline.
    pub text: String,
    /// Standard output (help and version asked for) or standard error.
    pub to_stdout: bool,
    /// The exit code: 0 for help and version asked for, 2 otherwise.
    pub code: u8,
}

/// The Vietnamese text of a clap error (help and version included).
pub fn error_text(err: &clap::Error) -> Early {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Early {
            text: err.to_string(),
            to_stdout: true,
            code: 0,
        },
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Early {
            text: err.to_string(),
            to_stdout: false,
            code: 2,
        },
        _ => Early {
            text: usage_error(err),
            to_stdout: false,
            code: 2,
        },
    }
}

fn context(err: &clap::Error, kind: ContextKind) -> Option<String> {
    err.get(kind).map(|v| match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(s) => s.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(s) => s
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    })
}

/// The message of a usage error: what is wrong, a suggestion when clap has one, the usage
/// line, and where to read more.
fn usage_error(err: &clap::Error) -> String {
    let arg = context(err, ContextKind::InvalidArg).unwrap_or_default();
    let value = context(err, ContextKind::InvalidValue).unwrap_or_default();
    let message = match err.kind() {
        ErrorKind::UnknownArgument => format!("không có tùy chọn `{arg}`"),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh `{}`",
            context(err, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("giá trị `{value}` không hợp lệ cho `{arg}`")
        }
        ErrorKind::MissingRequiredArgument => format!("thiếu tham số bắt buộc: {arg}"),
        ErrorKind::MissingSubcommand => "thiếu lệnh".to_owned(),
        ErrorKind::TooManyValues => format!("thừa giá trị `{value}` cho `{arg}`"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("`{arg}` không đủ giá trị")
        }
        ErrorKind::ArgumentConflict => format!(
            "`{arg}` không dùng cùng `{}` được",
            context(err, ContextKind::PriorArg).unwrap_or_default()
        ),
        ErrorKind::NoEquals => format!("`{arg}` cần dấu `=` trước giá trị"),
        ErrorKind::InvalidUtf8 => "tham số không phải UTF-8".to_owned(),
        _ => "tham số dòng lệnh không hợp lệ".to_owned(),
    };
    let mut out = format!("{ERROR_PREFIX} {message}\n");
    let suggested = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .find_map(|k| context(err, k));
    if let Some(s) = suggested {
        out.push_str(&format!("gợi ý: có phải ý bạn là `{s}`?\n"));
    } else if let Some(valid) = context(err, ContextKind::ValidValue) {
        out.push_str(&format!("gợi ý: giá trị hợp lệ: {valid}\n"));
    }
    // clap's usage context is "Usage: " followed by our own usage line.
    let usage = context(err, ContextKind::Usage).unwrap_or_default();
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
    if usage.is_empty() {
        // clap gives no usage for bad values; the top-level help lists every command.
        out.push_str("Xem thêm: sotay --help\n");
    } else {
        out.push_str(&format!("\nCách dùng: {usage}\n"));
        let command: Vec<&str> = usage
            .split_whitespace()
            .take_while(|w| !w.starts_with(['[', '<']))
            .collect();
        out.push_str(&format!("Xem thêm: {} --help\n", command.join(" ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Command {
        localize(
            Command::new("sotay").about("Thử").subcommand(
                Command::new("new")
                    .about("Tạo tệp")
                    .arg(
                        Arg::new("kind")
                            .value_name("LOẠI")
                            .required(true)
                            .value_parser(["page", "faq"]),
                    )
                    .arg(Arg::new("root").long("root").default_value(".").help("Gốc")),
            ),
        )
    }

    fn run(args: &[&str]) -> Early {
        error_text(&demo().try_get_matches_from(args).unwrap_err())
    }

    #[test]
    fn help_is_vietnamese() {
        let help = run(&["sotay", "new", "--help"]);
        assert_eq!(help.code, 0);
        for word in [
            "Cách dùng: sotay new [TÙY_CHỌN] <LOẠI>",
            "Tham số:",
            "Tùy chọn:",
        ] {
            assert!(help.text.contains(word), "{word}\n{}", help.text);
        }
        assert!(help.text.contains("[mặc định: .]"), "{}", help.text);
        assert!(help.text.contains("[giá trị: page, faq]"), "{}", help.text);
        for english in [
            "Usage",
            "Options",
            "Arguments",
            "default:",
            "possible values",
        ] {
            assert!(!help.text.contains(english), "{english}\n{}", help.text);
        }
    }

    #[test]
    fn errors_are_vietnamese_with_usage_and_exit_2() {
        let e = run(&["sotay", "new", "faq", "--rot", "x"]);
        assert_eq!(e.code, 2);
        assert!(
            e.text.starts_with("lỗi: không có tùy chọn `--rot`"),
            "{}",
            e.text
        );
        assert!(e.text.contains("`--root`"), "{}", e.text);
        assert!(e.text.contains("Xem thêm: sotay new --help"), "{}", e.text);
        let e = run(&["sotay", "new", "tin"]);
        assert!(e.text.contains("giá trị `tin` không hợp lệ"), "{}", e.text);
        assert!(e.text.contains("page, faq"), "{}", e.text);
        let e = run(&["sotay", "neww"]);
        assert!(e.text.contains("không có lệnh `neww`"), "{}", e.text);
        assert!(e.text.contains("`new`"), "{}", e.text);
    }
}
