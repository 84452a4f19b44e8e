//! Source records: bulk upsert for imports, and persons read back from their records, one by
//! one for their pages or as a stream for the search index.

use std::collections::HashSet;

use futures_util::TryStreamExt;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, AssertSqlSafe, Row};
use yodnoma_core::person::PersonRecord;
use yodnoma_core::{Category, Fate, PartialDate, Person, PersonId, SourceName, SourceRecord};

use crate::{DbError, Result, Store, from_json, now, to_json};

/// One import run into one source.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    pub id: i64,
    pub source: SourceName,
    /// The columns the import gives (a file's header): a stored record keeps what it holds in
    /// the others. `None`: every column, absent ones emptied.
    columns: Option<Vec<String>>,
}

impl ImportBatch {
    /// Limits the import to `columns` (the names of a file's header): a record imported again
    /// keeps its stored values of the columns not named, extra columns included, while a
    /// named column left empty is emptied.
    pub fn giving(mut self, columns: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.columns = Some(columns.into_iter().map(Into::into).collect());
        self
    }
}

/// What became of a slice of records handed to [`Store::upsert_records`].
#[derive(Debug, Default)]
pub struct UpsertOutcome {
    /// Records inserted or updated.
    pub stored: usize,
    /// Positions (in the slice given) of records whose record_id already came earlier in the
    /// same import: the first is kept, these are not stored.
    pub duplicates: Vec<usize>,
}

/// Records ready to be written: the statements' arguments, built off the writing path.
#[derive(Debug, Default)]
pub struct StagedRecords {
    batch_id: i64,
    source: String,
    /// See [`ImportBatch::giving`].
    columns: Option<Vec<String>>,
    statements: Vec<StagedStatement>,
    duplicates: Vec<usize>,
}

#[derive(Debug)]
struct StagedStatement {
    arguments: SqliteArguments,
    /// For each row: its position in the records given, its line and its record_id.
    rows: Vec<(usize, u64, String)>,
}

impl StagedStatement {
    fn new() -> Self {
        let mut arguments = SqliteArguments::default();
        arguments.reserve(ROWS_PER_STATEMENT * INSERT_COLUMNS.len(), 0);
        Self {
            arguments,
            rows: Vec::with_capacity(ROWS_PER_STATEMENT),
        }
    }
}

/// Binds one record's columns in the order of [`INSERT_COLUMNS`]. The record is consumed so
/// that its strings move into the arguments instead of being copied.
fn bind_record(
    arguments: &mut SqliteArguments,
    batch: &ImportBatch,
    person_id: PersonId,
    line: u64,
    record: SourceRecord,
) -> Result<()> {
    let bad = |e: sqlx::error::BoxDynError| DbError::Invalid(e.to_string());
    let date = |d: Option<PartialDate>| d.map(|d| d.to_string());
    let extra = if record.extra.is_empty() {
        "[]".to_owned()
    } else {
        to_json(&record.extra)?
    };
    let SourceRecord {
        record_id,
        surname,
        given_name,
        patronymic,
        birth_date,
        death_date,
        award_date,
        birth_place,
        region,
        country,
        category,
        nationality,
        rank,
        unit,
        award,
        fate,
        death_place,
        burial_place,
        source_ref,
        notes,
        extra: _,
    } = record;
    arguments.add(batch.source.as_str()).map_err(bad)?;
    arguments.add(record_id).map_err(bad)?;
    arguments.add(person_id.to_string()).map_err(bad)?;
    for text in [surname, given_name, patronymic] {
        arguments.add(text).map_err(bad)?;
    }
    for d in [birth_date, death_date, award_date] {
        arguments.add(date(d)).map_err(bad)?;
    }
    for text in [birth_place, region, country] {
        arguments.add(text).map_err(bad)?;
    }
    arguments.add(category.as_str()).map_err(bad)?;
    for text in [nationality, rank, unit, award] {
        arguments.add(text).map_err(bad)?;
    }
    arguments.add(fate.map(Fate::as_str)).map_err(bad)?;
    for text in [death_place, burial_place, source_ref, notes] {
        arguments.add(text).map_err(bad)?;
    }
    arguments.add(extra).map_err(bad)?;
    arguments.add(batch.id).map_err(bad)?;
    arguments.add(saturating_i64(line)).map_err(bad)?;
    Ok(())
}

/// Columns written by an import, in bind order.
const INSERT_COLUMNS: [&str; 26] = [
    "source",
    "record_id",
    "person_id",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "death_date",
    "award_date",
    "birth_place",
    "region",
    "country",
    "category",
    "nationality",
    "rank",
    "unit",
    "award",
    "fate",
    "death_place",
    "burial_place",
    "source_ref",
    "notes",
    "extra",
    "batch_id",
    "source_line",
    "imported_at",
];

