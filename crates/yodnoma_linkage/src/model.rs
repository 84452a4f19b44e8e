//! The Fellegi–Sunter model: for each field and level, m (how often a true pair agrees at that
//! level) and u (how often two random records do). A pair's weight is the sum over its fields
//! of log₂(m/u); with the prior odds of a match it gives the probability.
//!
//! u is first counted on random pairs; m is learned by expectation–maximisation on the pairs
//! that blocking found, once per blocking rule with the rule's own fields left out (they agree
//! on every blocked pair by construction, so the pairs say nothing about them), and averaged.
//! A last EM over all the candidate pairs then learns m and u together from there: u of
//! records that blocking put side by side (namesakes of one region) is not u of random pairs.
//! An exact agreement on a common value weighs less than on a rare one: its u is scaled by the
//! value's frequency against the mean frequency of agreeing candidates (term frequencies).

use std::collections::HashMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::compare::{MISSING, levels};
use crate::field::{FieldKind, Value};
use crate::{Comparisons, Dataset};

/// The smallest probability a level is given, so that no level can veto a pair alone.
const FLOOR: f64 = 1e-6;

/// What the model knows of one field.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FieldModel {
    pub m: Vec<f64>,
    pub u: Vec<f64>,
    /// Whether exact agreement is weighed by the frequency of the value.
    pub frequency_adjusted: bool,
    /// Whether m was learned from the data (false: left at its starting guess).
    pub trained: bool,
    /// The mean frequency of the value among the candidates that agree on it (same value,
    /// and same sound): u at those levels is for a value of that frequency, and a rarer or
    /// commoner value scales it.
    pub mean_share: [f64; 2],
}

/// The whole model: a field model per field and the share of true pairs among the candidates.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Model {
    pub fields: Vec<FieldModel>,
    pub prior: f64,
    /// Whether u was learned over the candidate pairs (else counted on random pairs): the
    /// term-frequency adjustment then scales u rather than replacing it.
    pub conditional_u: bool,
}

/// How common each record's values are, for the term-frequency adjustment: kept per record
/// and field, so that weighing a pair looks nothing up by text.
#[derive(Debug, Default)]
pub struct Frequencies {
    width: usize,
    /// Per record and field: the share of the records with a value in the field that have
    /// this one (names counted under their Latin key); 0 when missing.
    shares: Vec<f32>,
    /// Per record and name field: the share that sound alike (share of its phonetic key).
    sounds: Vec<f32>,
    /// Per field: how many distinct values it has.
    distinct: Vec<usize>,
    records: usize,
}

impl Frequencies {
    pub fn count(dataset: &Dataset) -> Self {
        let width = dataset.fields.len();
        let n = dataset.len();
        let mut shares = vec![0f32; n * width];
        let mut sounds = vec![0f32; n * width];
        let mut distinct = vec![0usize; width];
        let count = |f: usize, key: &dyn Fn(&Value) -> Option<&str>, out: &mut Vec<f32>| -> usize {
            let mut counts: HashMap<&str, u64> = HashMap::new();
            let mut total = 0u64;
            for record in &dataset.values {
                if let Some(key) = key(&record[f]) {
                    *counts.entry(key).or_default() += 1;
                    total += 1;
                }
            }
            let total = total.max(1) as f64;
            for (r, record) in dataset.values.iter().enumerate() {
                if let Some(c) = key(&record[f]).and_then(|k| counts.get(k)) {
                    out[r * width + f] = (*c as f64 / total) as f32;
                }
            }
            counts.len()
        };
        for (f, distinct) in distinct.iter_mut().enumerate() {
            *distinct = count(f, &Value::frequency_key, &mut shares);
            count(
                f,
                &|v: &Value| match v {
                    Value::Name(n) => Some(n.phonetic.as_str()),
                    _ => None,
                },
                &mut sounds,
            );
        }
        Self {
            width,
            shares,
            sounds,
            distinct,
            records: n,
        }
    }

    /// Whether a field has values enough for their frequencies to say something: a region
    /// or a nationality shared by thousands is weighed by the field's average agreement, as a
    /// rare value of it would otherwise outweigh a name.
    pub fn varied(&self, field: usize) -> bool {
        self.distinct
            .get(field)
            .is_some_and(|d| *d >= 200.min(self.records / 10).max(2))
    }

    /// The share of records that have record `record`'s value of `field`.
    pub fn share(&self, record: usize, field: usize) -> Option<f64> {
        let share = *self.shares.get(record * self.width + field)?;
        (share > 0.0).then_some(f64::from(share))
    }

