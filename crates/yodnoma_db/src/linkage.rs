//! Record linkage in the store: the fields linkage compares, the outcome of a run written in
//! one transaction (records moved between persons, the pairs that explain them, redirects of
//! merged person ids, audit entries), and curators' decisions with their undo.
//!
//! Linking never changes a source record's fields: only `person_id` moves.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use sqlx::{AssertSqlSafe, Row};
use yodnoma_core::PersonId;

use crate::{DbError, Result, Store, audit, now};

/// The fields of a record that linkage compares, with where the record is now.
#[derive(Debug, Clone)]
pub struct LinkRecord {
    /// The record's row id: stable across re-imports of the same `(source, record_id)`.
    pub row: i64,
    pub person: PersonId,
    /// In the order of [`LinkRecord::FIELDS`]; empty when not given.
    pub values: Vec<String>,
}

impl LinkRecord {
    /// The columns compared, each a field of the linkage model.
    pub const FIELDS: [&'static str; 10] = [
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "birth_place",
        "region",
        "nationality",
        "death_date",
        "category",
        "fate",
    ];
}

/// The last run of `yodnoma link`.
#[derive(Debug, Clone)]
pub struct LinkRun {
    pub id: i64,
    pub last_record: i64,
    /// The model it used, as JSON.
    pub model: String,
}

/// A curator's decision about two records.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LinkDecision {
    pub id: i64,
    pub record_a: i64,
    pub record_b: i64,
    pub same_person: bool,
    pub actor: String,
    pub note: Option<String>,
    pub decided_at: String,
    pub undone_at: Option<String>,
    /// Records the undo left where they were, because they had moved again since.
    pub undo_stayed: i64,
    /// The two records as people name them: `source / record_id`.
    pub names: (String, String),
}

/// What undoing a decision did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    /// The persons whose records changed.
    pub changed: Vec<PersonId>,
    /// Records the decision moved that had moved again since, and stayed.
    pub stayed: usize,
}

/// A record that changes person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MovedRecord {
    pub row: i64,
    pub from: PersonId,
    pub to: PersonId,
}

/// A pair worth keeping: its probability, whether the run put it in one person, and the JSON
/// explanation (the weight each field added).
#[derive(Debug, Clone)]
pub struct LinkPair {
    pub record_a: i64,
    pub record_b: i64,
    pub probability: f64,
    pub matched: bool,
    pub explanation: String,
}

/// Everything a run writes, in one transaction.
#[derive(Debug, Default)]
pub struct LinkWrite {
    pub moved: Vec<MovedRecord>,
    pub pairs: Vec<LinkPair>,
    /// Whether the run compared every record (its pairs replace all kept pairs).
    pub full_run: bool,
    /// Old records compared again (imported again since the last run): their kept pairs are
    /// replaced by this run's.
    pub recompared: Vec<i64>,
    pub last_record: i64,
    pub model: String,
    /// JSON summary of the run, for the audit log and `link_runs`.
    pub summary: String,
}

/// One side of a pair as a curator sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PairRecord {
    pub row: i64,
    pub person: String,
    pub source: String,
    pub record_id: String,
    /// In the order of [`LinkRecord::FIELDS`].
    pub values: Vec<String>,
}

/// A pair to review, or one that explains a merge.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReviewPair {
    pub a: PairRecord,
    pub b: PairRecord,
    pub probability: f64,
    pub matched: bool,
    pub explanation: String,
}

const PAIR_SELECT: &str = "SELECT p.probability, p.matched, p.explanation, \
    a.id, a.person_id, a.source, a.record_id, a.surname, a.given_name, a.patronymic, \
    a.birth_date, a.birth_place, a.region, a.nationality, a.death_date, NULLIF(a.category, 'served'), a.fate, \
    b.id, b.person_id, b.source, b.record_id, b.surname, b.given_name, b.patronymic, \
    b.birth_date, b.birth_place, b.region, b.nationality, b.death_date, NULLIF(b.category, 'served'), b.fate \
    FROM link_pairs p JOIN source_records a ON a.id = p.record_a \
    JOIN source_records b ON b.id = p.record_b";

