//! Record linkage: which records of one list, or of two, describe the same person. Pure and
//! generic over the fields compared: a list is columns of text, each of a [`FieldKind`].
//!
//! The pipeline: values are made ready once ([`field`]); blocking rules choose the pairs to
//! compare ([`block`]); each pair gets a level of agreement per field ([`compare`]); a
//! Fellegi–Sunter model learned without labels turns the levels into weights and a probability
//! ([`model`]); pairs at or above the threshold are clustered into persons without chaining
//! ([`cluster`]). Every decision carries the weight each field added.

pub mod block;
pub mod cluster;
pub mod compare;
pub mod field;
pub mod model;

pub use block::{KeyPart, Rule};
pub use field::{Field, FieldKind, Value};
pub use model::Model;

use std::collections::HashSet;

use compare::{MISSING, clamp_level, compare, levels};
use model::{Frequencies, probability};

/// A pair at or above this probability is a match: the point where a match is more likely
/// than not, chosen without labels.
pub const THRESHOLD: f64 = 0.5;

/// Pairs from this probability up to the threshold are shown to a curator for review.
pub const REVIEW_FROM: f64 = 0.1;

/// Name levels from which the first two names are also compared crosswise: a pair no closer
/// than an initial or a partial likeness.
const SWAP_FROM: u8 = 4;

/// Pairs of each blocking rule that EM learns from, at most.
const TRAINING_PAIRS: usize = 300_000;

/// Random pairs counted to estimate u.
const U_SAMPLES: usize = 100_000;

/// The records to link, made ready.
#[derive(Debug)]
pub struct Dataset {
    pub fields: Vec<Field>,
    pub ids: Vec<String>,
    pub values: Vec<Vec<Value>>,
    /// When two lists are linked: how many records come from the first. Pairs are then only
    /// compared across the lists.
    pub left_len: Option<usize>,
    /// Pairs of fields a clerk may have written in each other's place, compared crosswise
    /// when that agrees better: the first two names (surname and given name, as a list orders
    /// them), and places side by side (two lines of an address).
    swappable: Vec<(usize, usize)>,
}

impl Dataset {
    /// One list to deduplicate: `(id, values in the order of fields)` per record.
    pub fn dedupe(fields: Vec<Field>, records: Vec<(String, Vec<String>)>) -> Self {
        Self::build(fields, records, None)
    }

    /// Two lists to link to each other.
    pub fn link(
        fields: Vec<Field>,
        left: Vec<(String, Vec<String>)>,
        right: Vec<(String, Vec<String>)>,
    ) -> Self {
        let left_len = left.len();
        let mut records = left;
        records.extend(right);
        Self::build(fields, records, Some(left_len))
    }

    fn build(
        fields: Vec<Field>,
        records: Vec<(String, Vec<String>)>,
        left_len: Option<usize>,
    ) -> Self {
        let mut ids = Vec::with_capacity(records.len());
        let mut values = Vec::with_capacity(records.len());
        for (id, texts) in records {
            ids.push(id);
            values.push(
                fields
                    .iter()
                    .enumerate()
                    .map(|(f, field)| Value::new(field.kind, texts.get(f).map_or("", |t| t)))
                    .collect(),
            );
        }
        let mut names = fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FieldKind::Name)
            .map(|(i, _)| i);
        let mut swappable: Vec<(usize, usize)> =
            names.next().zip(names.next()).into_iter().collect();
        swappable.extend(
            (1..fields.len())
                .filter(|f| {
                    fields[*f].kind == FieldKind::Place && fields[f - 1].kind == FieldKind::Place
                })
                .map(|f| (f - 1, f)),
        );
        Self {
            fields,
            ids,
            values,
            left_len,
            swappable,
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether `i < j` may be a pair: any two records of one list, or one of each of two.
    pub fn comparable(&self, i: usize, j: usize) -> bool {
        match self.left_len {
            Some(left) => (i < left) != (j < left),
            None => i != j,
        }
    }

    /// How many pairs there are in all.
    pub fn pair_count(&self) -> u128 {
        let n = self.len() as u128;
        match self.left_len {
            Some(left) => left as u128 * (n - left as u128),
            None => n * n.saturating_sub(1) / 2,
        }
    }

    /// The level of agreement of each field for the pair `(i, j)`.
    pub fn compare(&self, i: usize, j: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.fields.len());
        self.compare_into(i, j, &mut out);
        out
    }