/// SQLite allows 32,766 bound parameters in one statement; 500 rows of 26 stay far below that
/// and amortise the statement overhead.
const ROWS_PER_STATEMENT: usize = 500;

/// The upsert of `rows` records. On a conflict the fields are replaced, unless the stored row
/// came from this same import: then it is a duplicate in the file and the first one stays.
/// With `columns` (see [`ImportBatch::giving`]) only those are replaced, and the extra columns
/// they name; the statement then takes one more parameter after the rows: the names of the
/// file's extra columns, as a JSON array.
fn upsert_sql(rows: usize, columns: Option<&[String]>) -> String {
    let mut sql = format!(
        "INSERT INTO source_records ({}) VALUES ",
        INSERT_COLUMNS.join(", ")
    );
    // Anonymous `?` placeholders, bound by position: sqlx looks up the name of every named
    // parameter (`$1`), and SQLite finds a name by a linear scan, so a statement of 13,000 named
    // parameters costs quadratic time. A PostgreSQL backend writes `$n` here.
    // `imported_at` is the time the row is written, not prepared (up to two chunks before):
    // an incremental link compares again the rows imported after it began, and one prepared
    // before but written after it read them would be missed.
    let row = format!(
        "({})",
        INSERT_COLUMNS
            .iter()
            .map(|c| match *c {
                "imported_at" => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                _ => "?",
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    sql.push_str(&vec![row; rows].join(", "));
    sql.push_str(" ON CONFLICT (source, record_id) DO UPDATE SET ");
    // person_id is not updated: a re-import never moves a record to another person.
    let given = |c: &str| {
        matches!(c, "batch_id" | "source_line" | "imported_at")
            || columns.is_none_or(|names| names.iter().any(|n| n == c))
    };
    let mut updated: Vec<String> = INSERT_COLUMNS
        .iter()
        .filter(|c| !matches!(**c, "source" | "record_id" | "person_id" | "extra"))
        .filter(|c| given(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    updated.push(match columns {
        None => "extra = excluded.extra".to_owned(),
        // SQLite-specific JSON (PostgreSQL: jsonb). The stored pairs of columns the file does
        // not have, then the file's.
        Some(_) => "extra = (SELECT json_group_array(json(value)) FROM ( \
             SELECT value FROM json_each(source_records.extra) \
             WHERE json_extract(value, '$[0]') NOT IN (SELECT value FROM json_each(?)) \
             UNION ALL SELECT value FROM json_each(excluded.extra)))"
            .to_owned(),
    });
    sql.push_str(&updated.join(", "));
    sql.push_str(" WHERE source_records.batch_id <> excluded.batch_id");
    sql
}

const SELECT_RECORD: &str = "SELECT source, record_id, surname, given_name, patronymic, \
    birth_date, death_date, award_date, birth_place, region, country, category, nationality, \
    rank, unit, award, fate, death_place, burial_place, source_ref, notes, extra, person_id \
    FROM source_records";

impl Store {
    /// The names of the extra columns the records (of one source, or all) carry, in order.
    pub async fn extra_columns(&self, source: Option<&str>) -> Result<Vec<String>> {
        // SQLite-specific: `json_each` (PostgreSQL: `jsonb_array_elements`).
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT json_extract(e.value, '$[0]') AS name \
             FROM source_records r, json_each(r.extra) e \
             WHERE ($1 IS NULL OR r.source = $1) AND r.extra <> '[]' ORDER BY name",
        )
        .bind(source)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Starts an import of `file_name` into `source`.
    pub async fn begin_import(&self, source: &SourceName, file_name: &str) -> Result<ImportBatch> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO import_batches (source, file_name, started_at) VALUES ($1, $2, $3) \
             RETURNING id",
        )
        .bind(source.as_str())
        .bind(file_name)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(ImportBatch {
            id,
            source: source.clone(),
            columns: None,
        })
    }

    /// Ends an import, recording its counts and an audit entry.
    pub async fn finish_import(
        &self,
        batch: &ImportBatch,
        actor: &str,
        imported: u64,
        rejected: u64,
    ) -> Result<()> {
        let (imported, rejected) = (saturating_i64(imported), saturating_i64(rejected));
        let file_name: String = sqlx::query_scalar(
            "UPDATE import_batches SET finished_at = $1, imported = $2, rejected = $3 \
             WHERE id = $4 RETURNING file_name",
        )
        .bind(now())
        .bind(imported)
        .bind(rejected)
        .bind(batch.id)
        .fetch_one(&self.pool)
        .await?;
        let after = serde_json::json!({
            "batch": batch.id, "file": file_name, "imported": imported, "rejected": rejected
        });
        self.audit(
            actor,
            "import records",
            &format!("source {}", batch.source),
            None,
            Some(&after.to_string()),
        )
        .await
    }

    /// Inserts new records and updates known ones, in one transaction. A new record becomes a
    /// person of its own until linkage says otherwise.
    pub async fn upsert_records(
        &self,
        batch: &ImportBatch,
        records: &[SourceRecord],
    ) -> Result<UpsertOutcome> {
        // Lines continue after those this import already stored, as they would in one file.
        let last: Option<i64> =
            sqlx::query_scalar("SELECT MAX(source_line) FROM source_records WHERE batch_id = $1")
                .bind(batch.id)
                .fetch_one(&self.pool)
                .await?;
        let first = u64::try_from(last.unwrap_or(0)).unwrap_or(0) + 1;
        let lines = (first..).zip(records.iter().cloned()).collect();
        let staged = self.stage_records(batch, lines)?;
        self.write_staged(staged).await
    }

    /// Prepares records, each with the line of the file it starts on, for
    /// [`Store::write_staged`]: everything but the writing, so that an import can do it on
    /// another thread while the previous chunk is written.
    pub fn stage_records(
        &self,
        batch: &ImportBatch,
        records: Vec<(u64, SourceRecord)>,
    ) -> Result<StagedRecords> {
        let mut staged = StagedRecords {
            batch_id: batch.id,
            source: batch.source.to_string(),
            columns: batch.columns.clone(),
            ..StagedRecords::default()
        };
        // The extra columns the file names: after each statement's rows (see `upsert_sql`).
        let extra_names = match &batch.columns {
            Some(names) => {
                // The names the schema keeps as extra pairs: every one that is no contract
                // column, those that happen to name a column of the table (`source`) too.
                let extra: Vec<&String> = names
                    .iter()
                    .filter(|n| yodnoma_core::Column::from_name(n).is_none())
                    .collect();
                Some(serde_json::to_string(&extra).map_err(|e| DbError::Invalid(e.to_string()))?)
            }
            None => None,
        };
        let finish = |statement: &mut StagedStatement| -> Result<()> {
            if let Some(names) = &extra_names {
                statement
                    .arguments
                    .add(names.clone())
                    .map_err(|e| DbError::Invalid(e.to_string()))?;
            }
            Ok(())
        };
        // Duplicates inside this chunk are settled here; the batch id settles those against
        // earlier chunks of the same import (see `write_staged`).
        let mut first_seen: HashSet<String> = HashSet::with_capacity(records.len());
        let mut statement = StagedStatement::new();
        for (index, (line, record)) in records.into_iter().enumerate() {
            if !first_seen.insert(record.record_id.clone()) {
                staged.duplicates.push(index);
                continue;
            }
            statement.rows.push((index, line, record.record_id.clone()));
            bind_record(
                &mut statement.arguments,
                batch,
                self.new_person_id(),
                line,
                record,
            )?;
            if statement.rows.len() == ROWS_PER_STATEMENT {
                finish(&mut statement)?;
                staged
                    .statements
                    .push(std::mem::replace(&mut statement, StagedStatement::new()));
            }
        }
        if !statement.rows.is_empty() {
            finish(&mut statement)?;
            staged.statements.push(statement);
        }
        Ok(staged)
    }

    /// Writes staged records in one transaction.
    pub async fn write_staged(&self, staged: StagedRecords) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome {
            stored: 0,
            duplicates: staged.duplicates,
        };
        let mut tx = self.pool.begin().await?;
        for statement in staged.statements {
            let sql = upsert_sql(statement.rows.len(), staged.columns.as_deref());
            let written = sqlx::query_with(AssertSqlSafe(sql), statement.arguments)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let written = usize::try_from(written).unwrap_or(usize::MAX);
            outcome.stored += written;
            if written == statement.rows.len() {
                continue;
            }
            // Some rows were not written: their record_id came earlier in this import, and the
            // stored row keeps that earlier line. The rows of this statement that now carry
            // their own line were written; the others are the duplicates.
            let mut lookup = SqliteArguments::default();
            let bad = |e: sqlx::error::BoxDynError| DbError::Invalid(e.to_string());
            lookup.add(staged.source.as_str()).map_err(bad)?;
            for (_, _, record_id) in &statement.rows {
                lookup.add(record_id.as_str()).map_err(bad)?;
            }
            lookup.add(staged.batch_id).map_err(bad)?;
            // Positional parameters again, for the reason given in `upsert_sql`.
            let sql = format!(
                "SELECT record_id, source_line FROM source_records WHERE source = ? \
                 AND record_id IN ({}) AND batch_id = ?",
                vec!["?"; statement.rows.len()].join(", ")
            );
            let written: HashSet<(String, i64)> = sqlx::query_as_with(AssertSqlSafe(sql), lookup)
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            for (index, line, record_id) in statement.rows {
                if !written.contains(&(record_id, saturating_i64(line))) {
                    outcome.duplicates.push(index);
                }
            }
        }
        tx.commit().await?;
        outcome.duplicates.sort_unstable();
        Ok(outcome)
    }

    /// A person and all their records, or `None` if no record belongs to that id.
    pub async fn person(&self, id: &PersonId) -> Result<Option<Person>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{SELECT_RECORD} WHERE person_id = $1 ORDER BY source, record_id"
        )))
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        let records = rows.iter().map(record_from_row).collect::<Result<_>>()?;
        Ok(Some(Person {
            id: id.clone(),
            records,
        }))
    }

    /// The person a record belongs to.
    pub async fn person_of_record(
        &self,
        source: &SourceName,
        record_id: &str,
    ) -> Result<Option<PersonId>> {
        let id: Option<String> = sqlx::query_scalar(
            "SELECT person_id FROM source_records WHERE source = $1 AND record_id = $2",
        )
        .bind(source.as_str())
        .bind(record_id)
        .fetch_optional(&self.pool)
        .await?;
        id.map(|id| PersonId::parse(&id).map_err(|e| DbError::Corrupt(e.to_string())))
            .transpose()
    }

    pub async fn record_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM source_records")
            .fetch_one(&self.pool)
            .await?)
    }

    pub async fn record_count_of(&self, source: &SourceName) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(*) FROM source_records WHERE source = $1")
                .bind(source.as_str())
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn person_count(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(DISTINCT person_id) FROM source_records")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Calls `visit` with every person in `scope`, in the order of their ids, reading the
    /// records as a stream so that memory stays flat however many there are. Returns the
    /// number of persons visited.
    ///
    /// With [`RecordFields::Search`] only the fields the search index reads are filled in,
    /// which makes a rebuild of the index several times faster than reading whole records.
    pub async fn each_person<E, F>(
        &self,
        scope: PersonScope,
        fields: RecordFields,
        mut visit: F,
    ) -> Result<u64, E>
    where
        E: From<DbError>,
        F: FnMut(Person) -> Result<(), E>,
    {
        let select = match fields {
            RecordFields::All => SELECT_RECORD,
            RecordFields::Search => SELECT_SEARCH_FIELDS,
        };
        let sql = match scope {
            PersonScope::All => format!("{select} ORDER BY person_id"),
            PersonScope::Batch(_) => format!(
                "{select} WHERE person_id IN \
                 (SELECT person_id FROM source_records WHERE batch_id = $1) ORDER BY person_id"
            ),
        };
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let PersonScope::Batch(batch) = scope {
            query = query.bind(batch);
        }
        let mut rows = query.fetch(&self.pool);
        let mut current: Option<Person> = None;
        let mut visited = 0;
        while let Some(row) = rows.try_next().await.map_err(DbError::from)? {
            let (person_id, record) = match fields {
                RecordFields::All => (
                    row.try_get(22).map_err(DbError::from)?,
                    record_from_row(&row)?,
                ),
                RecordFields::Search => search_fields_from_row(&row)?,
            };
            let person_id: String = person_id;
            match &mut current {
                Some(person) if person.id.as_str() == person_id => person.records.push(record),
                _ => {
                    let id =
                        PersonId::parse(&person_id).map_err(|e| DbError::Corrupt(e.to_string()))?;
                    let next = Person {
                        id,
                        records: vec![record],
                    };
                    if let Some(done) = current.replace(next) {
                        visited += 1;
                        visit(in_record_order(done))?;
                    }
                }
            }
        }
        if let Some(done) = current {
            visited += 1;
            visit(in_record_order(done))?;
        }
        Ok(visited)
    }
}