fn pair_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ReviewPair> {
    let side = |at: usize| -> Result<PairRecord> {
        let mut values = Vec::with_capacity(LinkRecord::FIELDS.len());
        for k in 0..LinkRecord::FIELDS.len() {
            let value: Option<String> = row.try_get(at + 4 + k)?;
            values.push(value.unwrap_or_default());
        }
        Ok(PairRecord {
            row: row.try_get(at)?,
            person: row.try_get(at + 1)?,
            source: row.try_get(at + 2)?,
            record_id: row.try_get(at + 3)?,
            values,
        })
    };
    Ok(ReviewPair {
        probability: row.try_get(0)?,
        matched: row.try_get::<i64, _>(1)? != 0,
        explanation: row.try_get(2)?,
        a: side(3)?,
        b: side(3 + 4 + LinkRecord::FIELDS.len())?,
    })
}

fn person_id(text: &str) -> Result<PersonId> {
    PersonId::parse(text).map_err(|e| DbError::Corrupt(e.to_string()))
}

/// The records of each person before and after `moved`, for the audit log: person → rows.
fn audit_states(
    moved: &[MovedRecord],
    members: &BTreeMap<String, BTreeSet<i64>>,
) -> Vec<(String, String, String)> {
    let mut after = members.clone();
    for m in moved {
        if let Some(rows) = after.get_mut(m.from.as_str()) {
            rows.remove(&m.row);
        }
        after.entry(m.to.to_string()).or_default().insert(m.row);
    }
    after
        .iter()
        .filter(|(person, rows)| members.get(*person) != Some(*rows))
        .map(|(person, rows)| {
            let before = members.get(person).cloned().unwrap_or_default();
            let json = |rows: &BTreeSet<i64>| {
                serde_json::json!({ "records": rows.iter().collect::<Vec<_>>() }).to_string()
            };
            (person.clone(), json(&before), json(rows))
        })
        .collect()
}

/// The records of each person, before a change: for the audit log.
async fn members_of<'a>(
    tx: &mut sqlx::SqliteConnection,
    persons: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<String, BTreeSet<i64>>> {
    let mut members = BTreeMap::new();
    for person in persons {
        let rows: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM source_records WHERE person_id = $1")
                .bind(person)
                .fetch_all(&mut *tx)
                .await?;
        members.insert(person.to_owned(), rows.into_iter().collect());
    }
    Ok(members)
}

