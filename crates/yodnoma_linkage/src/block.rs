//! Blocking: which pairs are compared at all. Comparing every pair of a million records is half
//! a trillion comparisons; a blocking rule compares only records that share a key (the sound of
//! a surname, a birth date, a postcode). Several rules are used together, so that a pair missed
//! by one (a typo in the surname) is found by another (the same birth date).
//!
//! A key shared by too many records (Ахметов, 1920) would bring the quadratic cost back: such
//! a block is split by the rule's next key part, and so on; a block still too large after the
//! last part is skipped and counted.

use std::collections::HashMap;

use crate::Dataset;
use crate::field::{FieldKind, Value};

/// Records sharing one key are compared only when there are at most this many of them.
pub const BLOCK_CAP: usize = 40;

/// One part of a blocking key, computed from one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    /// The phonetic key of each word of a name: a record is in the block of each.
    NameWords(usize),
    /// The first letter of a name's Latin key.
    Initial(usize),
    /// The whole date as given.
    Date(usize),
    /// The year of a date.
    Year(usize),
    /// The folded value.
    Exact(usize),
    /// The sounds of two names together, in either order: finds the records that wrote a
    /// given name in the surname's column and the surname in the given name's.
    NamePair(usize, usize),
}

impl KeyPart {
    /// The fields the part reads.
    pub fn fields(self) -> Vec<usize> {
        match self {
            KeyPart::NameWords(f)
            | KeyPart::Initial(f)
            | KeyPart::Date(f)
            | KeyPart::Year(f)
            | KeyPart::Exact(f) => vec![f],
            KeyPart::NamePair(a, b) => vec![a, b],
        }
    }

    fn describe(self, dataset: &Dataset) -> String {
        let name = &dataset.fields[self.fields()[0]].name;
        match self {
            KeyPart::NamePair(_, other) => format!(
                "sounds of {name} and {} in either order",
                dataset.fields[other].name
            ),
            KeyPart::NameWords(_) => format!("sound of {name}"),
            KeyPart::Initial(_) => format!("initial of {name}"),
            KeyPart::Date(_) => name.clone(),
            KeyPart::Year(_) => format!("year of {name}"),
            KeyPart::Exact(_) => name.clone(),
        }
    }

    /// The keys of `record` under this part; none when the value is missing.
    fn keys(self, record: &[Value]) -> Vec<String> {
        if let KeyPart::NamePair(a, b) = self {
            let first_sound = |v: &Value| match v {
                Value::Name(name) => name
                    .words
                    .iter()
                    .find(|w| !w.is_initial() && !w.phonetic.is_empty())
                    .map(|w| w.phonetic.clone()),
                _ => None,
            };
            let (Some(x), Some(y)) = (first_sound(&record[a]), first_sound(&record[b])) else {
                return Vec::new();
            };
            let (x, y) = if x <= y { (x, y) } else { (y, x) };
            return vec![format!("{x}\u{0}{y}")];
        }
        let value = &record[self.fields()[0]];
        match (self, value) {
            (KeyPart::NameWords(_), Value::Name(name)) => {
                let mut keys: Vec<String> = name
                    .words
                    .iter()
                    .filter(|w| !w.is_initial() && !w.phonetic.is_empty())
                    .map(|w| w.phonetic.clone())
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys
            }
            (KeyPart::Initial(_), Value::Name(name)) => {
                name.latin.get(..1).map(str::to_owned).into_iter().collect()
            }
            (KeyPart::Initial(_), Value::Plain { folded, .. }) => folded
                .chars()
                .next()
                .map(String::from)
                .into_iter()
                .collect(),
            (KeyPart::Date(_), Value::Date(date)) => vec![date.to_string()],
            (KeyPart::Year(_), Value::Date(date)) => vec![date.year().to_string()],
            (KeyPart::Exact(_), Value::Plain { folded, .. }) => vec![folded.clone()],
            (KeyPart::Exact(_), Value::Name(name)) => vec![name.latin.clone()],
            _ => Vec::new(),
        }
    }
}

/// Whether blocking on a code finds few enough pairs to be worth it: a postcode does, a house
/// number (1 to 200 over a whole country) does not.
fn discriminating(dataset: &Dataset, field: usize) -> bool {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for record in &dataset.values {
        if let Value::Plain { folded, .. } = &record[field] {
            *counts.entry(folded.as_str()).or_default() += 1;
        }
    }
    let pairs: u64 = counts.values().map(|c| c * (c - 1) / 2).sum();
    pairs <= 10 * dataset.len() as u64
}

/// A blocking rule: records that share the first part's key are compared; blocks too large are
/// split by the next part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub parts: Vec<KeyPart>,
}

impl Rule {
    pub fn describe(&self, dataset: &Dataset) -> String {
        self.parts
            .iter()
            .map(|p| p.describe(dataset))
            .collect::<Vec<_>>()
            .join(", then ")
    }

    /// The fields the rule blocks on, on which the pairs it finds agree more often than
    /// chance would have them: every part's but the initials', which hardly select.
    pub fn blocked_fields(&self) -> Vec<usize> {
        let mut fields: Vec<usize> = self
            .parts
            .iter()
            .filter(|p| !matches!(p, KeyPart::Initial(_)))
            .flat_map(|p| p.fields())
            .collect();
        fields.sort_unstable();
        fields.dedup();
        fields
    }

