//! Name search: quality on the hand-made dev set among generated distractors, latency, index
//! build rate and size, and the server's memory, with two baselines computed in the same run on
//! the same index: exact words, and surname within two edits (the large registries' way).
//!
//! `cargo bench -p yodnoma --bench search`
//! - `YODNOMA_BENCH_RECORDS`: generated distractors (default 1,000,000);
//! - `YODNOMA_BENCH_DIR`: where the generated data directory is kept between runs (default
//!   `target/bench-search`); a data directory of the same size is reused, the index is
//!   rebuilt every run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use std::time::{Duration, Instant};

use yodnoma::data_dir::DataDir;
use yodnoma_core::SourceName;
use yodnoma_search::{SearchIndex, SearchRequest};

/// Results asked of each method per dev query: all its candidates.
const DEPTH: usize = 300;

const DEVSET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../yodnoma_search/testdata");

struct DevQuery {
    record_id: String,
    query: String,
    kind: String,
}

fn dev_queries() -> Vec<DevQuery> {
    let mut reader = csv::Reader::from_path(format!("{DEVSET}/devset-queries.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            DevQuery {
                record_id: r[0].to_owned(),
                query: r[1].to_owned(),
                kind: r[2].to_owned(),
            }
        })
        .collect()
}

/// Quality figures of one method over the dev set, twice: with the method's own order, and
/// tie-aware (McSherry and Najork, ECIR 2008): the expectation when persons of equal score
/// come in random order. The generated distractors hold namesakes of many dev-set people; the
/// tie-aware figures say how much of a method's result is its tie-break.
#[derive(Default)]
struct Quality {
    queries: usize,
    at1: f64,
    at10: f64,
    reciprocal: f64,
    tied_at1: f64,
    tied_at10: f64,
    tied_reciprocal: f64,
}

/// Where the dev person came: its rank, and how many came before with a higher score and how
/// many share its score (itself included).
struct Placing {
    rank: usize,
    above: usize,
    equal: usize,
}

impl Quality {
    fn add(&mut self, placing: Option<Placing>) {
        self.queries += 1;
        let Some(p) = placing else { return };
        if p.rank <= 10 {
            self.at1 += f64::from(u8::from(p.rank == 1));
            self.at10 += 1.0;
            self.reciprocal += 1.0 / p.rank as f64;
        }
        let (above, equal) = (p.above as f64, p.equal as f64);
        self.tied_at1 += if p.above == 0 { 1.0 / equal } else { 0.0 };
        self.tied_at10 += ((10.0 - above) / equal).clamp(0.0, 1.0);
        self.tied_reciprocal += (1..=p.equal)
            .filter(|k| p.above + k <= 10)
            .map(|k| 1.0 / (p.above + k) as f64)
            .sum::<f64>()
            / equal;
    }

    fn line(&self) -> String {
        let n = self.queries.max(1) as f64;
        format!(
            "recall@1 {:.3}  recall@10 {:.3}  MRR {:.3}   tie-aware: recall@1 {:.3}  recall@10 {:.3}  MRR {:.3}",
            self.at1 / n,
            self.at10 / n,
            self.reciprocal / n,
            self.tied_at1 / n,
            self.tied_at10 / n,
            self.tied_reciprocal / n
        )
    }
}

/// Where the first person holding the dev record came among `found` (score, records).
fn placing(found: &[(f64, Vec<(String, String)>)], record_id: &str) -> Option<Placing> {
    let at = found.iter().position(|(_, records)| {
        records
            .iter()
            .any(|(source, id)| source == "devset" && id == record_id)
    })?;
    let score = found[at].0;
    Some(Placing {
        rank: at + 1,
        above: found.iter().filter(|(s, _)| *s > score).count(),
        equal: found.iter().filter(|(s, _)| *s == score).count(),
    })
}

fn with_f64(found: yodnoma_search::baseline::Found) -> Vec<(f64, Vec<(String, String)>)> {
    found.into_iter().map(|(s, r)| (f64::from(s), r)).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn latency_line(mut times: Vec<Duration>) -> String {
    times.sort();
    format!(
        "p50 {:.2} ms  p90 {:.2} ms  p99 {:.2} ms  max {:.2} ms  ({} queries)",
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99),
        percentile(&times, 1.0),
        times.len()
    )
}