/// Moves each record that is still where `from` says, and returns those moved.
async fn move_where_still(
    tx: &mut sqlx::SqliteConnection,
    moved: &[MovedRecord],
) -> Result<Vec<MovedRecord>> {
    let mut done = Vec::with_capacity(moved.len());
    let at = now();
    for m in moved {
        let result = sqlx::query(
            "UPDATE source_records SET person_id = $1, moved_at = $4 \
             WHERE id = $2 AND person_id = $3",
        )
        .bind(m.to.as_str())
        .bind(m.row)
        .bind(m.from.as_str())
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        if result.rows_affected() == 1 {
            done.push(m.clone());
        }
    }
    // A person that lost a record has changed too, though none of its records moved.
    let losers: BTreeSet<&PersonId> = done.iter().map(|m| &m.from).collect();
    for person in losers {
        sqlx::query("UPDATE source_records SET moved_at = $1 WHERE person_id = $2")
            .bind(&at)
            .bind(person.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(done)
}

/// A redirect a change re-pointed: `old_id` went to `was`, which the change emptied, and now
/// goes to `now`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Redirected {
    old_id: String,
    was: String,
    now: String,
}

/// After records moved: an id left without records redirects to the person most of them went
/// to (and so do earlier redirects to it); an id that holds records again redirects no more.
/// Returns the earlier redirects re-pointed, which an undo points back.
async fn redirect_emptied(
    tx: &mut sqlx::SqliteConnection,
    moved: &[MovedRecord],
) -> Result<Vec<Redirected>> {
    let mut went: BTreeMap<&PersonId, BTreeMap<&PersonId, usize>> = BTreeMap::new();
    for m in moved {
        *went.entry(&m.from).or_default().entry(&m.to).or_default() += 1;
    }
    let mut redirected = Vec::new();
    for (old, to) in went {
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM source_records WHERE person_id = $1")
                .bind(old.as_str())
                .fetch_one(&mut *tx)
                .await?;
        let Some((new, _)) = to
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        else {
            continue;
        };
        if left > 0 {
            continue;
        }
        let followers: Vec<String> = sqlx::query_scalar(
            "UPDATE person_redirects SET new_id = $1 WHERE new_id = $2 RETURNING old_id",
        )
        .bind(new.as_str())
        .bind(old.as_str())
        .fetch_all(&mut *tx)
        .await?;
        redirected.extend(followers.into_iter().map(|old_id| Redirected {
            old_id,
            was: old.to_string(),
            now: new.to_string(),
        }));
        sqlx::query(
            "INSERT INTO person_redirects (old_id, new_id, at) VALUES ($1, $2, $3) \
             ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id",
        )
        .bind(old.as_str())
        .bind(new.as_str())
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
    }
    let holders: BTreeSet<&PersonId> = moved.iter().map(|m| &m.to).collect();
    for person in holders {
        sqlx::query("DELETE FROM person_redirects WHERE old_id = $1")
            .bind(person.as_str())
            .execute(&mut *tx)
            .await?;
    }
    Ok(redirected)
}

/// What `Store::move_records` did: the persons touched, the records that moved (those still
/// where the move expected them) and the redirects it re-pointed.
struct Moves {
    touched: Vec<PersonId>,
    done: usize,
    redirected: Vec<Redirected>,
}

impl Store {
    /// Every record's compared fields, in row order (the order records were first stored).
    /// A record whose list gave no part in the war is stored as `served`, the default, so
    /// `served` is read as not given: a draft list without the column does not disagree with
    /// a prisoner-of-war card of the same man.
    pub async fn link_records(&self) -> Result<Vec<LinkRecord>> {
        let mut rows = sqlx::query(
            "SELECT id, person_id, surname, given_name, patronymic, birth_date, birth_place, \
             region, nationality, death_date, NULLIF(category, 'served'), fate \
             FROM source_records ORDER BY id",
        )
        .fetch(&self.pool);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let mut values = Vec::with_capacity(LinkRecord::FIELDS.len());
            for k in 0..LinkRecord::FIELDS.len() {
                let value: Option<String> = row.try_get(2 + k)?;
                values.push(value.unwrap_or_default());
            }
            let person: String = row.try_get(1)?;
            out.push(LinkRecord {
                row: row.try_get(0)?,
                person: person_id(&person)?,
                values,
            });
        }
        Ok(out)
    }

    /// The records stored before run `run` and imported again after it began: their values
    /// may have changed since it compared them.
    pub async fn rows_imported_since(&self, run: i64) -> Result<Vec<i64>> {
        // The times are compared as times: RFC 3339 texts of several lengths of fraction do
        // not sort as text. A row's time is when it was written (see `upsert_sql`).
        Ok(sqlx::query_scalar(
            "SELECT r.id FROM source_records r, link_runs l WHERE l.id = $1 \
             AND r.id <= l.last_record AND julianday(r.imported_at) > julianday(l.started_at) \
             ORDER BY r.id",
        )
        .bind(run)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn last_link_run(&self) -> Result<Option<LinkRun>> {
        let row =
            sqlx::query("SELECT id, last_record, model FROM link_runs ORDER BY id DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| {
            Ok(LinkRun {
                id: row.try_get(0)?,
                last_record: row.try_get(1)?,
                model: row.try_get(2)?,
            })
        })
        .transpose()
    }

    /// Decisions not undone, oldest first (a later one about the same pair wins).
    pub async fn active_link_decisions(&self) -> Result<Vec<LinkDecision>> {
        self.link_decisions("WHERE d.undone_at IS NULL ORDER BY d.id", None)
            .await
    }

    /// The decisions about records of `person`, newest first, undone ones too.
    pub async fn link_decisions_of(&self, person: &PersonId) -> Result<Vec<LinkDecision>> {
        self.link_decisions(
            "WHERE d.parent IS NULL AND (a.person_id = $1 OR b.person_id = $1) \
             ORDER BY d.id DESC",
            Some(person.as_str()),
        )
        .await
    }

    /// The latest decisions, newest first.
    pub async fn recent_link_decisions(&self, limit: i64) -> Result<Vec<LinkDecision>> {
        self.link_decisions(
            &format!(
                "WHERE d.parent IS NULL ORDER BY d.id DESC LIMIT {}",
                limit.max(0)
            ),
            None,
        )
        .await
    }

    async fn link_decisions(&self, clause: &str, bind: Option<&str>) -> Result<Vec<LinkDecision>> {
        let sql = format!(
            "SELECT d.id, d.record_a, d.record_b, d.same_person, d.actor, d.note, d.decided_at, \
             d.undone_at, a.source || ' / ' || a.record_id, b.source || ' / ' || b.record_id, \
             d.undo_stayed \
             FROM link_decisions d JOIN source_records a ON a.id = d.record_a \
             JOIN source_records b ON b.id = d.record_b {clause}"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(bind) = bind {
            query = query.bind(bind.to_owned());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                Ok(LinkDecision {
                    id: row.try_get(0)?,
                    record_a: row.try_get(1)?,
                    record_b: row.try_get(2)?,
                    same_person: row.try_get::<i64, _>(3)? != 0,
                    actor: row.try_get(4)?,
                    note: row.try_get(5)?,
                    decided_at: row.try_get(6)?,
                    undone_at: row.try_get(7)?,
                    names: (row.try_get(8)?, row.try_get(9)?),
                    undo_stayed: row.try_get(10)?,
                })
            })
            .collect()
    }

    /// Writes a run's outcome in one transaction: records moved, redirects, pairs, one audit
    /// entry per person whose records changed, and the run itself. Returns the persons whose
    /// records changed (including those left with none).
    pub async fn write_linkage(&self, run: LinkWrite, started_at: &str) -> Result<Vec<PersonId>> {
        // The write lock first: a run reads the persons it moves, and a writer committing
        // meanwhile (a curator, an import) would fail the run's upgrade to writing, minutes of
        // comparing lost.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let touched: BTreeSet<&str> = run
            .moved
            .iter()
            .flat_map(|m| [m.from.as_str(), m.to.as_str()])
            .collect();
        let members = members_of(&mut tx, touched.iter().copied()).await?;
        // A curator may have moved a record while the run was comparing: the record stays
        // where the curator put it.
        let moved = move_where_still(&mut tx, &run.moved).await?;
        redirect_emptied(&mut tx, &moved).await?;
        if run.full_run {
            sqlx::query("DELETE FROM link_pairs")
                .execute(&mut *tx)
                .await?;
        }
        if !run.recompared.is_empty() {
            // One statement for them all: a re-imported file may bring a million.
            let rows = serde_json::to_string(&run.recompared)
                .map_err(|e| DbError::Invalid(e.to_string()))?;
            sqlx::query(
                "DELETE FROM link_pairs WHERE record_a IN (SELECT value FROM json_each($1)) \
                 OR record_b IN (SELECT value FROM json_each($1))",
            )
            .bind(rows)
            .execute(&mut *tx)
            .await?;
        }
        for pair in &run.pairs {
            sqlx::query(
                "INSERT INTO link_pairs (record_a, record_b, probability, matched, explanation) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (record_a, record_b) DO UPDATE SET \
                 probability = excluded.probability, matched = excluded.matched, \
                 explanation = excluded.explanation",
            )
            .bind(pair.record_a.min(pair.record_b))
            .bind(pair.record_a.max(pair.record_b))
            .bind(pair.probability)
            .bind(i64::from(pair.matched))
            .bind(&pair.explanation)
            .execute(&mut *tx)
            .await?;
        }
        let at = now();
        for (person, before, after) in audit_states(&moved, &members) {
            let change = audit::Change {
                actor: "yodnoma link",
                action: "link",
                subject: &format!("person {person}"),
                before: Some(&before),
                after: Some(&after),
            };
            audit::record(&mut tx, &at, change).await?;
        }
        sqlx::query(
            "INSERT INTO link_runs (started_at, finished_at, last_record, full_run, model, summary) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(started_at)
        .bind(&at)
        .bind(run.last_record)
        .bind(i64::from(run.full_run))
        .bind(&run.model)
        .bind(&run.summary)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        touched.into_iter().map(person_id).collect()
    }

    /// Where a person id merged away now lives.
    pub async fn person_redirect(&self, id: &PersonId) -> Result<Option<PersonId>> {
        let new: Option<String> =
            sqlx::query_scalar("SELECT new_id FROM person_redirects WHERE old_id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?;
        new.map(|n| person_id(&n)).transpose()
    }

    /// Pairs for a curator: near the threshold, their records in different persons, and no
    /// decision taken on them; most probable first.
    pub async fn review_pairs(&self, limit: i64, offset: i64) -> Result<Vec<ReviewPair>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{PAIR_SELECT} WHERE p.matched = 0 AND a.person_id <> b.person_id \
             AND NOT EXISTS (SELECT 1 FROM link_decisions d WHERE d.undone_at IS NULL \
             AND d.record_a = p.record_a AND d.record_b = p.record_b) \
             ORDER BY p.probability DESC, p.record_a, p.record_b LIMIT $1 OFFSET $2"
        )))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pair_from_row).collect()
    }

    /// How many pairs wait for review.
    pub async fn review_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM link_pairs p JOIN source_records a ON a.id = p.record_a \
             JOIN source_records b ON b.id = p.record_b \
             WHERE p.matched = 0 AND a.person_id <> b.person_id \
             AND NOT EXISTS (SELECT 1 FROM link_decisions d WHERE d.undone_at IS NULL \
             AND d.record_a = p.record_a AND d.record_b = p.record_b)",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// The kept pairs between records of `person`: why they are one person.
    pub async fn pairs_of_person(&self, person: &PersonId) -> Result<Vec<ReviewPair>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{PAIR_SELECT} WHERE a.person_id = $1 AND b.person_id = $1 \
             ORDER BY p.probability DESC"
        )))
        .bind(person.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pair_from_row).collect()
    }

    /// The row id and person of a record.
    pub async fn record_row(
        &self,
        source: &str,
        record_id: &str,
    ) -> Result<Option<(i64, PersonId)>> {
        let row = sqlx::query(
            "SELECT id, person_id FROM source_records WHERE source = $1 AND record_id = $2",
        )
        .bind(source)
        .bind(record_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let person: String = row.try_get(1)?;
            Ok((row.try_get(0)?, person_id(&person)?))
        })
        .transpose()
    }

    /// A curator's decision, applied at once. One person: every record of `b`'s person joins
    /// `a`'s. Not one person: when they are one now, `b` leaves for `new_person`. Stored with
    /// what it moved, and audited. Returns the decision's id and the persons changed.
    ///
    /// `seen` is the persons of `a` and `b` as the curator saw them: when either has changed
    /// since (another curator merged one into a person of twenty records), nothing is done, as
    /// the decision was not made on what it would now move. The same decision made twice (a
    /// double click) is refused too: a duplicate would outlive the undo of the first.
    pub async fn decide_link(
        &self,
        (a, b): (i64, i64),
        same_person: bool,
        (actor, note): (&str, Option<&str>),
        seen: Option<(&PersonId, &PersonId)>,
        new_person: PersonId,
    ) -> Result<(i64, Vec<PersonId>)> {
        // Decisions read the persons and then move records: two at once must take turns, or
        // the second meets a database changed under its reading (a busy snapshot, a 500).
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let person_of = |row: i64| {
            sqlx::query_scalar::<_, String>("SELECT person_id FROM source_records WHERE id = $1")
                .bind(row)
        };
        let pa = person_of(a)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("record {a}")))?;
        let pb = person_of(b)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("record {b}")))?;
        if a == b {
            return Err(DbError::Invalid(
                "a record is always one person with itself".into(),
            ));
        }
        let (pa, pb) = (person_id(&pa)?, person_id(&pb)?);
        if let Some((seen_a, seen_b)) = seen
            && (seen_a != &pa || seen_b != &pb)
        {
            return Err(DbError::Invalid(
                "the records have changed persons since the page was shown: look at the pair again"
                    .into(),
            ));
        }
        let twice: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM link_decisions WHERE undone_at IS NULL AND same_person = $1 \
             AND ((record_a = $2 AND record_b = $3) OR (record_a = $3 AND record_b = $2))",
        )
        .bind(same_person)
        .bind(a)
        .bind(b)
        .fetch_one(&mut *tx)
        .await?;
        if twice > 0 && (same_person == (pa == pb)) {
            return Err(DbError::Invalid(
                "this pair was decided so already; undo that decision to change it".into(),
            ));
        }
        let moved: Vec<MovedRecord> = if same_person && pa != pb {
            let rows: Vec<i64> =
                sqlx::query_scalar("SELECT id FROM source_records WHERE person_id = $1")
                    .bind(pb.as_str())
                    .fetch_all(&mut *tx)
                    .await?;
            rows.into_iter()
                .map(|row| MovedRecord {
                    row,
                    from: pb.clone(),
                    to: pa.clone(),
                })
                .collect()
        } else if !same_person && pa == pb {
            vec![MovedRecord {
                row: b,
                from: pb.clone(),
                to: new_person,
            }]
        } else {
            Vec::new()
        };
        let id = self
            .record_decision(&mut tx, (a, b), same_person, (actor, note), &moved, None)
            .await?;
        if same_person && pa != pb {
            // Every record of the two persons is one person now, not only `a` and `b`: a full
            // run would otherwise join the two and leave out those the model thinks another's
            // (which is why a curator merged them). Undone with the merge.
            let others: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM source_records WHERE person_id IN ($1, $2) \
                 AND id <> $3 AND id <> $4",
            )
            .bind(pa.as_str())
            .bind(pb.as_str())
            .bind(a)
            .bind(b)
            .fetch_all(&mut *tx)
            .await?;
            for other in others {
                self.record_decision(&mut tx, (a, other), true, (actor, note), &[], Some(id))
                    .await?;
            }
            // Merging overrules any earlier "not one person" between the two: left standing,
            // it would part them again at the next run of `yodnoma link`. Undoing the merge
            // brings them back.
            sqlx::query(
                "UPDATE link_decisions SET undone_at = $1, undone_by = $2, cancelled_by = $5 \
                 WHERE undone_at IS NULL AND same_person = 0 AND ( \
                 (record_a IN (SELECT id FROM source_records WHERE person_id = $3) \
                  AND record_b IN (SELECT id FROM source_records WHERE person_id = $4)) OR \
                 (record_a IN (SELECT id FROM source_records WHERE person_id = $4) \
                  AND record_b IN (SELECT id FROM source_records WHERE person_id = $3)))",
            )
            .bind(now())
            .bind(actor)
            .bind(pa.as_str())
            .bind(pb.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        // Every decision is in the audit log, the ones that move nothing too: they steer every
        // later run of `yodnoma link`.
        let decision = serde_json::json!({
            "records": [a, b],
            "same_person": same_person,
            "note": note,
        });
        let change = audit::Change {
            actor,
            action: "link decision",
            subject: &format!("link decision {id}"),
            before: None,
            after: Some(&decision.to_string()),
        };
        audit::record(&mut tx, &now(), change).await?;
        // Splitting a record off: it is apart from every record it leaves behind too, or the
        // next run would join them again along another pair.
        if !same_person && pa == pb {
            let rest: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM source_records WHERE person_id = $1 AND id <> $2 AND id <> $3",
            )
            .bind(pa.as_str())
            .bind(a)
            .bind(b)
            .fetch_all(&mut *tx)
            .await?;
            for other in rest {
                self.record_decision(&mut tx, (other, b), false, (actor, note), &[], Some(id))
                    .await?;
            }
        }
        let moves = self
            .move_records(&mut tx, &moved, actor, "link decision")
            .await?;
        if !moves.redirected.is_empty() {
            let redirected = serde_json::to_string(&moves.redirected)
                .map_err(|e| DbError::Invalid(e.to_string()))?;
            sqlx::query("UPDATE link_decisions SET redirected = $1 WHERE id = $2")
                .bind(redirected)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok((id, moves.touched))
    }

    async fn record_decision(
        &self,
        tx: &mut sqlx::SqliteConnection,
        (a, b): (i64, i64),
        same_person: bool,
        (actor, note): (&str, Option<&str>),
        moved: &[MovedRecord],
        parent: Option<i64>,
    ) -> Result<i64> {
        let moved = serde_json::to_string(moved).map_err(|e| DbError::Invalid(e.to_string()))?;
        Ok(sqlx::query_scalar(
            "INSERT INTO link_decisions (record_a, record_b, same_person, actor, note, \
             decided_at, moved, parent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(a.min(b))
        .bind(a.max(b))
        .bind(i64::from(same_person))
        .bind(actor)
        .bind(note)
        .bind(now())
        .bind(moved)
        .bind(parent)
        .fetch_one(&mut *tx)
        .await?)
    }

    /// Moves records between persons and audits each person changed.
    async fn move_records(
        &self,
        tx: &mut sqlx::SqliteConnection,
        moved: &[MovedRecord],
        actor: &str,
        action: &str,
    ) -> Result<Moves> {
        let touched: BTreeSet<PersonId> = moved
            .iter()
            .flat_map(|m| [m.from.clone(), m.to.clone()])
            .collect();
        let members = members_of(&mut *tx, touched.iter().map(PersonId::as_str)).await?;
        let moved = move_where_still(&mut *tx, moved).await?;
        let redirected = redirect_emptied(&mut *tx, &moved).await?;
        let at = now();
        for (person, before, after) in audit_states(&moved, &members) {
            let change = audit::Change {
                actor,
                action,
                subject: &format!("person {person}"),
                before: Some(&before),
                after: Some(&after),
            };
            audit::record(&mut *tx, &at, change).await?;
        }
        Ok(Moves {
            touched: touched.into_iter().collect(),
            done: moved.len(),
            redirected,
        })
    }

    /// Undoes a decision: marks it undone, moves back the records it moved that are still
    /// where it put them, and points back the redirects it re-pointed. Records that have moved
    /// again since (another decision, a linkage run) stay where they are; the decision keeps
    /// their number, which the decision lists show.
    pub async fn undo_link_decision(&self, id: i64, actor: &str) -> Result<Undone> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row = sqlx::query(
            "SELECT moved, undone_at, redirected FROM link_decisions \
             WHERE id = $1 AND parent IS NULL",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| DbError::NotFound(format!("decision {id}")))?;
        let undone: Option<String> = row.try_get(1)?;
        if undone.is_some() {
            return Err(DbError::Invalid(format!("decision {id} is already undone")));
        }
        let moved: String = row.try_get(0)?;
        let moved: Vec<MovedRecord> = crate::from_json("link_decisions.moved", &moved)?;
        let redirected: String = row.try_get(2)?;
        let redirected: Vec<Redirected> =
            crate::from_json("link_decisions.redirected", &redirected)?;
        let back: Vec<MovedRecord> = moved
            .into_iter()
            .map(|m| MovedRecord {
                row: m.row,
                from: m.to,
                to: m.from,
            })
            .collect();
        let at = now();
        // The "not one person" decisions a merge set aside stand again.
        sqlx::query(
            "UPDATE link_decisions SET undone_at = NULL, undone_by = NULL, cancelled_by = NULL \
             WHERE cancelled_by = $1",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let change = audit::Change {
            actor,
            action: "undo link decision",
            subject: &format!("link decision {id}"),
            before: None,
            after: None,
        };
        audit::record(&mut tx, &at, change).await?;
        let moves = self
            .move_records(&mut tx, &back, actor, "undo link decision")
            .await?;
        // An id that followed the emptied person to the other follows it back, once it holds
        // records again; one re-pointed since by another change stays.
        for r in &redirected {
            sqlx::query(
                "UPDATE person_redirects SET new_id = $1 WHERE old_id = $2 AND new_id = $3 \
                 AND EXISTS (SELECT 1 FROM source_records WHERE person_id = $1)",
            )
            .bind(&r.was)
            .bind(&r.old_id)
            .bind(&r.now)
            .execute(&mut *tx)
            .await?;
        }
        let stayed = back.len().saturating_sub(moves.done);
        // The apart decisions a split added with it go too.
        sqlx::query(
            "UPDATE link_decisions SET undone_at = $1, undone_by = $2, \
             undo_stayed = CASE WHEN id = $3 THEN $4 ELSE undo_stayed END \
             WHERE undone_at IS NULL AND (id = $3 OR parent = $3)",
        )
        .bind(&at)
        .bind(actor)
        .bind(id)
        .bind(i64::try_from(stayed).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Undone {
            changed: moves.touched,
            stayed,
        })
    }
}
