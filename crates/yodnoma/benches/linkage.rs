//! Record linkage: precision, recall and F1 at yodnoma's own threshold, and wall time, on
//! FEBRL4 (link 5,000 to 5,000) and FEBRL3 (deduplicate 5,000), beside Splink run in the same
//! process tree on the same fields; then the cross-script names lists (as the issue specifies,
//! and with some birth years left out) beside a simple rule; then pairwise and cluster F1 on
//! `yodnoma gen` data with its `true_person` column at 100k and 1M records, with time and memory.
//!
//! `scripts/linkage-baseline-setup && cargo bench -p yodnoma --bench linkage`
//! - `YODNOMA_PYENV`: the Python environment the setup script made (default
//!   `~/.cache/yodnoma/linkage-venv`); without it the FEBRL part is skipped;
//! - `YODNOMA_BENCH_LINK_SIZES`: generated sizes (default `100000,1000000`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::collections::{HashMap, HashSet};
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use yodnoma::link_csv::{Options, run};
use yodnoma_linkage::Decision;

const FEBRL_FIELDS: &str =
    "given_name,surname,street_number,address_1,address_2,suburb,postcode,state,date_of_birth";

struct Scores {
    precision: f64,
    recall: f64,
    f1: f64,
}

fn scores(found: &HashSet<(String, String)>, truth: &HashSet<(String, String)>) -> Scores {
    let hits = found.iter().filter(|p| truth.contains(*p)).count() as f64;
    let precision = hits / (found.len().max(1) as f64);
    let recall = hits / (truth.len().max(1) as f64);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Scores {
        precision,
        recall,
        f1,
    }
}

fn ordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

/// The matched pairs as ids, each pair in id order when `unordered` (one list deduplicated).
fn matched(
    linkage: &yodnoma_linkage::Linkage,
    dataset: &yodnoma_linkage::Dataset,
    unordered: bool,
) -> HashSet<(String, String)> {
    linkage
        .pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .map(|p| {
            let (a, b) = (
                &dataset.ids[p.left as usize],
                &dataset.ids[p.right as usize],
            );
            if unordered {
                ordered(a, b)
            } else {
                (a.clone(), b.clone())
            }
        })
        .collect()
}

/// Our run on one FEBRL set: scores against the truth file and seconds.
fn ours(left: PathBuf, right: Option<PathBuf>, truth: &Path) -> (Scores, f64, usize) {
    let options = Options {
        left,
        right: right.clone(),
        id: "rec_id".into(),
        fields: Some(FEBRL_FIELDS.split(',').map(str::to_owned).collect()),
    };
    let started = Instant::now();
    let (_, linkage, dataset) = run(&options, std::io::sink()).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let found = matched(&linkage, &dataset, right.is_none());
    let mut reader = csv::Reader::from_path(truth).unwrap();
    let truth: HashSet<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            if right.is_some() {
                (r[0].to_owned(), r[1].to_owned())
            } else {
                ordered(&r[0], &r[1])
            }
        })
        .collect();
    (scores(&found, &truth), seconds, found.len())
}

