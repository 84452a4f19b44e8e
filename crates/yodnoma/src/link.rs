//! `yodnoma link`: groups the stored source records into persons with the linkage engine.
//!
//! The first run (or `--full`) compares every record; later runs compare only the records
//! stored since the last run, with the model that run learned, and keep the persons it made.
//! Curators' decisions win on every run: a pair decided one person is joined first, a pair
//! decided apart is never joined. A person keeps its id as long as it keeps most of its
//! records, so that links to it stay valid; an id merged away redirects. Only `person_id`
//! moves: no field of a record is changed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use std::io::IsTerminal;

use anyhow::Context;
use indicatif::ProgressBar;
use yodnoma_core::PersonId;
use yodnoma_db::{LinkPair, LinkRecord, LinkWrite, MovedRecord, Store};
use yodnoma_linkage::{Dataset, Decision, Field, FieldKind, Linkage, Options};
use yodnoma_search::SearchIndex;

/// What a run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkSummary {
    pub full: bool,
    pub records: usize,
    pub new_records: usize,
    pub compared: usize,
    pub matched_pairs: usize,
    pub review_pairs: usize,
    pub persons_before: usize,
    pub persons_after: usize,
    pub records_moved: usize,
    pub decisions_applied: usize,
    pub seconds: f64,
    /// Set when the records were linked but the search index could not be updated.
    #[serde(skip)]
    pub index_problem: Option<String>,
}

/// The fields compared, of the kinds the registry's columns hold.
pub fn fields() -> Vec<Field> {
    let kinds: [FieldKind; LinkRecord::FIELDS.len()] = [
        FieldKind::Name,
        FieldKind::Name,
        FieldKind::Name,
        FieldKind::Date,
        FieldKind::Place,
        FieldKind::Place,
        FieldKind::Text,
        FieldKind::Date,
        FieldKind::Category,
        FieldKind::Category,
    ];
    LinkRecord::FIELDS
        .iter()
        .zip(kinds)
        .map(|(name, kind)| Field {
            name: (*name).to_owned(),
            kind,
        })
        .collect()
}

/// The explanation of a pair as stored: `[{"field", "level", "weight"}]`, weight null when a
/// value was missing.
fn explanation(dataset: &Dataset, linkage: &Linkage, pair: &yodnoma_linkage::PairResult) -> String {
    let mut parts: Vec<serde_json::Value> = dataset
        .fields
        .iter()
        .zip(pair.levels.iter().zip(&pair.weights))
        .map(|(field, (level, weight))| {
            let level = match weight {
                Some(_) => yodnoma_linkage::compare::levels(field.kind)
                    .get(usize::from(*level))
                    .copied()
                    .unwrap_or("?"),
                None => "missing",
            };
            serde_json::json!({
                "field": field.name,
                "level": level,
                "weight": weight.map(|w| (w * 10.0).round() / 10.0),
            })
        })
        .collect();
    parts.push(serde_json::json!({
        "field": "prior",
        "level": "",
        "weight": (linkage.model.prior_weight() * 10.0).round() / 10.0,
    }));
    serde_json::Value::Array(parts).to_string()
}