    fn compare_into(&self, i: usize, j: usize, out: &mut Vec<u8>) {
        let (a, b) = (&self.values[i], &self.values[j]);
        let start = out.len();
        out.extend(
            self.fields
                .iter()
                .zip(a.iter().zip(b))
                .map(|(field, (x, y))| clamp_level(field.kind, compare(x, y))),
        );
        // A clerk who wrote the given name in the surname's column, or an address's lines the
        // other way round: when two fields agree better crosswise than straight (and straight
        // hardly at all), they are compared crosswise.
        for &(s, g) in &self.swappable {
            let kind = self.fields[s].kind;
            let straight = out[start + s].max(out[start + g]);
            let hardly = match kind {
                FieldKind::Name => SWAP_FROM,
                _ => u8::try_from(levels(kind).len().saturating_sub(1)).unwrap_or(u8::MAX),
            };
            if straight != MISSING && straight >= hardly {
                let (sg, gs) = (compare(&a[s], &b[g]), compare(&a[g], &b[s]));
                if sg != MISSING && gs != MISSING && sg.max(gs) < straight {
                    out[start + s] = clamp_level(kind, sg);
                    out[start + g] = clamp_level(kind, gs);
                }
            }
        }
    }

    /// Compares every pair, on all cores.
    pub fn compare_all(&self, pairs: Vec<(u32, u32)>) -> Comparisons {
        let width = self.fields.len();
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8);
        let chunk = pairs.len().div_ceil(threads).max(1);
        let levels: Vec<u8> = std::thread::scope(|scope| {
            let parts: Vec<_> = pairs
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        let mut out = Vec::with_capacity(part.len() * width);
                        for &(i, j) in part {
                            self.compare_into(i as usize, j as usize, &mut out);
                        }
                        out
                    })
                })
                .collect();
            // A worker that panicked (a bug) is not skipped: its rows missing, every later
            // pair's levels would belong to another pair. Its panic goes on to the caller.
            parts
                .into_iter()
                .flat_map(|p| p.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        Comparisons {
            width,
            pairs,
            levels,
        }
    }
}

/// Pairs and their levels of agreement, one row of `width` levels per pair.
#[derive(Debug, Clone, Default)]
pub struct Comparisons {
    pub width: usize,
    pub pairs: Vec<(u32, u32)>,
    pub levels: Vec<u8>,
}

impl Comparisons {
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn row(&self, k: usize) -> &[u8] {
        &self.levels[k * self.width..(k + 1) * self.width]
    }

    /// Only the pairs in `keep` (sorted), which must all be among these pairs.
    fn subset(&self, keep: &[(u32, u32)]) -> Comparisons {
        let mut out = Comparisons {
            width: self.width,
            ..Comparisons::default()
        };
        for pair in keep {
            if let Ok(k) = self.pairs.binary_search(pair) {
                out.pairs.push(*pair);
                out.levels.extend_from_slice(self.row(k));
            }
        }
        out
    }
}

/// What a blocking rule did.
#[derive(Debug, Clone)]
pub struct RuleReport {
    pub rule: String,
    /// Pairs the rule found.
    pub pairs: usize,
    /// Pairs left out in blocks too large to compare.
    pub skipped: u64,
    /// Of the matches found by all rules together, the share this rule found: its recall,
    /// estimated without labels.
    pub recall: f64,
}

