//! `serve` under hostile conditions: files swapped for symlinks, foreign `Host` headers
//! (DNS rebinding), live-reload slots, malformed and idle connections.

use super::Serve;
use std::time::{Duration, Instant};

/// A file outside the site that a symlink in the site points to.
const SECRET: &str = "bí mật: root:x:0:0\n";

#[cfg(unix)]
#[test]
fn an_asset_swapped_for_a_symlink_is_never_followed_while_an_error_is_pending() {
    let s = Serve::start("serve/basic");
    let asset = "/so-tay/tep/mau.txt";
    assert_eq!(s.get(asset).body, "mẫu\n");
    let secret = s.site.root.parent().unwrap().join("secret.txt");
    std::fs::write(&secret, SECRET).unwrap();

    // A content error keeps the last good file list, which still names the asset.
    let good = std::fs::read_to_string(s.path("content/hoi-dap.md")).unwrap();
    s.write(
        "content/hoi-dap.md",
        &good.replace("title: \"Hỏi đáp", "title: [\"Hỏi đáp"),
    );
    s.expect_event("build-error");
    let path = s.path("content/tep/mau.txt");
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink(&secret, &path).unwrap();
    // Before, during and after the rebuild the swap causes: never the link's target.
    let until = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < until {
        let r = s.get(asset);
        assert_eq!(r.status, 404, "{}", r.body);
        assert!(!r.body.contains("bí mật"), "{}", r.body);
        std::thread::sleep(Duration::from_millis(50));
    }
    // A folder swapped for a link to a folder holding a file of the same name.
    let outside = s.site.root.parent().unwrap().join("ngoai");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("mau.txt"), SECRET).unwrap();
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, "mẫu\n").unwrap();
    s.write("content/hoi-dap.md", &good);
    s.expect_event("reload");
    assert_eq!(s.get(asset).body, "mẫu\n");
    s.write(
        "content/hoi-dap.md",
        &good.replace("title: \"Hỏi đáp", "title: [\"Hỏi đáp"),
    );
    s.expect_event("build-error");
    std::fs::remove_dir_all(s.path("content/tep")).unwrap();
    std::os::unix::fs::symlink(&outside, s.path("content/tep")).unwrap();
    let r = s.get(asset);
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains("bí mật"), "{}", r.body);
}