    /// The share of records whose name in `field` sounds like record `record`'s.
    pub fn sound_share(&self, record: usize, field: usize) -> Option<f64> {
        let share = *self.sounds.get(record * self.width + field)?;
        (share > 0.0).then_some(f64::from(share))
    }
}

/// The m a field starts from, and keeps when no rule can train it: how often the records of
/// one person agree at each level, as archives' lists usually do (most exactly, a few in
/// another spelling or a typed slip, hardly any wholly different).
fn initial_m(kind: FieldKind) -> Vec<f64> {
    let mut m = match kind {
        FieldKind::Name => vec![0.55, 0.2, 0.12, 0.07, 0.04, 0.02],
        FieldKind::Date => vec![0.8, 0.06, 0.03, 0.06, 0.045, 0.004, 0.001],
        FieldKind::Place | FieldKind::Text => vec![0.8, 0.1, 0.06, 0.04],
        FieldKind::Code => vec![0.85, 0.1, 0.05],
        FieldKind::Category => vec![0.9, 0.1],
    };
    m.resize(levels(kind).len(), FLOOR);
    normalise(&mut m);
    m
}

/// `m` with the share of levels no candidate pair reaches moved to the next coarser level
/// that some pair does: a list that gives birth years only has no pair agreeing on the day,
/// and its true pairs agree on the year.
fn fit_to_data(mut m: Vec<f64>, field: usize, candidates: &Comparisons) -> Vec<f64> {
    let mut reached = vec![false; m.len()];
    for row in candidates.levels.chunks(candidates.width.max(1)) {
        if let Some(level) = row.get(field).filter(|l| **l != MISSING) {
            reached[usize::from(*level)] = true;
        }
    }
    let mut carried = 0.0;
    for (level, reached) in reached.iter().enumerate() {
        if *reached {
            m[level] += carried;
            carried = 0.0;
        } else {
            carried += m[level];
            m[level] = 0.0;
        }
    }
    if let Some(last) = m.last_mut() {
        *last += carried;
    }
    normalise(&mut m);
    m
}

/// Whether a learned m says what any m must: agreeing exactly is evidence for a match, being
/// wholly different evidence against. EM on a set of pairs that blocking skewed can settle on
/// two classes that are not "same person" and "different persons"; such an m is dropped.
fn plausible(m: &[f64], u: &[f64]) -> bool {
    let (Some(first), Some(last)) = (m.first().zip(u.first()), m.last().zip(u.last())) else {
        return false;
    };
    // At least eight times as likely between records of one person when exact, eight times
    // less when wholly different: EM on pairs whose non-matches share a region and a year
    // (blocks of namesakes) settles on classes that blur this, and its m is then not used.
    *first.0 > 8.0 * *first.1 && 8.0 * *last.0 < *last.1
}

/// Whether a jointly learned model describes persons: two records agreeing on every field as
/// its true pairs most often do are one person under it, and it does not find more matching
/// pairs than there are records (each record has a few others of its person, not thousands).
fn sensible(m: &[Vec<f64>], u: &[Vec<f64>], prior: f64, pairs: usize, records: usize) -> bool {
    let typical: f64 = m
        .iter()
        .zip(u)
        .filter_map(|(m, u)| {
            let (level, m) = m.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
            Some((m / u.get(level)?).log2())
        })
        .sum();
    let prior_weight = (prior / (1.0 - prior)).log2();
    typical + prior_weight > 0.0 && prior * pairs as f64 <= records as f64
}

fn normalise(p: &mut [f64]) {
    for x in p.iter_mut() {
        *x = x.max(FLOOR);
    }
    let sum: f64 = p.iter().sum();
    for x in p.iter_mut() {
        *x /= sum;
    }
}