/// Whether a pair is taken as the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Match,
    /// Near the threshold, or matched but kept apart from a group it conflicts with: for a
    /// curator to decide.
    Review,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::Review => "review",
        }
    }
}

/// A pair worth reporting.
#[derive(Debug, Clone)]
pub struct PairResult {
    pub left: u32,
    pub right: u32,
    pub probability: f64,
    pub decision: Decision,
    /// The level of each field.
    pub levels: Vec<u8>,
    /// The weight (bits) each field added; `None` when a value was missing.
    pub weights: Vec<Option<f64>>,
}

/// The result of linking a dataset.
#[derive(Debug)]
pub struct Linkage {
    pub model: Model,
    pub rules: Vec<RuleReport>,
    /// Matched and review pairs, by record.
    pub pairs: Vec<PairResult>,
    /// The person (group) of each record.
    pub clusters: cluster::Clusters,
    /// Pairs compared.
    pub compared: usize,
}

impl Linkage {
    /// "surname: exact +9.1; given_name: sounds alike +3.0; date_of_birth: different −6.2;
    /// prior −12.3": what each field added, for a reader to check the decision.
    pub fn explain(&self, dataset: &Dataset, pair: &PairResult) -> String {
        let mut parts: Vec<String> = dataset
            .fields
            .iter()
            .zip(pair.levels.iter().zip(&pair.weights))
            .map(|(field, (level, weight))| match weight {
                Some(w) => format!(
                    "{}: {} {:+.1}",
                    field.name,
                    levels(field.kind)[usize::from(*level)],
                    w
                ),
                None => format!("{}: missing 0", field.name),
            })
            .collect();
        parts.push(format!("prior {:+.1}", self.model.prior_weight()));
        parts.join("; ")
    }
}

/// What a run knows beyond the records: what curators decided, what earlier runs did.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Pairs that are one person whatever the model says (a curator's merge; in an
    /// incremental run also the records linked before, kept together).
    pub same: Vec<(u32, u32)>,
    /// Pairs that are never one person (a curator's split or rejection).
    pub apart: Vec<(u32, u32)>,
    /// Records from this index on are new: only pairs with a new record are compared.
    pub new_from: Option<usize>,
    /// A model learned before, used instead of learning one.
    pub model: Option<Model>,
}

/// Links `dataset` with `rules` (the defaults when empty).
pub fn link(dataset: &Dataset, rules: &[Rule]) -> Linkage {
    link_with(dataset, rules, Options::default())
}

