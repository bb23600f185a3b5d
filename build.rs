//! Rebuilds the binary when the default theme or the `sotay init` starter site changes: both
//! are embedded with `include_dir!`, which Cargo does not track by itself.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
}
