//! Clustering matched pairs into persons without chaining: taking every matched pair as an edge
//! and every connected group as a person would let one bad pair join two people (A–B true,
//! B–C a namesake with a typo: A, B and C become one). Pairs are taken from the most to the
//! least probable, and two groups are joined only if no pair across them was compared and
//! found clearly different.

use std::collections::{HashMap, HashSet};

/// A pair across two groups below this probability keeps them apart.
pub const CANNOT_LINK: f64 = 0.05;

/// Pairs across two groups checked before they are joined.
const MAX_CHECKS: usize = 256;

/// Of those, pairs that blocking never compared and that are compared for the check.
const MAX_FRESH: usize = 32;

/// No person is made of more records than this: a registry holds a handful per person (a draft
/// list, a loss report, award sheets), and a larger group is a chain of doubtful pairs that a
/// curator should see, not a person.
pub const MAX_GROUP: usize = 32;

/// The outcome of clustering: a group number per record, and the pairs that were above the
/// threshold but not joined, because a pair across their groups disagreed.
#[derive(Debug, Clone)]
pub struct Clusters {
    pub group: Vec<u32>,
    pub refused: Vec<(u32, u32)>,
}

impl Clusters {
    /// Groups of more than one record, each sorted, smallest record first.
    pub fn groups(&self) -> Vec<Vec<u32>> {
        let mut by_group: HashMap<u32, Vec<u32>> = HashMap::new();
        for (record, group) in self.group.iter().enumerate() {
            if let Ok(record) = u32::try_from(record) {
                by_group.entry(*group).or_default().push(record);
            }
        }
        let mut groups: Vec<Vec<u32>> = by_group.into_values().filter(|g| g.len() > 1).collect();
        groups.sort_unstable();
        groups
    }
}

/// Clusters `records` records from `scored` pairs `(a, b, probability)`, joining along pairs at
/// or above `threshold`. The pairs in `same` are joined first, whatever their scores and
/// sizes, unless a pair across is one that may not join. `known` gives the probability of a
/// pair already scored (or of a pair that may not join, exactly 0), `None` otherwise; `fresh`
/// scores any other pair, so that pairs across two groups are checked whether blocking
/// compared them or not. Scores are asked again rather than kept: a map of every compared pair
/// would hold more memory than the records.
pub fn cluster(
    records: usize,
    scored: &[(u32, u32, f64)],
    same: &[(u32, u32)],
    threshold: f64,
    known: impl Fn(u32, u32) -> Option<f64>,
    fresh: impl Fn(u32, u32) -> f64,
) -> Clusters {
    let mut group: Vec<u32> = (0..records).filter_map(|r| u32::try_from(r).ok()).collect();
    let mut members: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(a, b) in same {
        let (ga, gb) = (group[a as usize], group[b as usize]);
        if ga == gb {
            continue;
        }
        let (left, right) = (of(ga, &members), of(gb, &members));
        let forbidden = left.iter().any(|x| {
            right
                .iter()
                .any(|y| known((*x).min(*y), (*x).max(*y)) == Some(0.0))
        });
        if !forbidden {
            join(&mut group, &mut members, (ga, left), (gb, right));
        }
    }
    let mut order: Vec<&(u32, u32, f64)> =
        scored.iter().filter(|(_, _, p)| *p >= threshold).collect();
    order.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut refused = Vec::new();
    // Two groups found apart stay apart until one of them changes: every other pair between
    // them would be checked against the same records again.
    let mut version = vec![0u32; records];
    let mut apart: HashSet<(u32, u32, u32, u32)> = HashSet::new();
    for &&(a, b, p) in &order {
        let (ga, gb) = (group[a as usize], group[b as usize]);
        if ga == gb {
            continue;
        }
        let key = {
            let (x, y) = (ga.min(gb), ga.max(gb));
            (x, version[x as usize], y, version[y as usize])
        };
        if apart.contains(&key) {
            refused.push((a, b));
            continue;
        }
        let (left, right) = (of(ga, &members), of(gb, &members));
        // The pairs across are checked up to a bound: a person has a handful of records, and
        // two groups large enough to exceed it are joined on the evidence of the first ones.
        // Joined only when no pair across is clearly different and the pairs across agree on
        // the whole: a group is not pulled in by its one closest record.
        let mut fresh_left = MAX_FRESH;
        let across: Vec<f64> = left
            .iter()
            .flat_map(|x| right.iter().map(move |y| ((*x).min(*y), (*x).max(*y))))
            .take(MAX_CHECKS)
            .filter_map(|(x, y)| {
                if (x, y) == (a, b) {
                    // Asked all the same: a pair that may not join says so.
                    return known(x, y).or(Some(p));
                }
                known(x, y).or_else(|| {
                    // Pairs blocking never compared are compared now, a few per join: they
                    // cost a full comparison each.
                    (fresh_left > 0).then(|| {
                        fresh_left -= 1;
                        fresh(x, y)
                    })
                })
            })
            .collect();
        let mean = across.iter().sum::<f64>() / across.len().max(1) as f64;
        let conflict = across.iter().any(|p| *p < CANNOT_LINK) || mean < threshold;
        if conflict || left.len() + right.len() > MAX_GROUP {
            refused.push((a, b));
            apart.insert(key);
            continue;
        }
        let keep = join(&mut group, &mut members, (ga, left), (gb, right));
        version[keep as usize] += 1;
    }
    Clusters { group, refused }
}

