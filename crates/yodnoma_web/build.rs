//! Brings the deep-zoom viewer into the binary: OpenSeadragon comes from npm (`viewer/`,
//! versions pinned by its `package-lock.json`), installed here on the first build, and is
//! embedded so that yodnoma serves it itself, with no CDN.
//!
//! Without npm or the registry the build still succeeds, with a warning: exhibit pages then show
//! the plain scaled image they show without JavaScript.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

const VIEWER_DIR: &str = "viewer";
const SCRIPT: &str = "viewer/node_modules/openseadragon/build/openseadragon/openseadragon.min.js";

fn main() {
    println!("cargo::rerun-if-changed=viewer/package.json");
    println!("cargo::rerun-if-changed=viewer/package-lock.json");
    println!("cargo::rerun-if-changed={SCRIPT}");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    if !Path::new(SCRIPT).exists() {
        install();
    }
    let script = match fs::read(SCRIPT) {
        Ok(bytes) => bytes,
        Err(e) => {
            println!(
                "cargo::warning=the deep-zoom viewer is left out ({SCRIPT}: {e}); \
                 run `npm ci` in crates/yodnoma_web/viewer and build again"
            );
            Vec::new()
        }
    };
    fs::write(out_dir.join("openseadragon.min.js"), script).expect("OUT_DIR is writable");
}

fn install() {
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(VIEWER_DIR)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => println!("cargo::warning=`npm ci` in {VIEWER_DIR} failed: {status}"),
        Err(e) => println!("cargo::warning=could not run npm for the deep-zoom viewer: {e}"),
    }
}