/// Links the store's records into persons and brings the search index up to date.
pub async fn link_store(
    store: &Store,
    index: Option<&SearchIndex>,
    full: bool,
) -> anyhow::Result<LinkSummary> {
    let started = Instant::now();
    let started_at = yodnoma_db::now();
    // A run over a million records takes minutes: a terminal is told which step it is in.
    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    progress.set_message("reading the records");
    let records = store.link_records().await?;
    // A run with other fields or levels (an older version's) cannot be continued: its model
    // would be learned again from the new records alone. Everything is compared again.
    let previous = if full {
        None
    } else {
        store.last_link_run().await?.filter(|run| {
            serde_json::from_str::<yodnoma_linkage::Model>(&run.model)
                .is_ok_and(|model| model.fits(&fields()))
        })
    };
    // New: records stored after the last run, and those imported again since it (a corrected
    // name must be compared again). The others come first, in row order.
    let mut records = records;
    let mut recompared: Vec<i64> = Vec::new();
    let new_from = match &previous {
        None => 0,
        Some(run) => {
            recompared = store.rows_imported_since(run.id).await?;
            let changed: HashSet<i64> = recompared.iter().copied().collect();
            let is_new = |r: &LinkRecord| r.row > run.last_record || changed.contains(&r.row);
            records.sort_by_key(|r| (is_new(r), r.row));
            records.partition_point(|r| !is_new(r))
        }
    };
    let last_record = records.iter().map(|r| r.row).max().unwrap_or(0);
    let persons_before = {
        let mut ids: Vec<&PersonId> = records.iter().map(|r| &r.person).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let mut summary = LinkSummary {
        full: previous.is_none(),
        records: records.len(),
        new_records: records.len() - new_from,
        compared: 0,
        matched_pairs: 0,
        review_pairs: 0,
        persons_before,
        persons_after: persons_before,
        records_moved: 0,
        decisions_applied: 0,
        seconds: 0.0,
        index_problem: None,
    };
    if summary.new_records == 0 {
        summary.seconds = started.elapsed().as_secs_f64();
        progress.finish_and_clear();
        return Ok(summary);
    }

    let index_of: HashMap<i64, u32> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((r.row, u32::try_from(i).ok()?)))
        .collect();
    let mut options = Options::default();
    // The latest decision about a pair is the one that holds.
    let mut decided: BTreeMap<(u32, u32), bool> = BTreeMap::new();
    for decision in store.active_link_decisions().await? {
        if let (Some(a), Some(b)) = (
            index_of.get(&decision.record_a),
            index_of.get(&decision.record_b),
        ) {
            decided.insert((*a, *b), decision.same_person);
        }
    }
    summary.decisions_applied = decided.len();
    for (pair, same) in decided {
        if same {
            options.same.push(pair);
        } else {
            options.apart.push(pair);
        }
    }
    if let Some(run) = &previous {
        // The persons linked before stay as they are; new records join them or not.
        let mut first_of: HashMap<&PersonId, u32> = HashMap::new();
        for (i, record) in records[..new_from].iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { continue };
            match first_of.get(&record.person) {
                Some(first) => options.same.push((*first, i)),
                None => {
                    first_of.insert(&record.person, i);
                }
            }
        }
        options.new_from = Some(new_from);
        options.model = serde_json::from_str(&run.model).ok();
    }

    let rows: Vec<i64> = records.iter().map(|r| r.row).collect();
    let current: Vec<PersonId> = records.iter().map(|r| r.person.clone()).collect();
    let dataset = Dataset::dedupe(
        fields(),
        records
            .into_iter()
            .map(|r| (r.row.to_string(), r.values))
            .collect(),
    );
    progress.set_message(format!(
        "comparing and weighing {} records ({} new)",
        summary.records, summary.new_records
    ));
    let (dataset, linkage) = tokio::task::spawn_blocking(move || {
        let linkage = yodnoma_linkage::link_with(&dataset, &[], options);
        (dataset, linkage)
    })
    .await
    .context("the linking task failed")?;
    summary.compared = linkage.compared;

    let mut groups: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (record, group) in linkage.clusters.group.iter().enumerate() {
        groups.entry(*group).or_default().push(record);
    }
    let groups: Vec<Vec<usize>> = groups.into_values().collect();
    let chosen = keep_ids(&groups, &current);
    let mut assigned: Vec<Option<PersonId>> = vec![None; current.len()];
    for (members, id) in groups.iter().zip(chosen) {
        let id = id.unwrap_or_else(|| store.new_person_id());
        for &r in members {
            assigned[r] = Some(id.clone());
        }
    }
    let moved: Vec<MovedRecord> = assigned
        .iter()
        .enumerate()
        .filter_map(|(r, to)| {
            let to = to.as_ref()?;
            (*to != current[r]).then(|| MovedRecord {
                row: rows[r],
                from: current[r].clone(),
                to: to.clone(),
            })
        })
        .collect();
    let pairs: Vec<LinkPair> = linkage
        .pairs
        .iter()
        .map(|p| LinkPair {
            record_a: rows[p.left as usize],
            record_b: rows[p.right as usize],
            probability: p.probability,
            matched: p.decision == Decision::Match,
            explanation: explanation(&dataset, &linkage, p),
        })
        .collect();
    summary.matched_pairs = pairs.iter().filter(|p| p.matched).count();
    summary.review_pairs = pairs.len() - summary.matched_pairs;
    summary.records_moved = moved.len();
    summary.persons_after = groups.len();
    summary.seconds = started.elapsed().as_secs_f64();
    let write = LinkWrite {
        moved,
        pairs,
        full_run: previous.is_none(),
        recompared,
        last_record,
        model: serde_json::to_string(&linkage.model).context("the model")?,
        summary: serde_json::to_string(&summary).context("the summary")?,
    };
    drop(linkage);
    drop(dataset);
    progress.set_message(format!("writing {} moved records", write.moved.len()));
    // Marked until the moved records' persons are in the index: a run killed between leaves
    // the index to be rebuilt at the next start.
    let pending = index.map(SearchIndex::pending).transpose()?;
    let changed = store.write_linkage(write, &started_at).await?;
    progress.set_message("updating the search index");
    if let Some(index) = index
        && let Err(problem) = reindex(store, index, &changed).await
    {
        let _ = index.mark_stale();
        summary.index_problem = Some(format!("{problem:#}"));
    }
    if let Some(pending) = pending {
        pending.done();
    }
    summary.seconds = started.elapsed().as_secs_f64();
    progress.finish_and_clear();
    Ok(summary)
}

