//! `yodnoma link` over a real store: generated records with their true persons, imported in
//! two parts; persons built, the second part linked incrementally, runs idempotent, curators'
//! decisions winning over the model on every later run, and undone.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;

use yodnoma::link::link_store;
use yodnoma_core::{PersonId, SourceName};
use yodnoma_db::Store;

/// Writes `count` generated records as two CSV files (the first `split` rows, then the rest)
/// and returns the true person of each record in file order.
fn generated(dir: &Path, count: u64, split: usize) -> Vec<String> {
    let mut all = Vec::new();
    yodnoma_gen::write_records(&yodnoma_gen::GenConfig { count, seed: 1944 }, &mut all).unwrap();
    let text = String::from_utf8(all).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let truth_at = headers.iter().position(|h| h == "true_person").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    for (name, part) in [("a.csv", &rows[..split]), ("b.csv", &rows[split..])] {
        let mut writer = csv::Writer::from_path(dir.join(name)).unwrap();
        writer.write_record(&headers).unwrap();
        for row in part {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
    }
    rows.iter().map(|r| r[truth_at].to_owned()).collect()
}

/// The person of each record, in the order records were stored (their file order).
async fn persons(store: &Store) -> Vec<PersonId> {
    store
        .link_records()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.person)
        .collect()
}

/// The source generated records are imported into.
fn generated_source() -> SourceName {
    SourceName::parse("generated").unwrap()
}

/// A store in a fresh directory holding the first `split` of `count` generated records (the
/// rest in `b.csv` beside it), with the true person of each record in file order.
async fn imported(count: u64, split: usize) -> (tempfile::TempDir, Store, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let truth = generated(dir.path(), count, split);
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    yodnoma::import::import_file(&store, &dir.path().join("a.csv"), &generated_source(), None)
        .await
        .unwrap();
    (dir, store, truth)
}

/// Imports `row` again, alone, under the generated source: a corrected record.
async fn import_again(store: &Store, dir: &Path, headers: &csv::StringRecord, row: &[String]) {
    let file = dir.join("fix.csv");
    let mut writer = csv::Writer::from_path(&file).unwrap();
    writer.write_record(headers).unwrap();
    writer.write_record(row).unwrap();
    writer.flush().unwrap();
    yodnoma::import::import_file(store, &file, &generated_source(), None)
        .await
        .unwrap();
}