/// A person's records in the order [`Store::person`] reads them (by source, then record id),
/// so that the index shows the name its page shows: the name chosen among equals is the first.
fn in_record_order(mut person: Person) -> Person {
    person.records.sort_by(|a, b| {
        (a.source.as_str(), a.record.record_id.as_str())
            .cmp(&(b.source.as_str(), b.record.record_id.as_str()))
    });
    person
}

/// Which fields of each record [`Store::each_person`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFields {
    All,
    /// What the index keeps: source, record id, name, dates of birth, death and award, places,
    /// fate, award, country, nationality and category; the rest left empty.
    Search,
}

/// The fields the search index reads; of the extra columns only `district` (most records have
/// none, and skip the JSON).
const SELECT_SEARCH_FIELDS: &str = "SELECT person_id, source, record_id, surname, given_name, \
    patronymic, birth_date, region, fate, award, country, nationality, death_date, birth_place, \
    award_date, category, CASE WHEN extra = '[]' THEN NULL ELSE \
    (SELECT json_extract(e.value, '$[1]') FROM json_each(extra) e \
     WHERE lower(json_extract(e.value, '$[0]')) = 'district' LIMIT 1) END AS district \
    FROM source_records";

fn search_fields_from_row(row: &SqliteRow) -> Result<(String, PersonRecord)> {
    let text = |i: usize| row.try_get::<Option<String>, _>(i);
    let source: String = row.try_get(1)?;
    let date = |i: usize| -> Result<Option<PartialDate>> {
        text(i)?
            .map(|t| {
                t.parse()
                    .map_err(|e| DbError::Corrupt(format!("date '{t}': {e}")))
            })
            .transpose()
    };
    let fate = text(8)?
        .map(|f| Fate::parse(&f).ok_or_else(|| DbError::Corrupt(format!("fate '{f}'"))))
        .transpose()?;
    let category: String = row.try_get(15)?;
    let record = SourceRecord {
        record_id: row.try_get(2)?,
        surname: text(3)?,
        given_name: text(4)?,
        patronymic: text(5)?,
        birth_date: date(6)?,
        region: text(7)?,
        fate,
        award: text(9)?,
        country: text(10)?,
        nationality: text(11)?,
        death_date: date(12)?,
        birth_place: text(13)?,
        award_date: date(14)?,
        category: Category::parse(&category)
            .ok_or_else(|| DbError::Corrupt(format!("category '{category}'")))?,
        extra: text(16)?
            .map(|district| ("district".to_owned(), district))
            .into_iter()
            .collect(),
        ..SourceRecord::default()
    };
    Ok((
        row.try_get(0)?,
        PersonRecord {
            source: SourceName::parse(&source).map_err(|e| DbError::Corrupt(e.to_string()))?,
            record,
        },
    ))
}