/// The records of group `g`.
fn of(g: u32, members: &HashMap<u32, Vec<u32>>) -> Vec<u32> {
    members.get(&g).cloned().unwrap_or_else(|| vec![g])
}

/// Joins two groups, the smaller into the larger; returns the group kept.
fn join(
    group: &mut [u32],
    members: &mut HashMap<u32, Vec<u32>>,
    (ga, left): (u32, Vec<u32>),
    (gb, right): (u32, Vec<u32>),
) -> u32 {
    let (keep, gone, moved) = if left.len() >= right.len() {
        (ga, gb, right)
    } else {
        (gb, ga, left)
    };
    for r in &moved {
        group[*r as usize] = keep;
    }
    members.remove(&gone);
    members
        .entry(keep)
        .or_insert_with(|| vec![keep])
        .extend(moved);
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The probability of a pair as scored, or `None` when it was not.
    fn lookup(scored: &[(u32, u32, f64)]) -> impl Fn(u32, u32) -> Option<f64> + '_ {
        move |x, y| {
            scored
                .iter()
                .find(|(a, b, _)| (*a, *b) == (x, y))
                .map(|(_, _, p)| *p)
        }
    }

    #[test]
    fn one_bad_pair_does_not_chain_two_people() {
        // 0–1 the same person, 1–2 a doubtful pair, 0–2 compared and clearly different.
        let scored = [(0, 1, 0.99), (1, 2, 0.6), (0, 2, 0.01)];
        let clusters = cluster(3, &scored, &[], 0.5, lookup(&scored), |_, _| 0.5);
        assert_eq!(clusters.groups(), vec![vec![0, 1]]);
        assert_eq!(clusters.refused, vec![(1, 2)]);
    }

    #[test]
    fn a_pair_blocking_never_compared_is_scored_before_two_groups_join() {
        // 0–1 and 2–3 are persons; 1–2 a doubtful pair; 0–3 was never compared but is clearly
        // different when it is.
        let scored = [(0, 1, 0.99), (2, 3, 0.99), (1, 2, 0.6)];
        let clusters = cluster(4, &scored, &[], 0.5, lookup(&scored), |a, b| {
            if (a, b) == (0, 3) { 0.001 } else { 0.5 }
        });
        assert_eq!(clusters.groups(), vec![vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn a_curators_decisions_win_over_the_scores() {
        // 0–1 scored apart but decided one person; 2–3 scored one person but decided apart.
        let scored = [(0, 1, 0.01), (2, 3, 0.99)];
        let apart = |x, y| (x, y) == (2, 3);
        let clusters = cluster(
            4,
            &scored,
            &[(0, 1)],
            0.5,
            |x, y| {
                if apart(x, y) {
                    Some(0.0)
                } else {
                    lookup(&scored)(x, y)
                }
            },
            |_, _| 0.5,
        );
        assert_eq!(clusters.groups(), vec![vec![0, 1]]);
    }

    #[test]
    fn matched_pairs_join_transitively_when_nothing_disagrees() {
        let scored = [(0, 1, 0.99), (1, 2, 0.9), (3, 4, 0.4)];
        let clusters = cluster(5, &scored, &[], 0.5, lookup(&scored), |_, _| 0.5);
        assert_eq!(clusters.groups(), vec![vec![0, 1, 2]]);
        assert!(clusters.refused.is_empty());
    }
}