/// Pairwise precision and recall of `found` against `truth` over the first `n` records.
fn quality(found: &[PersonId], truth: &[String]) -> (f64, f64) {
    let n = found.len();
    let (mut both, mut found_pairs, mut true_pairs) = (0u64, 0u64, 0u64);
    let count = |key: &mut HashMap<(String, String), u64>, k: (String, String)| {
        let c = key.entry(k).or_default();
        *c += 1;
        *c - 1
    };
    let (mut by_both, mut by_found, mut by_truth) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    for i in 0..n {
        both += count(&mut by_both, (found[i].to_string(), truth[i].clone()));
        found_pairs += count(&mut by_found, (found[i].to_string(), String::new()));
        true_pairs += count(&mut by_truth, (truth[i].clone(), String::new()));
    }
    (
        both as f64 / found_pairs.max(1) as f64,
        both as f64 / true_pairs.max(1) as f64,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn linking_builds_persons_incrementally_and_curators_decisions_win() {
    let (dir, store, truth) = imported(3000, 2400).await;

    // The first run compares everything and builds persons close to the true ones.
    let first = link_store(&store, None, false).await.unwrap();
    assert!(first.full);
    assert_eq!(first.new_records, 2400);
    let found = persons(&store).await;
    let (precision, recall) = quality(&found, &truth);
    assert!(
        precision >= 0.97 && recall >= 0.9,
        "P {precision} R {recall}"
    );
    assert!(first.persons_after < 2400 && first.records_moved > 0);

    // Nothing new: nothing compared, nothing changed.
    let again = link_store(&store, None, false).await.unwrap();
    assert_eq!(again.new_records, 0);
    assert_eq!(persons(&store).await, found);

    // The second part is compared with what is there, not everything again.
    yodnoma::import::import_file(&store, &dir.path().join("b.csv"), &generated_source(), None)
        .await
        .unwrap();
    let second = link_store(&store, None, false).await.unwrap();
    assert!(!second.full);
    assert_eq!(second.new_records, 600);
    assert!(second.compared < first.compared, "{second:?} {first:?}");
    let before = found;
    let found = persons(&store).await;
    let (precision, recall) = quality(&found, &truth);
    assert!(
        precision >= 0.97 && recall >= 0.9,
        "P {precision} R {recall}"
    );
    // Records linked before stay together, and nearly all keep their person's id.
    for i in 0..2400 {
        for j in i + 1..2400 {
            if before[i] == before[j] {
                assert_eq!(found[i], found[j], "records {i} and {j} were parted");
            }
        }
    }
    let kept = (0..2400).filter(|i| found[*i] == before[*i]).count();
    assert!(
        kept * 100 >= 2400 * 95,
        "{kept} of 2400 kept their person id"
    );
    let records = store.link_records().await.unwrap();

    // A curator splits two records the model joined, and joins two it kept apart.
    let (split_a, split_b) = (0..records.len())
        .flat_map(|i| (i + 1..records.len()).map(move |j| (i, j)))
        .find(|(i, j)| found[*i] == found[*j])
        .unwrap();
    let (join_a, join_b) = (0..records.len())
        .flat_map(|i| (i + 1..records.len()).map(move |j| (i, j)))
        .find(|(i, j)| {
            // Away from the split: a stranger joined to its person would keep it apart.
            found[*i] != found[*j]
                && found[*i] != found[split_a]
                && found[*j] != found[split_a]
                && truth[*i] != truth[*j]
                && records[*i].values[0] != records[*j].values[0]
        })
        .unwrap();
    let (apart, _) = store
        .decide_link(
            (records[split_a].row, records[split_b].row),
            false,
            ("curator", None),
            None,
            store.new_person_id(),
        )
        .await
        .unwrap();
    let (_, merged) = store
        .decide_link(
            (records[join_a].row, records[join_b].row),
            true,
            ("curator", Some("one man, two names")),
            None,
            store.new_person_id(),
        )
        .await
        .unwrap();
    let after = persons(&store).await;
    assert_ne!(after[split_a], after[split_b]);
    assert_eq!(after[join_a], after[join_b]);
    // The person whose records all moved redirects to the one they joined.
    let gone = merged
        .iter()
        .find(|p| !after.contains(p))
        .expect("one person was merged away");
    assert_eq!(
        store.person_redirect(gone).await.unwrap().as_ref(),
        Some(&after[join_a])
    );
    // Harvesters hear of it as a deleted record, dated by the merge.
    let deleted = store
        .harvest_one(yodnoma_db::HarvestKind::Person, gone.as_str())
        .await
        .unwrap()
        .expect("the merged id answers");
    assert!(
        deleted.deleted && deleted.datestamp.len() == 20,
        "{deleted:?}"
    );
    let listed = store
        .harvest(
            yodnoma_db::HarvestKind::Person,
            &yodnoma_db::HarvestQuery::default(),
            "",
            1_000_000,
        )
        .await
        .unwrap();
    assert!(listed.iter().any(|i| i.id == gone.as_str() && i.deleted));
    assert!(
        listed
            .iter()
            .filter(|i| !i.deleted)
            .all(|i| after.iter().any(|p| p.as_str() == i.id)),
        "every other item is a person"
    );

    // A full run re-decides everything but the curators' pairs.
    let full = link_store(&store, None, true).await.unwrap();
    assert!(full.full && full.decisions_applied >= 2);
    let after = persons(&store).await;
    assert_ne!(after[split_a], after[split_b]);
    assert_eq!(after[join_a], after[join_b]);

    // Undone, the split no longer holds: the model joins them again.
    store.undo_link_decision(apart, "curator").await.unwrap();
    link_store(&store, None, true).await.unwrap();
    let after = persons(&store).await;
    assert_eq!(after[split_a], after[split_b]);
    assert!(store.undo_link_decision(apart, "curator").await.is_err());

    // Every change of a person's records is in the audit log.
    let log = store.audit_log(100_000).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "link" && e.actor == "yodnoma link")
    );
    assert!(
        log.iter()
            .any(|e| e.action == "link decision" && e.actor == "curator")
    );
    // The undone split is kept, marked (its record had moved on since, so nothing moved back).
    let decisions = store.recent_link_decisions(100).await.unwrap();
    assert!(
        decisions
            .iter()
            .any(|d| d.id == apart && d.undone_at.is_some())
    );
    // And why the records of a person are one is kept pair by pair.
    let pairs = store.pairs_of_person(&after[join_a]).await.unwrap();
    assert!(pairs.iter().any(|p| p.explanation.contains("\"surname\"")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decisions_undo_only_what_they_did_and_a_merge_overrules_a_split() {
    let (_dir, store, _truth) = imported(10, 10).await;
    let records = store.link_records().await.unwrap();
    let row = |i: usize| records[i].row;
    let person = |i: usize| records[i].person.clone();
    let new = || store.new_person_id();

    // r1 joins r0's person; then both join r2's; undoing the first then moves nothing, as r1
    // is no longer where it put it, and every old id still leads to where its records are.
    let (first, _) = store
        .decide_link((row(0), row(1)), true, ("curator", None), None, new())
        .await
        .unwrap();
    store
        .decide_link((row(2), row(0)), true, ("curator", None), None, new())
        .await
        .unwrap();
    let undone = store.undo_link_decision(first, "curator").await.unwrap();
    let now = persons(&store).await;
    assert_eq!(
        (now[0].clone(), now[1].clone()),
        (person(2), person(2)),
        "{undone:?}"
    );
    // The decision says that its record stayed, instead of claiming the undo whole.
    assert_eq!(undone.stayed, 1);
    let listed = store.recent_link_decisions(10).await.unwrap();
    let first_listed = listed.iter().find(|d| d.id == first).unwrap();
    assert_eq!(
        (first_listed.undo_stayed, first_listed.undone_at.is_some()),
        (1, true)
    );
    assert_eq!(
        store.person_redirect(&person(0)).await.unwrap(),
        Some(person(2))
    );
    assert_eq!(
        store.person_redirect(&person(1)).await.unwrap(),
        Some(person(2))
    );

    // "Not one person", then "one person": the merge retires the earlier decision, so that the
    // next run does not part them again.
    store
        .decide_link((row(3), row(4)), false, ("curator", None), None, new())
        .await
        .unwrap();
    store
        .decide_link((row(3), row(4)), true, ("curator", None), None, new())
        .await
        .unwrap();
    let active = store.active_link_decisions().await.unwrap();
    let about = |a: i64, b: i64| {
        active
            .iter()
            .filter(|d| (d.record_a, d.record_b) == (a.min(b), a.max(b)))
            .map(|d| d.same_person)
            .collect::<Vec<_>>()
    };
    assert_eq!(about(row(3), row(4)), vec![true]);

    // The same decision twice (a double click) is refused: a duplicate would outlive the
    // undo of the first.
    assert!(matches!(
        store
            .decide_link((row(3), row(4)), true, ("curator", None), None, new())
            .await,
        Err(yodnoma_db::DbError::Invalid(_))
    ));
    // A decision on what the page showed: when a record has changed persons since, nothing
    // moves.
    let before = persons(&store).await;
    let stale = store
        .decide_link(
            (row(5), row(6)),
            true,
            ("curator", None),
            Some((&person(5), &person(2))),
            new(),
        )
        .await;
    assert!(
        matches!(stale, Err(yodnoma_db::DbError::Invalid(_))),
        "{stale:?}"
    );
    assert_eq!(persons(&store).await, before);

    // Undoing a merge brings back the "not one person" it set aside, so that the next run
    // does not join them along the way it overruled.
    let (apart, _) = store
        .decide_link((row(7), row(8)), false, ("curator", None), None, new())
        .await
        .unwrap();
    let (merge, _) = store
        .decide_link((row(7), row(8)), true, ("curator", None), None, new())
        .await
        .unwrap();
    store.undo_link_decision(merge, "curator").await.unwrap();
    let active: Vec<i64> = store
        .active_link_decisions()
        .await
        .unwrap()
        .iter()
        .map(|d| d.id)
        .collect();
    assert!(
        active.contains(&apart) && !active.contains(&merge),
        "{active:?}"
    );
    // Each decision and each undo is in the audit log, those that moved nothing too.
    let audited = store.audit_log(100).await.unwrap();
    for (action, decision) in [
        ("link decision", apart),
        ("link decision", merge),
        ("undo link decision", merge),
    ] {
        assert!(
            audited
                .iter()
                .any(|e| e.action == action && e.subject == format!("link decision {decision}")),
            "{action} {decision}"
        );
    }
}

/// A list without a `category` column stores the default, `served`; linkage reads `served` as
/// not given (a list that writes it cannot be told from one that does not), so that a draft
/// list does not disagree with a prisoner-of-war card of the same man. Other categories, and
/// fates, are compared as written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_category_is_not_compared_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let draft = dir.path().join("draft.csv");
    std::fs::write(
        &draft,
        "record_id,surname,given_name,fate\n1,Уразов,Ахмед,missing\n",
    )
    .unwrap();
    let cards = dir.path().join("cards.csv");
    std::fs::write(
        &cards,
        "record_id,surname,given_name,category\n1,Уразов,Ахмед,pow\n2,Уразов,Ахмед,served\n",
    )
    .unwrap();
    for (file, source) in [(&draft, "draft"), (&cards, "cards")] {
        let source = SourceName::parse(source).unwrap();
        yodnoma::import::import_file(&store, file, &source, None)
            .await
            .unwrap();
    }
    let at = |name: &str| {
        yodnoma_db::LinkRecord::FIELDS
            .iter()
            .position(|f| *f == name)
            .unwrap()
    };
    let values: Vec<(String, String)> = store
        .link_records()
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.values[at("category")].clone(),
                r.values[at("fate")].clone(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            (String::new(), "missing".to_owned()),
            ("pow".to_owned(), String::new()),
            (String::new(), String::new()),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undoing_a_merge_points_back_the_ids_that_followed_it() {
    let (_dir, store, _truth) = imported(10, 10).await;
    let records = store.link_records().await.unwrap();
    let row = |i: usize| records[i].row;
    let person = |i: usize| records[i].person.clone();
    let new = || store.new_person_id();

    // r1's person merges into r0's (its id now leads there), then r0's into r2's: both old
    // ids lead to r2's person.
    store
        .decide_link((row(0), row(1)), true, ("curator", None), None, new())
        .await
        .unwrap();
    let (second, _) = store
        .decide_link((row(2), row(0)), true, ("curator", None), None, new())
        .await
        .unwrap();
    assert_eq!(
        store.person_redirect(&person(1)).await.unwrap(),
        Some(person(2))
    );
    // Undoing the second merge gives r0's person its records back, and r1's old id leads to
    // it again, where r1 is, not to r2's person.
    let undone = store.undo_link_decision(second, "curator").await.unwrap();
    assert_eq!(undone.stayed, 0);
    let now = persons(&store).await;
    assert_eq!((now[0].clone(), now[1].clone()), (person(0), person(0)));
    assert_eq!(store.person_redirect(&person(0)).await.unwrap(), None);
    assert_eq!(
        store.person_redirect(&person(1)).await.unwrap(),
        Some(person(0))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_merge_holds_for_all_its_records_on_a_full_run() {
    let (_dir, store, truth) = imported(600, 600).await;
    link_store(&store, None, true).await.unwrap();
    let records = store.link_records().await.unwrap();
    // Two persons of two records or more each, of different true persons.
    let mut members: HashMap<PersonId, Vec<usize>> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        members.entry(r.person.clone()).or_default().push(i);
    }
    let mut multi: Vec<&Vec<usize>> = members.values().filter(|m| m.len() >= 2).collect();
    multi.sort();
    let first = multi[0];
    let second = multi
        .iter()
        .find(|m| truth[m[0]] != truth[first[0]])
        .expect("two persons");
    let (a, b) = (records[first[0]].row, records[second[0]].row);
    store
        .decide_link((a, b), true, ("curator", None), None, store.new_person_id())
        .await
        .unwrap();
    // A full run keeps every record of the two together, not only the pair decided.
    link_store(&store, None, true).await.unwrap();
    let now = persons(&store).await;
    let merged: Vec<&PersonId> = first
        .iter()
        .chain(second.iter())
        .map(|&i| &now[i])
        .collect();
    assert!(merged.iter().all(|p| *p == merged[0]), "{merged:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_imported_again_is_linked_again() {
    let (dir, store, _truth) = imported(300, 300).await;
    link_store(&store, None, false).await.unwrap();
    let unchanged = link_store(&store, None, false).await.unwrap();
    assert_eq!(unchanged.new_records, 0);
    // One record corrected and imported again: the next run compares it again, and it only.
    let mut reader = csv::Reader::from_path(dir.path().join("a.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let given = headers.iter().position(|h| h == "given_name").unwrap();
    let mut row: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    row[given] = "Исправленный".to_owned();
    import_again(&store, dir.path(), &headers, &row).await;
    let again = link_store(&store, None, false).await.unwrap();
    assert!(!again.full);
    assert_eq!(again.new_records, 1);
    assert_eq!(
        link_store(&store, None, false).await.unwrap().new_records,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_changed_beyond_recognition_keeps_no_old_pair() {
    let (dir, store, _truth) = imported(300, 300).await;
    let file = dir.path().join("a.csv");
    link_store(&store, None, false).await.unwrap();
    // A record waiting for review beside another, imported again as nobody like it.
    let records = store.link_records().await.unwrap();
    let review = store.review_pairs(1000, 0).await.unwrap();
    let paired = review.first().expect("a pair to review").a.row;
    let index = records.iter().position(|r| r.row == paired).unwrap();
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut row: Vec<String> = reader
        .records()
        .nth(index)
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for (i, name) in headers.iter().enumerate() {
        match name {
            "surname" => row[i] = "Zzyzxová".to_owned(),
            "given_name" => row[i] = "Qwertyuiop".to_owned(),
            "patronymic" | "birth_date" | "birth_place" | "region" | "death_date" => row[i].clear(),
            _ => {}
        }
    }
    import_again(&store, dir.path(), &headers, &row).await;
    link_store(&store, None, false).await.unwrap();
    for pair in store.review_pairs(1000, 0).await.unwrap() {
        assert!(
            pair.a.row != paired && pair.b.row != paired,
            "an old pair of the changed record waits for review: {pair:?}"
        );
    }
}
