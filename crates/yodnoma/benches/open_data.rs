//! Open data at scale: `export records` and `export persons` streamed from a registry of
//! generated records, beside SQLite's own CSV dump of the same table (the baseline: the least
//! any export can cost); and a whole OAI-PMH harvest (ListRecords through every resumption
//! token) beside reading the same persons one by one from the JSON API, as scrapers do today.
//! Prints rates, the exports' peak memory and the server's, in one run.
//!
//! `cargo bench -p yodnoma --bench open_data` (`OPEN_DATA_RECORDS`, default 200,000; needs the
//! `sqlite3` command for the baseline, which `scripts/test` installs).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::process::{Command, Stdio};
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");

fn main() {
    let count: usize = std::env::var("OPEN_DATA_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("records.csv");
    let generated = Command::new(BIN)
        .args([
            "gen",
            "records",
            "--count",
            &count.to_string(),
            "--seed",
            "3",
        ])
        .output()
        .unwrap();
    std::fs::write(&file, &generated.stdout).unwrap();
    let imported = Command::new(BIN)
        .arg("--data-dir")
        .arg(&data)
        .args([
            "import",
            "records",
            file.to_str().unwrap(),
            "--source",
            "generated",
        ])
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(imported.status.success());
    println!("open data: {count} generated records, each its own person (no linkage)");

    // Exports, in this process, into nothing: what is measured is reading and writing.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let store = runtime
        .block_on(yodnoma_db::Store::open(&data.join("yodnoma.db")))
        .unwrap();
    let before = common::peak_rss_mb();
    let started = Instant::now();
    let records = runtime
        .block_on(yodnoma_web::export::export_records(
            &store,
            None,
            &mut std::io::sink(),
        ))
        .unwrap();
    let records_time = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let persons = runtime
        .block_on(yodnoma_web::export::export_persons(
            &store,
            &mut std::io::sink(),
        ))
        .unwrap();
    let persons_time = started.elapsed().as_secs_f64();
    let peak = common::peak_rss_mb();
    runtime.block_on(store.close());

    // Baseline: SQLite dumping the table as CSV itself.
    let started = Instant::now();
    let dumped = Command::new("sqlite3")
        .arg(data.join("yodnoma.db"))
        .args(["-csv", "-header", "SELECT * FROM source_records"])
        .stdout(Stdio::null())
        .status();
    let dump_time = started.elapsed().as_secs_f64();
    println!("exports (streamed into nothing):");
    println!(
        "  export records:   {records} records in {records_time:.2} s, {:.0} records/s",
        records as f64 / records_time
    );
    println!(
        "  export persons:   {persons} persons in {persons_time:.2} s, {:.0} persons/s",
        persons as f64 / persons_time
    );
    match dumped {
        Ok(status) if status.success() => println!(
            "  baseline sqlite3 -csv of the table: {dump_time:.2} s, {:.0} records/s (export records / baseline time: {:.2})",
            count as f64 / dump_time,
            records_time / dump_time
        ),
        _ => println!("  baseline sqlite3: not run (no sqlite3 command)"),
    }
    println!(
        "  peak memory of this process: {before:.0} MB before the exports, {peak:.0} MB after"
    );

    // The server: a whole harvest, and the API read person by person.
    let (mut child, url) = common::start_server(BIN, &data);
    let pid = child.id().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let resident_before = common::memory_kib(&pid, "VmRSS:") as f64 / 1024.0;
    let started = Instant::now();
    let mut harvested = 0;
    let mut ids = Vec::new();
    let mut query = "verb=ListRecords&metadataPrefix=oai_dc".to_owned();
    let mut largest_page = 0;
    loop {
        let page = agent
            .get(format!("{url}/oai?{query}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap();
        largest_page = largest_page.max(page.len());
        harvested += page.matches("<record>").count();
        if ids.len() < 20_000 {
            for part in page.split("<identifier>oai:yodnoma.local:person/").skip(1) {
                ids.push(part[..part.find('<').unwrap()].to_owned());
            }
        }
        let Some(start) = page.find("<resumptionToken") else {
            break;
        };
        let rest = &page[start..];
        let open = rest.find('>').unwrap();
        if rest[..open].ends_with('/') {
            break;
        }
        let token = &rest[open + 1..rest.find("</resumptionToken>").unwrap()];
        let token = token.replace("&amp;", "&");
        let encoded: String = form_urlencoded::byte_serialize(token.as_bytes()).collect();
        query = format!("verb=ListRecords&resumptionToken={encoded}");
    }
    let harvest_time = started.elapsed().as_secs_f64();
    let peak_server = common::memory_kib(&pid, "VmHWM:") as f64 / 1024.0;

    let sample = ids.len().min(5_000);
    let started = Instant::now();
    for id in &ids[..sample] {
        let _ = agent
            .get(format!("{url}/api/v1/persons/{id}"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string();
    }
    let api_time = started.elapsed().as_secs_f64();
    println!("OAI-PMH harvest (ListRecords, oai_dc, 100 a page, one client):");
    println!(
        "  yodnoma /oai:     {harvested} records in {harvest_time:.1} s, {:.0} records/s; largest page {} KB",
        harvested as f64 / harvest_time,
        largest_page / 1024
    );
    println!(
        "  baseline GET /api/v1/persons/{{id}} one by one ({sample} persons): {:.0} persons/s (harvest / baseline rate: {:.1})",
        sample as f64 / api_time,
        (harvested as f64 / harvest_time) / (sample as f64 / api_time)
    );
    println!(
        "  server memory: resident {resident_before:.0} MB before the harvest, peak {peak_server:.0} MB"
    );
    let _ = child.kill();
    let _ = child.wait();
}