/// Links `dataset` with `rules` (the defaults when empty), honouring `options`.
pub fn link_with(dataset: &Dataset, rules: &[Rule], options: Options) -> Linkage {
    let rules = if rules.is_empty() {
        Rule::defaults(dataset)
    } else {
        rules.to_vec()
    };
    let is_new = |b: u32| options.new_from.is_none_or(|from| b as usize >= from);
    let found: Vec<(Vec<(u32, u32)>, u64)> = rules
        .iter()
        .map(|r| r.pairs(dataset, options.new_from))
        .collect();
    let mut all: Vec<(u32, u32)> = found.iter().flat_map(|(p, _)| p.iter().copied()).collect();
    all.sort_unstable();
    all.dedup();
    let candidates = dataset.compare_all(all);
    // EM works on the distinct patterns of levels, which a sample of a rule's pairs shows as
    // well as all of them: a few hundred thousand per rule keep its memory bounded.
    let trainings: Vec<(Comparisons, Vec<usize>)> = rules
        .iter()
        .zip(&found)
        .map(|(rule, (pairs, _))| {
            let stride = pairs.len().div_ceil(TRAINING_PAIRS).max(1);
            let sample: Vec<(u32, u32)> = pairs.iter().step_by(stride).copied().collect();
            (candidates.subset(&sample), rule.blocked_fields())
        })
        .collect();
    let frequencies = Frequencies::count(dataset);
    let model = match options.model {
        // A model of other fields or levels (from an older version) is learned again.
        Some(model) if model.fits(&dataset.fields) => model,
        _ => {
            let u = model::estimate_u(dataset, U_SAMPLES, 1941);
            Model::train(dataset, &frequencies, u, &trainings, &candidates)
        }
    };
    let ordered = |(a, b): (u32, u32)| (a.min(b), a.max(b));
    let apart: HashSet<(u32, u32)> = options.apart.iter().map(|p| ordered(*p)).collect();
    let same: Vec<(u32, u32)> = options
        .same
        .iter()
        .map(|p| ordered(*p))
        .filter(|(a, b)| a != b && (*b as usize) < dataset.len())
        .collect();

    let score = |(i, j): (u32, u32), levels: &[u8]| -> (Vec<Option<f64>>, f64) {
        let weights = model.weights(dataset, &frequencies, (i as usize, j as usize), levels);
        let total = model.prior_weight() + weights.iter().flatten().sum::<f64>();
        (weights, probability(total))
    };
    let scored: Vec<(u32, u32, f64)> = (0..candidates.len())
        .map(|k| {
            let (a, b) = candidates.pairs[k];
            (a, b, score((a, b), candidates.row(k)).1)
        })
        .collect();
    // Two records of one list never join one person when two lists are linked
    // (deduplicating a list is linking it alone).
    let clusters = cluster::cluster(
        dataset.len(),
        &scored,
        &same,
        THRESHOLD,
        |a, b| {
            if apart.contains(&(a, b)) {
                return Some(0.0);
            }
            match candidates.pairs.binary_search(&(a, b)) {
                Ok(k) => Some(scored[k].2),
                Err(_) if dataset.comparable(a as usize, b as usize) => None,
                // Two lists are each taken to name a person once.
                Err(_) => Some(0.0),
            }
        },
        |a, b| score((a, b), &dataset.compare(a as usize, b as usize)).1,
    );

    // Reported: every pair within a person (scored now if blocking never paired them), and
    // the pairs near the threshold; in an incremental run, of the persons with a new record.
    let mut report: Vec<(u32, u32)> = scored
        .iter()
        .filter(|(_, _, p)| *p >= REVIEW_FROM)
        .map(|(a, b, _)| (*a, *b))
        .collect();
    for group in clusters.groups() {
        if !group.iter().any(|r| is_new(*r)) {
            continue;
        }
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                if dataset.comparable(a as usize, b as usize) {
                    report.push((a, b));
                }
            }
        }
    }
    report.sort_unstable();
    report.dedup();
    let pairs: Vec<PairResult> = report
        .into_iter()
        .map(|(a, b)| {
            let levels = match candidates.pairs.binary_search(&(a, b)) {
                Ok(k) => candidates.row(k).to_vec(),
                Err(_) => dataset.compare(a as usize, b as usize),
            };
            let (weights, probability) = score((a, b), &levels);
            let together = clusters.group[a as usize] == clusters.group[b as usize];
            PairResult {
                left: a,
                right: b,
                probability,
                decision: if together {
                    Decision::Match
                } else {
                    Decision::Review
                },
                levels,
                weights,
            }
        })
        .collect();

    let matched: Vec<(u32, u32)> = pairs
        .iter()
        .filter(|p| p.decision == Decision::Match)
        .map(|p| (p.left, p.right))
        .collect();
    let rules = rules
        .iter()
        .zip(found)
        .map(|(rule, (found, skipped))| {
            let hit = matched
                .iter()
                .filter(|p| found.binary_search(p).is_ok())
                .count();
            RuleReport {
                rule: rule.describe(dataset),
                pairs: found.len(),
                skipped,
                recall: if matched.is_empty() {
                    0.0
                } else {
                    hit as f64 / matched.len() as f64
                },
            }
        })
        .collect();
    Linkage {
        model,
        rules,
        compared: candidates.len(),
        pairs,
        clusters,
    }
}

#[cfg(test)]
mod tests;