/// Puts the changed persons into the index again and removes those merged away; with many
/// changes, rebuilds it.
pub async fn reindex(
    store: &Store,
    index: &SearchIndex,
    changed: &[PersonId],
) -> anyhow::Result<()> {
    // Reading persons one by one costs a query each: past a few tens of thousands, reading
    // them all in one stream is faster.
    if changed.len() > 20_000 {
        crate::indexing::rebuild(store, index).await?;
        return Ok(());
    }
    let written = yodnoma_web::reindex_persons(store, index, changed)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    // It marks the index when it could not write it, instead of failing the run after it.
    if !written {
        anyhow::bail!("the index could not take the change, and is marked to be rebuilt");
    }
    Ok(())
}

/// The id each group of records keeps: each id stays with the group that holds the most of its
/// records (the largest shares settled first), so that a person's page shows most of what it
/// showed. `None`: the group has none of its records' ids left, and gets a new one. An id goes
/// to one group only.
fn keep_ids(groups: &[Vec<usize>], current: &[PersonId]) -> Vec<Option<PersonId>> {
    let mut shares: BTreeMap<(usize, &PersonId), usize> = BTreeMap::new();
    for (g, members) in groups.iter().enumerate() {
        for &r in members {
            *shares.entry((g, &current[r])).or_default() += 1;
        }
    }
    let mut shares: Vec<((usize, &PersonId), usize)> = shares.into_iter().collect();
    shares.sort_by(|(a, n), (b, m)| m.cmp(n).then(a.cmp(b)));
    let mut claimed: HashSet<&PersonId> = HashSet::new();
    let mut chosen: Vec<Option<PersonId>> = vec![None; groups.len()];
    for ((g, id), _) in shares {
        if chosen[g].is_none() && claimed.insert(id) {
            chosen[g] = Some(id.clone());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_stays_with_the_group_holding_most_of_its_records() {
        let id = |n: u64| PersonId::from_time_and_sequence(n, 0);
        // Person 1 had ten records: three go with five records of persons 2–6 (a group of
        // eight), seven make a group of their own. The larger group is not the larger share.
        let mut current: Vec<PersonId> = vec![id(1); 10];
        current.extend((2..=6).map(id));
        let groups = vec![
            [0, 1, 2, 10, 11, 12, 13, 14].to_vec(),
            [3, 4, 5, 6, 7, 8, 9].to_vec(),
        ];
        let chosen = keep_ids(&groups, &current);
        assert_eq!(chosen[1], Some(id(1)));
        assert_eq!(
            chosen[0],
            Some(id(2)),
            "the group keeps one of its other ids"
        );
        // A group whose only id went elsewhere gets none.
        let chosen = keep_ids(&[vec![0, 1], vec![2]], &[id(1), id(1), id(1)]);
        assert_eq!(chosen, vec![Some(id(1)), None]);
    }
}