/// u of every field from `samples` random pairs of the dataset (every pair when there are
/// fewer), counted with one added to each level so that none is zero.
pub fn estimate_u(dataset: &Dataset, samples: usize, seed: u64) -> Vec<Vec<f64>> {
    let n = dataset.values.len();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let index = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    if dataset.pair_count() <= samples as u128 {
        for i in 0..n {
            for j in i + 1..n {
                if dataset.comparable(i, j) {
                    pairs.push((index(i), index(j)));
                }
            }
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        while pairs.len() < samples {
            let (i, j) = match dataset.left_len {
                Some(left) => (rng.random_range(0..left), rng.random_range(left..n)),
                None => (rng.random_range(0..n), rng.random_range(0..n)),
            };
            if i != j {
                pairs.push((index(i.min(j)), index(i.max(j))));
            }
        }
    }
    let kinds: Vec<FieldKind> = dataset.fields.iter().map(|f| f.kind).collect();
    level_shares(&dataset.compare_all(pairs), &kinds)
}

/// How often the pairs of `comparisons` agree at each level of each field, one added to
/// each count so that none is zero.
fn level_shares(comparisons: &Comparisons, kinds: &[FieldKind]) -> Vec<Vec<f64>> {
    let mut counts: Vec<Vec<f64>> = kinds.iter().map(|k| vec![1.0; levels(*k).len()]).collect();
    for row in comparisons.levels.chunks(comparisons.width.max(1)) {
        for (level, counts) in row.iter().zip(counts.iter_mut()) {
            if *level != MISSING {
                counts[usize::from(*level)] += 1.0;
            }
        }
    }
    for levels in &mut counts {
        normalise(levels);
    }
    counts
}

/// Distinct comparison vectors and how many pairs have each: EM works on these, so its cost
/// does not grow with the number of pairs.
fn patterns(comparisons: &Comparisons) -> Vec<(Vec<u8>, f64)> {
    let mut seen: HashMap<&[u8], f64> = HashMap::new();
    for levels in comparisons.levels.chunks(comparisons.width.max(1)) {
        *seen.entry(levels).or_default() += 1.0;
    }
    seen.into_iter().map(|(k, c)| (k.to_vec(), c)).collect()
}

/// Learns m by EM on `comparisons` starting from `start`, leaving the fields in `fixed`
/// untouched, and u of the fields in `learn_u` (the others keep u as given). Fields in `ignored` are left
/// out of the posterior: the fields a rule blocks on agree on nearly every pair it finds, true
/// or not. Returns m, u and the share of true pairs among the compared ones.
fn em(
    comparisons: &Comparisons,
    kinds: &[FieldKind],
    u: &[Vec<f64>],
    start: &[Vec<f64>],
    fixed: &[bool],
    ignored: &[bool],
    learn_u: &[bool],
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, f64) {
    let patterns = patterns(comparisons);
    let mut m: Vec<Vec<f64>> = start.to_vec();
    let mut u: Vec<Vec<f64>> = u.to_vec();
    let mut lambda = 0.1f64;
    for _ in 0..40 {
        let mut m_next: Vec<Vec<f64>> = kinds.iter().map(|k| vec![0.0; levels(*k).len()]).collect();
        let mut u_next = m_next.clone();
        let (mut matched, mut total) = (0.0f64, 0.0f64);
        for (levels, count) in &patterns {
            let mut log_odds = (lambda / (1.0 - lambda)).ln();
            for (f, level) in levels.iter().enumerate() {
                if *level != MISSING && !ignored[f] {
                    let l = usize::from(*level);
                    log_odds += (m[f][l] / u[f][l]).ln();
                }
            }
            let p = 1.0 / (1.0 + (-log_odds).exp());
            matched += p * count;
            total += count;
            for (f, level) in levels.iter().enumerate() {
                if *level != MISSING {
                    m_next[f][usize::from(*level)] += p * count;
                    u_next[f][usize::from(*level)] += (1.0 - p) * count;
                }
            }
        }
        let lambda_next = (matched / total.max(1.0)).clamp(1e-9, 1.0 - 1e-9);
        let mut change = (lambda_next - lambda).abs();
        lambda = lambda_next;
        for (f, next) in m_next.iter_mut().enumerate() {
            if fixed[f] || next.iter().sum::<f64>() <= 0.0 {
                continue;
            }
            normalise(next);
            change = next
                .iter()
                .zip(&m[f])
                .map(|(a, b)| (a - b).abs())
                .fold(change, f64::max);
            m[f] = next.clone();
            if learn_u[f] {
                normalise(&mut u_next[f]);
                u[f] = u_next[f].clone();
            }
        }
        if change < 1e-5 {
            break;
        }
    }
    (m, u, lambda)
}

impl Model {
    /// Whether the model was learned for these fields, with the levels their kinds have now.
    pub fn fits(&self, fields: &[crate::Field]) -> bool {
        self.fields.len() == fields.len()
            && self.fields.iter().zip(fields).all(|(m, f)| {
                m.m.len() == levels(f.kind).len() && m.u.len() == levels(f.kind).len()
            })
    }

    /// Learns the model: u from random pairs, m by EM once per set of comparisons in
    /// `trainings` (the pairs of one blocking rule and the fields that rule blocks on), then
    /// m, u and the prior together by EM over `candidates`, starting from those.
    pub fn train(
        dataset: &Dataset,
        frequencies: &Frequencies,
        u: Vec<Vec<f64>>,
        trainings: &[(Comparisons, Vec<usize>)],
        candidates: &Comparisons,
    ) -> Self {
        let kinds: Vec<FieldKind> = dataset.fields.iter().map(|f| f.kind).collect();
        let start: Vec<Vec<f64>> = kinds
            .iter()
            .enumerate()
            .map(|(f, k)| fit_to_data(initial_m(*k), f, candidates))
            .collect();
        let mut sums: Vec<Vec<f64>> = kinds.iter().map(|k| vec![0.0; levels(*k).len()]).collect();
        let mut trained = vec![0usize; kinds.len()];
        let no_u = vec![false; kinds.len()];
        for (comparisons, blocked_on) in trainings {
            // With one field left, the two classes EM separates are any two: no rule of
            // fewer than two fields beside its own trains anything.
            if comparisons.is_empty() || kinds.len() < blocked_on.len() + 2 {
                continue;
            }
            let fixed: Vec<bool> = (0..kinds.len()).map(|f| blocked_on.contains(&f)).collect();
            let (m, _, _) = em(comparisons, &kinds, &u, &start, &fixed, &fixed, &no_u);
            for f in (0..kinds.len()).filter(|f| !fixed[*f] && plausible(&m[*f], &u[*f])) {
                for (sum, value) in sums[f].iter_mut().zip(&m[f]) {
                    *sum += value;
                }
                trained[f] += 1;
            }
        }
        let m: Vec<Vec<f64>> = sums
            .into_iter()
            .zip(&trained)
            .zip(start)
            .map(|((mut sum, n), start)| {
                if *n == 0 {
                    start
                } else {
                    normalise(&mut sum);
                    sum
                }
            })
            .collect();
        // The fields of a record are not independent (a region, a nationality and a
        // birthplace say much the same), and two records that blocking paired agree on them
        // far more often than random pairs do. A last EM over the candidates themselves, with
        // u free, learns how often such records agree without being one person.
        // Two classes are only identified by three fields or more, and EM may still settle on
        // classes that are not "one person" and "two" (a region and the rest): the joint model
        // is kept only when it says what any must (see `sensible`). Otherwise u stays as
        // counted on random pairs and only the prior is learned.
        // EM starts u from how the candidates agree, nearly all of them not one person: from
        // u of random pairs, the first step would take every namesake of one region for a
        // match, and EM would settle there.
        let none = vec![false; kinds.len()];
        let joint = (kinds.len() >= 3)
            .then(|| {
                em(
                    candidates,
                    &kinds,
                    &level_shares(candidates, &kinds),
                    &m,
                    &none,
                    &none,
                    &vec![true; kinds.len()],
                )
            })
            .filter(|(m, u, prior)| sensible(m, u, *prior, candidates.len(), dataset.len()));
        let conditional_u = joint.is_some();
        // Namesakes of one region that EM counts among the matches make wholly different
        // values look common between one person's records. How often they really are is
        // what the rule-wise EM (or the assumed m) says: the joint m may not exceed it there.
        let joint = joint.map(|(mut joint_m, u, prior)| {
            for ((joint_m, m), kind) in joint_m.iter_mut().zip(&m).zip(&kinds) {
                let from = joint_m.len().saturating_sub(disagreeing(*kind));
                for (joint, cap) in joint_m.iter_mut().zip(m).skip(from) {
                    *joint = joint.min(*cap);
                }
                normalise(joint_m);
            }
            (joint_m, u, prior)
        });
        let (m, u, prior) = joint.unwrap_or_else(|| {
            let all = vec![true; kinds.len()];
            let (_, _, prior) = em(candidates, &kinds, &u, &m, &all, &none, &none);
            (m, u, prior)
        });
        // Disagreeing is never evidence for one person. Where too few candidates disagree
        // that much for EM to tell (deaths years apart, when nearly all fell in 1941–1945),
        // m and u are both tiny and their ratio says nothing: the level then weighs nothing.
        // The share u gains there is taken from the other levels in proportion, so that u
        // still sums to one.
        let mut u = u;
        for ((m, u), kind) in m.iter().zip(u.iter_mut()).zip(&kinds) {
            let from = u.len().saturating_sub(disagreeing(*kind));
            let mut added = 0.0;
            for (m, u) in m.iter().zip(u.iter_mut()).skip(from) {
                if *m > *u {
                    added += *m - *u;
                    *u = *m;
                }
            }
            let rest: f64 = u[..from].iter().sum();
            if added > 0.0 && rest > added {
                let scale = (rest - added) / rest;
                for u in &mut u[..from] {
                    *u *= scale;
                }
            }
        }
        let fields = m
            .into_iter()
            .zip(u)
            .zip(&kinds)
            .zip(trained)
            .enumerate()
            .map(|(f, (((m, u), kind), trained))| FieldModel {
                m,
                u,
                frequency_adjusted: *kind != FieldKind::Date && frequencies.varied(f),
                trained: trained > 0,
                mean_share: mean_shares(dataset, frequencies, candidates, f),
            })
            .collect();
        Self {
            fields,
            prior,
            conditional_u,
        }
    }

    /// The weight (log₂ Bayes factor) each field adds for the pair `(i, j)` compared at
    /// `levels`, with exact agreement on a value weighed by that value's frequency: the
    /// commoner of the two records' values in the field. Both are the same value when the
    /// field agrees straight; when a given name was written in the surname's column and the
    /// two are compared crosswise, the rare "surname" Есен is not what agreed.
    pub fn weights(
        &self,
        dataset: &Dataset,
        frequencies: &Frequencies,
        (i, j): (usize, usize),
        levels: &[u8],
    ) -> Vec<Option<f64>> {
        levels
            .iter()
            .enumerate()
            .map(|(f, level)| {
                if *level == MISSING {
                    return None;
                }
                let model = &self.fields[f];
                let l = usize::from(*level);
                let mut u = model.u[l];
                // A name is counted under its Latin key, so its frequency is that of every
                // spelling of it: exact and other-spelling agreement are both weighed by it.
                let same_value = l == 0 || (l == 1 && dataset.fields[f].kind == FieldKind::Name);
                if same_value
                    && model.frequency_adjusted
                    && let Some(share) = commoner(frequencies.share(i, f), frequencies.share(j, f))
                {
                    u = if self.conditional_u {
                        (u * share / model.mean_share[0]).clamp(FLOOR, 1.0)
                    } else {
                        share.max(FLOOR)
                    };
                }
                // Agreement by sound is as weak as the sound is common (Ахмед, Ахмад, Ахмат).
                if l == 2
                    && model.frequency_adjusted
                    && let Some(share) =
                        commoner(frequencies.sound_share(i, f), frequencies.sound_share(j, f))
                {
                    u = if self.conditional_u {
                        (u * share / model.mean_share[1]).clamp(FLOOR, 1.0)
                    } else {
                        u.max(share)
                    };
                }
                Some((model.m[l] / u).log2())
            })
            .collect()
    }

    /// The log₂ prior odds of a match among the candidate pairs.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }
}

/// The mean frequency of the value (and of its sound) over the candidate pairs of `field` that
/// agree on it (levels 0 and 1 of a name; level 2 of a name for the sound).
fn mean_shares(
    dataset: &Dataset,
    frequencies: &Frequencies,
    candidates: &Comparisons,
    field: usize,
) -> [f64; 2] {
    let is_name = dataset.fields[field].kind == FieldKind::Name;
    let mut sums = [(0.0, 0usize); 2];
    for (k, &(i, _)) in candidates.pairs.iter().enumerate() {
        let level = candidates.row(k)[field];
        let (slot, share) = match level {
            0 => (0, frequencies.share(i as usize, field)),
            1 if is_name => (0, frequencies.share(i as usize, field)),
            2 if is_name => (1, frequencies.sound_share(i as usize, field)),
            _ => continue,
        };
        if let Some(share) = share {
            sums[slot].0 += share;
            sums[slot].1 += 1;
        }
    }
    sums.map(|(sum, n)| {
        if n == 0 {
            1.0
        } else {
            (sum / n as f64).max(FLOOR)
        }
    })
}

/// How many of a kind's last levels say that two values disagree: dates at two (years a few
/// apart, and far apart), every other kind at one.
fn disagreeing(kind: FieldKind) -> usize {
    if kind == FieldKind::Date { 2 } else { 1 }
}

/// The larger of two shares, either of which may be unknown.
fn commoner(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The probability of a match from a total weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}