    /// The rules a dataset gets when none are given: one per name field (by its sound, then the
    /// year of birth, then the initial of another name), one on the first date, one per code.
    pub fn defaults(dataset: &Dataset) -> Vec<Rule> {
        let of = |kind: FieldKind| -> Vec<usize> {
            dataset
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind == kind)
                .map(|(i, _)| i)
                .collect()
        };
        let (names, dates, codes) = (
            of(FieldKind::Name),
            of(FieldKind::Date),
            of(FieldKind::Code),
        );
        let mut rules = Vec::new();
        for &name in &names {
            let mut parts = vec![KeyPart::NameWords(name)];
            parts.extend(
                names
                    .iter()
                    .filter(|n| **n != name)
                    .map(|n| KeyPart::Initial(*n)),
            );
            parts.extend(dates.first().map(|d| KeyPart::Year(*d)));
            rules.push(Rule { parts });
        }
        if let [first, second, rest @ ..] = names.as_slice() {
            let mut parts = vec![KeyPart::NamePair(*first, *second)];
            parts.extend(dates.first().map(|d| KeyPart::Year(*d)));
            parts.extend(rest.iter().map(|n| KeyPart::Initial(*n)));
            rules.push(Rule { parts });
        }
        if let Some(&date) = dates.first() {
            let mut parts = vec![KeyPart::Date(date)];
            parts.extend(names.iter().map(|n| KeyPart::Initial(*n)));
            rules.push(Rule { parts });
        }
        // Codes and places that few records share (a postcode, a street; not a house number
        // or a state) find the pairs whose names were mistyped or swapped; their large blocks
        // are split by the year of birth, then the names' initials.
        let places = of(FieldKind::Place);
        for &field in codes.iter().chain(&places) {
            if discriminating(dataset, field) {
                let mut parts = vec![KeyPart::Exact(field)];
                parts.extend(dates.first().map(|d| KeyPart::Year(*d)));
                parts.extend(names.iter().map(|n| KeyPart::Initial(*n)));
                rules.push(Rule { parts });
            }
        }
        rules
    }

    /// The pairs the rule finds, each once, smaller index first, and how many pairs were left
    /// out in blocks too large even after the last part. With `new_from`, only pairs with a
    /// record from that index on: blocks of older records alone are not even enumerated.
    pub fn pairs(&self, dataset: &Dataset, new_from: Option<usize>) -> (Vec<(u32, u32)>, u64) {
        let all: Vec<u32> = (0..dataset.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        let mut pairs = Vec::new();
        let mut skipped = 0u64;
        let new_from = new_from.and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
        self.split(dataset, &all, 0, new_from, &mut pairs, &mut skipped);
        pairs.sort_unstable();
        pairs.dedup();
        (pairs, skipped)
    }

    fn split(
        &self,
        dataset: &Dataset,
        records: &[u32],
        depth: usize,
        new_from: u32,
        pairs: &mut Vec<(u32, u32)>,
        skipped: &mut u64,
    ) {
        let Some(part) = self.parts.get(depth) else {
            return;
        };
        // Records come in index order, so the last is the newest: a set of old records only
        // has no pair to give.
        if records.last().is_none_or(|r| *r < new_from) {
            return;
        }
        let wanted =
            |a: u32, b: u32| a.max(b) >= new_from && dataset.comparable(a as usize, b as usize);
        let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
        let mut keyless = Vec::new();
        for &r in records {
            let keys = part.keys(&dataset.values[r as usize]);
            if keys.is_empty() && depth > 0 {
                keyless.push(r);
            }
            for key in keys {
                blocks.entry(key).or_default().push(r);
            }
        }
        // A record without this part (no birth date) cannot be placed in a smaller block: it
        // is compared with the whole block it came from when that block is not much too large,
        // else with the others that lack the part, split by the next one.
        if records.len() <= 4 * BLOCK_CAP {
            for &a in &keyless {
                for &b in records {
                    if a != b && wanted(a, b) {
                        pairs.push((a.min(b), a.max(b)));
                    }
                }
            }
        } else if keyless.len() > 1 {
            blocks.insert(String::from("\u{0}missing"), keyless);
        } else if let Some(&lone) = keyless.first() {
            // Alone without the part, in a block too large to compare it with: the pairs it
            // would have in this rule (with a new record, in an incremental run) are skipped,
            // and counted so.
            let wanted = if lone >= new_from {
                records.len() - 1
            } else {
                records.iter().filter(|r| **r >= new_from).count()
            };
            *skipped += wanted as u64;
        }
        for block in blocks.values() {
            if block.len() < 2 || block.last().is_none_or(|r| *r < new_from) {
                continue;
            }
            if block.len() <= BLOCK_CAP {
                for (x, &a) in block.iter().enumerate() {
                    for &b in &block[x + 1..] {
                        if wanted(a, b) {
                            pairs.push((a.min(b), a.max(b)));
                        }
                    }
                }
            } else if depth + 1 < self.parts.len() {
                self.split(dataset, block, depth + 1, new_from, pairs, skipped);
            } else {
                let n = block.len() as u64;
                *skipped += n * (n - 1) / 2;
            }
        }
    }
}