fn memory_kib(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The dev set, imported again on every run (an import of the same rows changes nothing).
async fn import_devset(data: &DataDir) {
    let store = data.open_store().await.unwrap();
    let summary = yodnoma::import::import_file(
        &store,
        Path::new(&format!("{DEVSET}/devset-people.csv")),
        &SourceName::parse("devset").unwrap(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(summary.rejected, 0, "the dev set imports cleanly");
    store.close().await;
}

fn main() {
    let (count, root) = (common::records_asked(), common::generated_root());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let data = runtime.block_on(common::prepare(&root, count));
    runtime.block_on(import_devset(&data));

    // Index build, from the store, as `yodnoma reindex` does it; `YODNOMA_BENCH_REINDEX=0`
    // keeps an index built by an earlier run of the same code.
    let index = data.open_index().unwrap();
    println!("== name search at {count} generated records + the dev set ==");
    if std::env::var("YODNOMA_BENCH_REINDEX").as_deref() != Ok("0") {
        let indexed = runtime.block_on(async {
            let store = data.open_store().await.unwrap();
            let indexed = yodnoma::indexing::rebuild(&store, &index).await.unwrap();
            store.close().await;
            indexed
        });
        println!(
            "index build:   {} persons in {:.1} s = {:.0} persons/s",
            indexed.persons,
            indexed.seconds,
            indexed.per_second(),
        );
    }
    let index_bytes = common::dir_bytes(&data.index_dir());
    let persons = index.person_count();
    println!(
        "index size:    {:.1} MB on disk for {persons} persons = {:.0} bytes per person",
        index_bytes as f64 / 1e6,
        index_bytes as f64 / persons.max(1) as f64
    );
    let index = SearchIndex::open(&data.index_dir()).unwrap();

    // Quality: ours and the two baselines, query by query.
    let queries = dev_queries();
    let (mut ours, mut exact, mut fuzzy) =
        (Quality::default(), Quality::default(), Quality::default());
    let mut by_kind: BTreeMap<String, Quality> = BTreeMap::new();
    let mut misses = Vec::new();
    let (mut our_times, mut exact_times, mut fuzzy_times) = (Vec::new(), Vec::new(), Vec::new());
    for q in &queries {
        // Every candidate is asked for, so that the persons tied with the dev person count.
        let request = SearchRequest {
            text: q.query.clone(),
            limit: DEPTH,
            ..SearchRequest::default()
        };
        let started = Instant::now();
        let results = index.search(&request).unwrap();
        our_times.push(started.elapsed());
        let found: Vec<(f64, Vec<(String, String)>)> = results
            .hits
            .iter()
            .map(|h| (h.score, h.records.clone()))
            .collect();
        let place = placing(&found, &q.record_id);
        let rank = place.as_ref().map(|p| p.rank);
        if rank != Some(1) {
            misses.push(format!(
                "{} {:?} ({}): rank {:?}, {} above, {} equal; first {:?}",
                q.record_id,
                q.query,
                q.kind,
                rank,
                place.as_ref().map_or(0, |p| p.above),
                place.as_ref().map_or(0, |p| p.equal),
                results.hits.first().map(|h| h.name.clone())
            ));
        }
        by_kind
            .entry(q.kind.clone())
            .or_default()
            .add(placing(&found, &q.record_id));
        ours.add(place);
        let started = Instant::now();
        let found = index.baseline_exact_words(&q.query, DEPTH).unwrap();
        exact_times.push(started.elapsed());
        exact.add(placing(&with_f64(found), &q.record_id));
        let started = Instant::now();
        let found = index.baseline_surname_fuzzy(&q.query, DEPTH).unwrap();
        fuzzy_times.push(started.elapsed());
        fuzzy.add(placing(&with_f64(found), &q.record_id));
    }
    println!(
        "quality on {} dev queries of {} people:",
        queries.len(),
        162
    );
    println!("  yodnoma:                  {}", ours.line());
    println!("  baseline exact words:     {}", exact.line());
    println!("  baseline surname ≤2 edits: {}", fuzzy.line());
    println!("  yodnoma by kind of variant:");
    for (kind, quality) in &by_kind {
        println!(
            "    {kind:<18} {:>4} queries  {}",
            quality.queries,
            quality.line()
        );
    }
    std::fs::write(root.join(format!("misses-{count}.txt")), misses.join("\n")).unwrap();
    println!(
        "  {} queries not ranked first: {}",
        misses.len(),
        root.join(format!("misses-{count}.txt")).display()
    );

    // Latency, in process: the dev queries and names as the registry writes them.
    let mut sample: Vec<String> = yodnoma_gen::records(&yodnoma_gen::GenConfig {
        count: 2_000,
        seed: 7,
    })
    .map(|r| {
        format!(
            "{} {}",
            r.get("surname").unwrap_or(""),
            r.get("given_name").unwrap_or("")
        )
    })
    .collect();
    sample.extend(queries.iter().map(|q| q.query.clone()));
    let mut times = Vec::with_capacity(sample.len());
    let mut facet_times = Vec::with_capacity(sample.len());
    let mut slowest = Vec::with_capacity(sample.len());
    for text in &sample {
        for (facets, into) in [(false, &mut times), (true, &mut facet_times)] {
            let request = SearchRequest {
                text: text.clone(),
                limit: 20,
                facets,
                ..SearchRequest::default()
            };
            let started = Instant::now();
            let results = index.search(&request).unwrap();
            let took = started.elapsed();
            into.push(took);
            if !facets {
                slowest.push((took, text, results.stage, results.total));
            }
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("latency in process (dev set queries, {DEPTH} results each):");
    println!("  yodnoma:                  {}", latency_line(our_times));
    println!("  baseline exact words:     {}", latency_line(exact_times));
    println!("  baseline surname ≤2 edits: {}", latency_line(fuzzy_times));
    println!("latency in process (2,000 generated names + the dev queries, 20 results):");
    println!("  yodnoma:                  {}", latency_line(times));
    println!("  yodnoma with facets:      {}", latency_line(facet_times));
    println!("  the slowest (without facets):");
    for (took, text, stage, total) in slowest.iter().take(12) {
        println!(
            "    {:>7.2} ms  {stage:?} stage, {total} found: {text:?}",
            took.as_secs_f64() * 1000.0
        );
    }

    // The server: its memory while it answers the same queries over HTTP.
    let (mut child, url) = common::start_server(
        env!("CARGO_BIN_EXE_yodnoma"),
        data.index_dir().parent().unwrap(),
    );
    let pid = child.id().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut http_times = Vec::with_capacity(sample.len());
    for text in &sample {
        let encoded: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
        let started = Instant::now();
        let mut response = agent
            .get(format!("{url}/api/v1/search?q={encoded}"))
            .call()
            .unwrap();
        let _ = response.body_mut().read_to_string();
        http_times.push(started.elapsed());
    }
    println!(
        "server over HTTP (/api/v1/search, same queries): {}",
        latency_line(http_times)
    );
    println!(
        "server memory: resident {:.0} MB now, peak {:.0} MB",
        memory_kib(&pid, "VmRSS:").unwrap_or(0) as f64 / 1024.0,
        memory_kib(&pid, "VmHWM:").unwrap_or(0) as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
}