/// Which persons [`Store::each_person`] visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonScope {
    All,
    /// The persons with a record written by this import.
    Batch(i64),
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn record_from_row(row: &SqliteRow) -> Result<PersonRecord> {
    let text = |i: usize| row.try_get::<Option<String>, _>(i);
    let date = |i: usize| -> Result<Option<PartialDate>> {
        text(i)?
            .map(|t| {
                t.parse()
                    .map_err(|e| DbError::Corrupt(format!("date '{t}': {e}")))
            })
            .transpose()
    };
    let source: String = row.try_get(0)?;
    let category: String = row.try_get(11)?;
    let fate = text(16)?;
    let extra: String = row.try_get(21)?;
    Ok(PersonRecord {
        source: SourceName::parse(&source).map_err(|e| DbError::Corrupt(e.to_string()))?,
        record: SourceRecord {
            record_id: row.try_get(1)?,
            surname: text(2)?,
            given_name: text(3)?,
            patronymic: text(4)?,
            birth_date: date(5)?,
            death_date: date(6)?,
            award_date: date(7)?,
            birth_place: text(8)?,
            region: text(9)?,
            country: text(10)?,
            category: Category::parse(&category)
                .ok_or_else(|| DbError::Corrupt(format!("category '{category}'")))?,
            nationality: text(12)?,
            rank: text(13)?,
            unit: text(14)?,
            award: text(15)?,
            fate: fate
                .map(|f| Fate::parse(&f).ok_or_else(|| DbError::Corrupt(format!("fate '{f}'"))))
                .transpose()?,
            death_place: text(17)?,
            burial_place: text(18)?,
            source_ref: text(19)?,
            notes: text(20)?,
            extra: from_json("extra", &extra)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_upsert_statement_binds_every_column_of_every_row() {
        let sql = upsert_sql(2, None);
        assert_eq!(
            sql.matches('?').count(),
            50,
            "every column but the time of writing"
        );
        assert!(!sql.contains("person_id = excluded"));
        // Given columns: those only, and the names of the file's extra columns after the rows.
        let names = ["record_id".to_owned(), "surname".to_owned()];
        let sql = upsert_sql(2, Some(&names));
        assert_eq!(sql.matches('?').count(), 51);
        assert!(sql.contains("surname = excluded.surname"));
        assert!(!sql.contains("given_name = excluded"));
        assert!(sql.contains("imported_at = excluded.imported_at"));
    }
}
