//! Brings what the site needs from npm into the binary, installed here on the first build with
//! versions pinned by each folder's `package-lock.json`, so that yodnoma serves everything
//! itself and fetches nothing at run time:
//! - `viewer/`: the deep-zoom viewer, OpenSeadragon, embedded as it is;
//! - `map/`: Natural Earth's outlines of the five republics (world-atlas), projected by d3-geo
//!   (`map/republics.mjs`) into the SVG paths of the statistics map.
//!
//! Without npm, node or the registry the build still succeeds, with a warning: exhibit pages
//! then show the plain scaled image they show without JavaScript, and the statistics page its
//! tables without the map.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

const VIEWER_DIR: &str = "viewer";
const SCRIPT: &str = "viewer/node_modules/openseadragon/build/openseadragon/openseadragon.min.js";
const MAP_DIR: &str = "map";
const MAP_SCRIPT: &str = "map/republics.mjs";
const ATLAS: &str = "map/node_modules/world-atlas/countries-50m.json";

fn main() {
    for file in [
        "viewer/package.json",
        "viewer/package-lock.json",
        SCRIPT,
        "map/package.json",
        "map/package-lock.json",
        MAP_SCRIPT,
        ATLAS,
    ] {
        println!("cargo::rerun-if-changed={file}");
    }
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    if !Path::new(SCRIPT).exists() {
        install(VIEWER_DIR);
    }
    let script = fs::read(SCRIPT).unwrap_or_else(|e| {
        println!(
            "cargo::warning=the deep-zoom viewer is left out ({SCRIPT}: {e}); \
             run `npm ci` in crates/yodnoma_web/viewer and build again"
        );
        Vec::new()
    });
    fs::write(out_dir.join("openseadragon.min.js"), script).expect("OUT_DIR is writable");

    if !Path::new(ATLAS).exists() {
        install(MAP_DIR);
    }
    let map = match Command::new("node").arg(MAP_SCRIPT).output() {
        Ok(out) if out.status.success() => out.stdout,
        Ok(out) => {
            println!(
                "cargo::warning=the statistics map is left out: {MAP_SCRIPT} failed: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .next()
                    .unwrap_or_default()
            );
            Vec::new()
        }
        Err(e) => {
            println!("cargo::warning=the statistics map is left out: could not run node: {e}");
            Vec::new()
        }
    };
    fs::write(out_dir.join("republics.json"), map).expect("OUT_DIR is writable");
}

fn install(dir: &str) {
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(dir)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => println!("cargo::warning=`npm ci` in {dir} failed: {status}"),
        Err(e) => println!("cargo::warning=could not run npm in {dir}: {e}"),
    }
}