fn febrl(python: &Path, dir: &Path) {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/linkage_baseline.py"
    );
    if !dir.join("febrl3.csv").exists() {
        let status = Command::new(python)
            .args([script, "export"])
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success(), "exporting FEBRL failed");
    }
    let febrl4 = ours(
        dir.join("febrl4_a.csv"),
        Some(dir.join("febrl4_b.csv")),
        &dir.join("febrl4_truth.csv"),
    );
    let febrl3 = ours(dir.join("febrl3.csv"), None, &dir.join("febrl3_truth.csv"));
    let output = Command::new(python)
        .args([script, "splink"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "Splink failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let splink: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("splink_results.json")).unwrap()).unwrap();
    println!(
        "== FEBRL, soc_sec_id unused by both; yodnoma at its threshold {}, Splink {} at 0.5 ==",
        yodnoma_linkage::THRESHOLD,
        splink["versions"]["splink"].as_str().unwrap_or("?")
    );
    for (name, (ours, seconds, pairs)) in [("febrl4", febrl4), ("febrl3", febrl3)] {
        let theirs = &splink[name];
        let their_seconds = theirs["time_s"].as_f64().unwrap_or(f64::NAN);
        println!(
            "{name}: yodnoma  precision {:.4} recall {:.4} F1 {:.4} in {:.3} s ({pairs} pairs)",
            ours.precision, ours.recall, ours.f1, seconds
        );
        println!(
            "{name}: Splink   precision {:.4} recall {:.4} F1 {:.4} in {:.3} s ({} pairs)",
            theirs["precision"].as_f64().unwrap_or(f64::NAN),
            theirs["recall"].as_f64().unwrap_or(f64::NAN),
            theirs["f1"].as_f64().unwrap_or(f64::NAN),
            their_seconds,
            theirs["pairs"]
        );
        println!(
            "{name}: F1 difference {:+.4}, time ratio yodnoma/Splink {:.3}",
            ours.f1 - theirs["f1"].as_f64().unwrap_or(f64::NAN),
            seconds / their_seconds
        );
    }
}

/// Pairwise and cluster F1 on generated records.
fn generated(dir: &Path, count: u64) {
    let csv_path = dir.join(format!("gen-{count}.csv"));
    if !csv_path.exists() {
        let file = std::fs::File::create(&csv_path).unwrap();
        yodnoma_gen::write_records(
            &yodnoma_gen::GenConfig { count, seed: 1945 },
            BufWriter::new(file),
        )
        .unwrap();
    }
    let options = Options {
        left: csv_path.clone(),
        right: None,
        id: "record_id".into(),
        // The fields `yodnoma link` compares in the store, of the same kinds.
        fields: Some(
            yodnoma::link::fields()
                .iter()
                .map(|f| format!("{}:{}", f.name, f.kind.as_str()))
                .collect(),
        ),
    };
    let started = Instant::now();
    let (summary, linkage, dataset) = run(&options, std::io::sink()).unwrap();
    let seconds = started.elapsed().as_secs_f64();

    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let id_at = headers.iter().position(|h| h == "record_id").unwrap();
    let person_at = headers.iter().position(|h| h == "true_person").unwrap();
    let person_of: HashMap<String, String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[id_at].to_owned(), r[person_at].to_owned())
        })
        .collect();
    let truth_of = |i: usize| person_of.get(&dataset.ids[i]).cloned().unwrap_or_default();

    // Pairwise: every pair within a found group against every pair within a true person.
    let mut true_groups: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..dataset.len() {
        true_groups.entry(truth_of(i)).or_default().push(i);
    }
    let true_pairs: u64 = true_groups
        .values()
        .map(|g| (g.len() as u64) * (g.len() as u64).saturating_sub(1) / 2)
        .sum();
    let found_groups = linkage.clusters.groups();
    let (mut found_pairs, mut right_pairs) = (0u64, 0u64);
    for group in &found_groups {
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                found_pairs += 1;
                if truth_of(a as usize) == truth_of(b as usize) {
                    right_pairs += 1;
                }
            }
        }
    }
    let precision = right_pairs as f64 / found_pairs.max(1) as f64;
    let recall = right_pairs as f64 / true_pairs.max(1) as f64;
    let pair_f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);

    // Cluster: a person is right when its records are exactly one found group (or one record
    // alone on both sides).
    let mut found_of: Vec<u32> = linkage.clusters.group.clone();
    for (g, group) in found_groups.iter().enumerate() {
        for r in group {
            found_of[*r as usize] = u32::MAX - g as u32;
        }
    }
    let mut found_sets: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, g) in found_of.iter().enumerate() {
        found_sets.entry(*g).or_default().push(i);
    }
    let found_set: HashSet<Vec<usize>> = found_sets.into_values().collect();
    let exact = true_groups
        .values()
        .filter(|g| found_set.contains(*g))
        .count() as f64;
    let cluster_precision = exact / found_set.len().max(1) as f64;
    let cluster_recall = exact / true_groups.len().max(1) as f64;
    let cluster_f1 = 2.0 * cluster_precision * cluster_recall
        / (cluster_precision + cluster_recall).max(f64::MIN_POSITIVE);
    println!(
        "gen {count}: pairwise precision {precision:.4} recall {recall:.4} F1 {pair_f1:.4}; \
         cluster F1 {cluster_f1:.4} ({} true persons, {} found); {} pairs compared; \
         {seconds:.1} s = {:.0} records/s; peak RSS {:.0} MB",
        true_groups.len(),
        found_set.len(),
        summary.compared,
        count as f64 / seconds,
        common::peak_rss_mb()
    );
    for rule in &linkage.rules {
        println!(
            "  blocking on {}: {} pairs, {} skipped, finds {:.1} % of the matches",
            rule.rule,
            rule.pairs,
            rule.skipped,
            rule.recall * 100.0
        );
    }
}

