//! What the benchmarks share. Each benchmark includes this module and uses a part of it.

#![allow(dead_code)]

use std::path::Path;

/// The peak resident memory of this process so far, in MB (Linux's `VmHWM`; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    memory_kib("self", "VmHWM:") as f64 / 1024.0
}

/// Resets [`peak_rss_mb`] to the memory resident now (Linux's `clear_refs`), so that the peak
/// of one step can be read apart from what came before it. Returns the resident memory in MB.
pub fn reset_peak_rss() -> f64 {
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        println!("(the peak cannot be reset here: peaks below include everything before)");
    }
    memory_kib("self", "VmRSS:") as f64 / 1024.0
}

/// Generated records asked for by `YODNOMA_BENCH_RECORDS` (default 1,000,000).
pub fn records_asked() -> u64 {
    std::env::var("YODNOMA_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Where generated data directories are kept between runs: `YODNOMA_BENCH_DIR`, by default
/// `target/bench-search` (shared by the search and statistics benchmarks).
pub fn generated_root() -> std::path::PathBuf {
    std::env::var_os("YODNOMA_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../target/bench-search"
            ))
        })
}

/// A field of `/proc/PID/status` in KiB (`VmRSS:`, `VmHWM:`); 0 where there is none.
pub fn memory_kib(pid: &str, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A `yodnoma serve` of the benchmarks' binary over `data` on a free port: the child and the
/// base URL it printed.
pub fn start_server(bin: &str, data: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server says where it listens");
    let url = line
        .trim()
        .strip_prefix("yodnoma listening on ")
        .expect("the server's first line")
        .trim_end_matches('/')
        .to_owned();
    (child, url)
}

/// Bytes of the files under `dir`.
pub fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_bytes(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// A data directory with `count` generated records (seed 1941), made once per size under `root`.
pub async fn prepare(root: &Path, count: u64) -> yodnoma::data_dir::DataDir {
    let path = root.join(count.to_string());
    let ready = path.join("generated.ready");
    let data = yodnoma::data_dir::DataDir::create(&path).unwrap();
    if !ready.exists() {
        let csv_path = path.join("generated.csv");
        let started = std::time::Instant::now();
        let file = std::fs::File::create(&csv_path).unwrap();
        yodnoma_gen::write_records(
            &yodnoma_gen::GenConfig { count, seed: 1941 },
            std::io::BufWriter::new(file),
        )
        .unwrap();
        println!(
            "generated {count} records in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let store = data.open_store().await.unwrap();
        let started = std::time::Instant::now();
        let summary = yodnoma::import::import_file(
            &store,
            &csv_path,
            &yodnoma_core::SourceName::parse("gen").unwrap(),
            None,
        )
        .await
        .unwrap();
        println!(
            "imported {} records in {:.1} s",
            summary.imported,
            started.elapsed().as_secs_f64()
        );
        store.close().await;
        std::fs::remove_file(&csv_path).unwrap();
        std::fs::write(&ready, "").unwrap();
    }
    data
}

/// A painting-like test image: smooth gradients with fine texture, so that JPEG has work. JPEG
/// quality 90, or `YODNOMA_BENCH_IIIF_QUALITY` (the texture takes 0.8 bytes a pixel at 90, so a
/// 20,000 × 20,000 image needs less to stay within the 256 MB a file may have).
pub fn painting(width: u32, height: u32) -> Vec<u8> {
    let quality = std::env::var("YODNOMA_BENCH_IIIF_QUALITY")
        .ok()
        .and_then(|q| q.parse().ok())
        .unwrap_or(90);
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let t = ((x * 7 + y * 13) % 97) as u8;
        image::Rgb([
            ((x * 255) / width) as u8 ^ t,
            ((y * 255) / height) as u8,
            (((x + y) * 255) / (width + height)) as u8 ^ (t / 2),
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&image)
        .unwrap();
    out
}
