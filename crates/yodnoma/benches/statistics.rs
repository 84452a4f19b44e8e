//! Statistics at scale: every count the statistics page and API make, timed in process and over
//! HTTP, beside the baseline of counting the same groups with SQL `GROUP BY` over the records
//! table, in the same run on the same data.
//!
//! `cargo bench -p yodnoma --bench statistics`
//! - `YODNOMA_BENCH_RECORDS`: generated records (default 1,000,000);
//! - `YODNOMA_BENCH_DIR`: where generated data directories are kept (default
//!   `target/bench-search`, shared with the search benchmark); the index is rebuilt only when
//!   it does not hold the store's persons.
//! - the baseline needs the `sqlite3` command (`scripts/test` installs it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use yodnoma_search::{SearchIndex, StatsField, StatsFilters};

/// Runs of each call: enough for a p99 over the calls of one kind.
const RUNS: usize = 5;

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i].as_secs_f64() * 1000.0
}

fn report(name: &str, times: &mut [Duration]) {
    println!(
        "{name:<44} {:>5} calls  p50 {:>7.1} ms  p99 {:>7.1} ms",
        times.len(),
        percentile(times, 0.5),
        percentile(times, 0.99)
    );
}

/// The filters the page and the API are asked with: none, and one of each kind.
fn filter_sets() -> Vec<(&'static str, StatsFilters)> {
    vec![
        ("none", StatsFilters::default()),
        (
            "fate=killed",
            StatsFilters {
                fate: Some("killed".into()),
                ..StatsFilters::default()
            },
        ),
        (
            "republic=kazakhstan",
            StatsFilters {
                republic: Some("kazakhstan".into()),
                ..StatsFilters::default()
            },
        ),
        (
            "award=hero",
            StatsFilters {
                award: Some("hero".into()),
                ..StatsFilters::default()
            },
        ),
        (
            "born 1910-1919",
            StatsFilters {
                birth_from: Some(1910),
                birth_to: Some(1919),
                ..StatsFilters::default()
            },
        ),
    ]
}

/// Every call of the statistics page and API under `filters`, by the name it is reported under.
fn calls(index: &SearchIndex, filters: &StatsFilters, mut timed: impl FnMut(String, Duration)) {
    let mut time = |name: String, call: &dyn Fn()| {
        let started = Instant::now();
        call();
        timed(name, started.elapsed());
    };
    for by in StatsField::ALL {
        time(format!("by {}", by.name()), &|| {
            index.stats(by, filters).unwrap();
        });
    }
    for (rows, columns) in [
        (StatsField::Fate, StatsField::Republic),
        (StatsField::Award, StatsField::Nationality),
    ] {
        time(format!("{} x {}", rows.name(), columns.name()), &|| {
            index.crosstab(rows, columns, filters).unwrap();
        });
    }
    time("timeline".to_owned(), &|| {
        index.timeline(filters).unwrap();
    });
    // The statistics page's counts, all in one walk.
    time("page: every count in one walk".to_owned(), &|| {
        index
            .overview(
                &StatsField::ALL,
                &[
                    (StatsField::Fate, StatsField::Republic),
                    (StatsField::Award, StatsField::Nationality),
                ],
                filters,
            )
            .unwrap();
    });
}

/// Each call timed cold (the first after the index changed: nothing cached) and warm.
fn in_process(index: &SearchIndex) {
    let mut cold_by_filter: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut cold_by_call: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
    let mut warm = Vec::new();
    for _ in 0..RUNS {
        for (name, filters) in filter_sets() {
            index.forget_counts();
            calls(index, &filters, |call, took| {
                cold_by_filter.entry(name).or_default().push(took);
                cold_by_call.entry(call).or_default().push(took);
            });
            calls(index, &filters, |_, took| warm.push(took));
        }
    }
    for (name, times) in &mut cold_by_filter {
        report(&format!("cold, filter {name}"), times);
    }
    for (name, times) in &mut cold_by_call {
        report(&format!("cold, {name}"), times);
    }
    let mut all: Vec<Duration> = cold_by_filter.into_values().flatten().collect();
    report("cold, all calls", &mut all);
    report("warm (answered again), all calls", &mut warm);
}

/// The baseline: the same counts by fate, region and nationality with SQL over the records.
fn baseline(db: &std::path::Path) {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        for column in ["fate", "region", "nationality"] {
            let started = Instant::now();
            let out = std::process::Command::new("sqlite3")
                .arg(db)
                .arg(format!(
                    "SELECT {column}, COUNT(*) FROM source_records GROUP BY {column}"
                ))
                .output()
                .expect("sqlite3 runs (scripts/test installs it)");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            times.push(started.elapsed());
        }
    }
    report("baseline: sqlite3 GROUP BY over records", &mut times);
}

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");

