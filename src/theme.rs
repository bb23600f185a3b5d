//! Finding the theme: templates and static files, from disk or built into the binary.
//!
//! The default theme is embedded so that any folder with `site.yaml` and `content/` builds
//! without copying a theme. A theme folder on disk (`ROOT/themes/NAME`) wins over the
//! embedded copy, and the site's own `templates/` and `static/` win over both.

use crate::diagnostics::Diagnostic;
use crate::output::FileContent;
use include_dir::{include_dir, Dir};
use std::path::Path;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's source.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    /// Name used in `{% extends %}` and by the build (`page.html`).
    pub name: String,
    /// Where it came from, for error messages (`themes/default/templates/page.html`).
    pub display_path: String,
    /// The template text.
    pub text: String,
}

/// All the theme's inputs, merged with the site's overrides.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name (later entries override earlier ones).
    pub templates: Vec<TemplateSource>,
    /// Static files by output path (`style.css`, `img/logo.svg`).
    pub statics: Vec<(String, FileContent)>,
}

fn collect_embedded(dir: &'static Dir<'static>, theme: &mut Theme) {
    for file in dir.files() {
        let path = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = path.strip_prefix("templates/") {
            theme.templates.push(TemplateSource {
                name: name.to_owned(),
                display_path: format!("<sotay>/themes/default/{path}"),
                text: String::from_utf8_lossy(file.contents()).into_owned(),
            });
        } else if let Some(name) = path.strip_prefix("static/") {
            theme
                .statics
                .push((name.to_owned(), FileContent::Static(file.contents())));
        }
    }
    for sub in dir.dirs() {
        collect_embedded(sub, theme);
    }
}

fn collect_disk(
    root: &Path,
    dir: &Path,
    kind: &str,
    theme: &mut Theme,
    problems: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::global_error(format!(
                    "không đọc được {}: {e}",
                    dir.display()
                )));
                continue;
            }
        };
        let name_str = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::load::is_editor_temp(&name_str) {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let display = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        if kind == "templates" {
            match std::fs::read(entry.path()) {
                Ok(bytes) => match crate::load::decode(&display, &bytes) {
                    Ok(text) => theme.templates.push(TemplateSource {
                        name: rel,
                        display_path: display,
                        text,
                    }),
                    Err(d) => problems.push(d),
                },
                Err(e) => problems.push(Diagnostic::global_error(format!(
                    "không đọc được {display}: {e}"
                ))),
            }
        } else {
            theme
                .statics
                .push((rel, FileContent::Copy(entry.path().to_owned())));
        }
    }
}

/// Loads the theme named in the configuration, then the site's overrides.
pub fn load(root: &Path, theme_name: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut theme = Theme::default();
    let mut problems = Vec::new();
    let disk = root.join("themes").join(theme_name);
    if disk.is_dir() {
        collect_disk(
            root,
            &disk.join("templates"),
            "templates",
            &mut theme,
            &mut problems,
        );
        collect_disk(
            root,
            &disk.join("static"),
            "static",
            &mut theme,
            &mut problems,
        );
    } else if theme_name == "default" {
        collect_embedded(&DEFAULT_THEME, &mut theme);
    } else {
        problems.push(
            Diagnostic::global_error(format!(
                "không tìm thấy giao diện `{theme_name}` trong themes/"
            ))
            .with_hint("dùng `theme: default` hoặc tạo thư mục themes/<tên>/templates"),
        );
    }
    collect_disk(
        root,
        &root.join("templates"),
        "templates",
        &mut theme,
        &mut problems,
    );
    collect_disk(
        root,
        &root.join("static"),
        "static",
        &mut theme,
        &mut problems,
    );
    if problems.is_empty() {
        Ok(theme)
    } else {
        Err(problems)
    }
}
