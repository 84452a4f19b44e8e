//! Import throughput: `yodnoma import records` on generated records, side by side with a
//! baseline in the same run: the sqlite3 shell's `.import` of the same CSV into a bare table
//! (no validation, no upsert, no indexes): the floor of what loading this CSV into SQLite costs.
//!
//! `cargo bench -p yodnoma --bench import` (records: `YODNOMA_BENCH_RECORDS`, default 1,000,000).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::BufWriter;
use std::process::Command;
use std::time::Instant;

use yodnoma_core::SourceName;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let count: u64 = std::env::var("YODNOMA_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("records.csv");

    let started = Instant::now();
    let file = std::fs::File::create(&csv_path).unwrap();
    yodnoma_gen::write_records(
        &yodnoma_gen::GenConfig { count, seed: 1941 },
        BufWriter::new(file),
    )
    .unwrap();
    let generated = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&csv_path).unwrap().len();
    println!(
        "gen records:        {count} records, {:.1} MB in {generated:.2} s = {:.0} records/s",
        bytes as f64 / 1e6,
        count as f64 / generated
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let ours = runtime.block_on(async {
        let store = yodnoma_db::Store::open(&dir.path().join("yodnoma.db"))
            .await
            .unwrap();
        let source = SourceName::parse("bench").unwrap();
        let started = Instant::now();
        let summary = yodnoma::import::import_file(&store, &csv_path, &source, None)
            .await
            .unwrap();
        let elapsed = started.elapsed().as_secs_f64();
        store.close().await;
        assert_eq!(summary.imported, count);
        elapsed
    });
    println!(
        "yodnoma import:     {count} records in {ours:.2} s = {:.0} records/s (peak RSS of the process {} MiB)",
        count as f64 / ours,
        peak_memory_kib().unwrap_or(0) / 1024
    );

    let baseline_db = dir.path().join("baseline.db");
    let started = Instant::now();
    let baseline = Command::new("sqlite3")
        .arg(&baseline_db)
        .arg("PRAGMA journal_mode=WAL;")
        .arg("PRAGMA synchronous=NORMAL;")
        .arg(format!(".import --csv {} records", csv_path.display()))
        .output();
    match baseline {
        Ok(output) if output.status.success() => {
            let elapsed = started.elapsed().as_secs_f64();
            println!(
                "sqlite3 .import:    {count} records in {elapsed:.2} s = {:.0} records/s (baseline: no validation, no upsert, no index)",
                count as f64 / elapsed
            );
            println!(
                "ratio yodnoma / sqlite3 .import throughput: {:.2}",
                elapsed / ours
            );
        }
        Ok(output) => println!(
            "baseline failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e) => println!("baseline skipped: sqlite3 not found ({e}); `apt-get install sqlite3`"),
    }
}