/// The names dev set as one list of spellings in several scripts (`file` in the linkage
/// crate's test data): ours at its own threshold, beside a simple rule (ASCII folding, token-set
/// similarity, birth year within one) at the threshold that suits it best, chosen with the
/// labels.
fn cross_script(file: &str) {
    let path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../yodnoma_linkage/testdata/"
    ))
    .join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let rows: Vec<(String, String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[3].to_owned(),
            )
        })
        .collect();
    let mut truth = HashSet::new();
    for (x, a) in rows.iter().enumerate() {
        for b in &rows[x + 1..] {
            if a.3 == b.3 {
                truth.insert(ordered(&a.0, &b.0));
            }
        }
    }
    let options = Options {
        left: path.clone(),
        right: None,
        id: "id".into(),
        fields: Some(vec!["name".into(), "birth_year".into()]),
    };
    let started = Instant::now();
    let (_, linkage, dataset) = run(&options, std::io::sink()).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let found = matched(&linkage, &dataset, true);
    let ours = scores(&found, &truth);

    // The simple rule: every pair, folded to ASCII, Jaccard similarity of the word sets.
    let fold = |name: &str| -> HashSet<String> {
        let latin =
            yodnoma_names::romanize::romanize(name, yodnoma_names::romanize::Standard::Icao9303);
        yodnoma_names::fold(&latin)
            .split(' ')
            .map(|w| {
                w.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let folded: Vec<HashSet<String>> = rows.iter().map(|r| fold(&r.1)).collect();
    let mut similar: Vec<(f64, (String, String))> = Vec::new();
    for x in 0..rows.len() {
        for y in x + 1..rows.len() {
            let years: (Option<i32>, Option<i32>) =
                (rows[x].2.parse().ok(), rows[y].2.parse().ok());
            if let (Some(a), Some(b)) = years
                && (a - b).abs() > 1
            {
                continue;
            }
            let common = folded[x].intersection(&folded[y]).count() as f64;
            let all = folded[x].union(&folded[y]).count().max(1) as f64;
            similar.push((common / all, ordered(&rows[x].0, &rows[y].0)));
        }
    }
    let mut best = (0.0, 0.0);
    for step in 1..20 {
        let threshold = f64::from(step) * 0.05;
        let found: HashSet<(String, String)> = similar
            .iter()
            .filter(|(s, _)| *s >= threshold)
            .map(|(_, p)| p.clone())
            .collect();
        let f1 = scores(&found, &truth).f1;
        if f1 > best.0 {
            best = (f1, threshold);
        }
    }
    println!(
        "== cross-script names, {file} ({} records, {} true pairs) ==",
        rows.len(),
        truth.len()
    );
    println!(
        "yodnoma: precision {:.4} recall {:.4} F1 {:.4} at its threshold, in {seconds:.3} s",
        ours.precision, ours.recall, ours.f1
    );
    println!(
        "simple rule (ASCII folding, token sets, year ±1): best F1 {:.4} at threshold {:.2}",
        best.0, best.1
    );
}

fn main() {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../target/bench-linkage"
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let venv = std::env::var_os("YODNOMA_PYENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/yodnoma/linkage-venv")
        });
    let python = venv.join("bin/python");
    if python.exists() {
        febrl(&python, &dir);
    } else {
        println!(
            "FEBRL skipped: no Python environment at {} (run scripts/linkage-baseline-setup)",
            venv.display()
        );
    }
    cross_script("crossscript.csv");
    cross_script("crossscript-blanked.csv");
    let sizes =
        std::env::var("YODNOMA_BENCH_LINK_SIZES").unwrap_or_else(|_| "100000,1000000".into());
    for size in sizes
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
    {
        generated(&dir, size);
    }
}