/// Filters a visitor chooses: the common ones (none, one republic, fate or part in the war),
/// which the server counts ahead after every change of the index, and others.
fn filter_queries() -> (Vec<String>, Vec<String>) {
    let mut common = vec![String::new()];
    common.extend(
        [
            "kazakhstan",
            "uzbekistan",
            "kyrgyzstan",
            "tajikistan",
            "turkmenistan",
        ]
        .map(|r| format!("republic={r}")),
    );
    common.extend(
        [
            "survived",
            "killed",
            "missing",
            "died_of_wounds",
            "died_later",
        ]
        .map(|f| format!("fate={f}")),
    );
    common.extend(["evacuee", "home_front", "served"].map(|c| format!("category={c}")));
    // Filters nobody counts ahead: each decade of birth, each republic with each fate, each
    // year of death of the war.
    let mut other: Vec<String> = (1880..1930)
        .step_by(10)
        .map(|d| format!("born_from={d}&born_to={}", d + 9))
        .collect();
    let republics: Vec<&String> = common
        .iter()
        .filter(|f| f.starts_with("republic="))
        .collect();
    let fates: Vec<&String> = common.iter().filter(|f| f.starts_with("fate=")).collect();
    for republic in &republics {
        other.extend(fates.iter().map(|fate| format!("{republic}&{fate}")));
    }
    other.extend((1941..=1945).map(|y| format!("died_from={y}&died_to={y}")));
    (common, other)
}

fn api_paths(filters: &[String]) -> Vec<String> {
    let mut paths = Vec::new();
    for f in filters {
        for by in ["republic", "region", "fate", "nationality", "death_year"] {
            paths.push(format!("/api/v1/stats?by={by}&{f}"));
        }
        paths.push(format!("/api/v1/stats?by=fate&cross=republic&{f}"));
        paths.push(format!("/api/v1/stats/timeline?{f}"));
    }
    paths.push("/api/v1/stats/figures".to_owned());
    paths
}

fn over_http(data: &std::path::Path) {
    let (mut child, url) = common::start_server(BIN, data);
    let pid = child.id().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let get = |path: &str| {
        let started = Instant::now();
        let mut response = agent.get(format!("{url}{path}")).call().unwrap();
        response.body_mut().read_to_vec().unwrap();
        started.elapsed()
    };
    let (common, other) = filter_queries();
    let pages = |filters: &[String]| -> Vec<String> {
        filters.iter().map(|f| format!("/statistics?{f}")).collect()
    };
    // The first request may come before the counting ahead is done: it is timed alone.
    let mut first = vec![get("/statistics")];
    report("HTTP first page after start", &mut first);
    std::thread::sleep(Duration::from_secs(30));
    let times = |paths: &[String]| -> Vec<Duration> { paths.iter().map(|p| get(p)).collect() };
    let mut common_pages = times(&pages(&common));
    let other_paths = pages(&other);
    let mut other_pages = times(&other_paths);
    if let Some((slowest, path)) = other_pages.iter().zip(&other_paths).max() {
        println!(
            "slowest page first asked: {path} {:.1} ms",
            slowest.as_secs_f64() * 1000.0
        );
    }
    let mut api = times(&api_paths(
        &common.iter().chain(&other).cloned().collect::<Vec<_>>(),
    ));
    let mut places = times(&[
        "/events".to_owned(),
        "/memorials".to_owned(),
        "/api/v1/events".to_owned(),
    ]);
    report(
        "HTTP pages, common filters (counted ahead)",
        &mut common_pages,
    );
    report("HTTP pages, other filters, first asked", &mut other_pages);
    report("HTTP API calls, first asked", &mut api);
    report("HTTP events and places of memory", &mut places);
    let mut again = Vec::new();
    for _ in 0..RUNS {
        again.extend(times(&pages(&other)));
        again.extend(times(&api_paths(&other)));
    }
    report("HTTP pages and API calls asked again", &mut again);
    println!(
        "server memory: {:.0} MB resident, {:.0} MB peak",
        common::memory_kib(&pid, "VmRSS:") as f64 / 1024.0,
        common::memory_kib(&pid, "VmHWM:") as f64 / 1024.0
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

fn main() {
    let (count, root) = (common::records_asked(), common::generated_root());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let data = runtime.block_on(common::prepare(&root, count));
    println!("== statistics at {count} generated records ==");
    {
        let index = data.open_index().unwrap();
        runtime.block_on(async {
            let store = data.open_store().await.unwrap();
            let persons = store.person_count().await.unwrap();
            if !index.is_current(u64::try_from(persons).unwrap()) {
                let indexed = yodnoma::indexing::rebuild(&store, &index).await.unwrap();
                println!(
                    "index build: {} persons in {:.1} s",
                    indexed.persons, indexed.seconds
                );
            }
            store.close().await;
        });
    }
    let index = SearchIndex::open(&data.index_dir()).unwrap();
    println!("persons in the index: {}", index.person_count());
    in_process(&index);
    drop(index);
    over_http(data.root());
    baseline(&data.database());
}
