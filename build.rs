//! Rebuilds the binary when the default theme changes: it is embedded with `include_dir!`,
//! which Cargo does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
