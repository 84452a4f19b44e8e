//! Source records: bulk upsert for imports, persons read back from their records, and the
//! simple name lookup that serves until the search index exists.

use std::collections::{HashMap, HashSet};

use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row};
use yodnoma_core::person::PersonRecord;
use yodnoma_core::{Category, Fate, PartialDate, Person, PersonId, SourceName, SourceRecord};

use crate::{DbError, Result, Store, from_json, now, to_json};

/// One import run into one source.
#[derive(Debug, Clone)]
pub struct ImportBatch {
    pub id: i64,
    pub source: SourceName,
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

/// One person found by a name lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameHit {
    pub person_id: PersonId,
    pub name: String,
    pub score: f64,
    pub records: Vec<(SourceName, String)>,
}

/// One page of lookup results and how many persons matched in all.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub hits: Vec<NameHit>,
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
    "name_key",
    "batch_id",
    "imported_at",
];

/// SQLite allows 32,766 bound parameters in one statement; 500 rows of 26 stay far below that
/// and amortise the statement overhead.
const ROWS_PER_STATEMENT: usize = 500;

/// The upsert of `rows` records. On a conflict the fields are replaced, unless the stored row
/// came from this same import: then it is a duplicate in the file and the first one stays.
/// RETURNING gives back only rows really written, which is how duplicates are found.
fn upsert_sql(rows: usize) -> String {
    let columns = &INSERT_COLUMNS;
    let mut sql = format!(
        "INSERT INTO source_records ({}) VALUES ",
        columns.join(", ")
    );
    let mut parameter = 0;
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns.len() {
            parameter += 1;
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&parameter.to_string());
        }
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (source, record_id) DO UPDATE SET ");
    // person_id is not updated: a re-import never moves a record to another person.
    let updated: Vec<String> = columns
        .iter()
        .filter(|c| !matches!(**c, "source" | "record_id" | "person_id"))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    sql.push_str(&updated.join(", "));
    sql.push_str(" WHERE source_records.batch_id <> excluded.batch_id RETURNING record_id");
    sql
}

const SELECT_RECORD: &str = "SELECT source, record_id, surname, given_name, patronymic, \
    birth_date, death_date, award_date, birth_place, region, country, category, nationality, \
    rank, unit, award, fate, death_place, burial_place, source_ref, notes, extra, person_id \
    FROM source_records";

impl Store {
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
        let mut outcome = UpsertOutcome::default();
        // Duplicates inside this slice are settled here; RETURNING settles those against
        // earlier slices of the same import.
        let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(records.len());
        let mut unique: Vec<(usize, &SourceRecord)> = Vec::with_capacity(records.len());
        for (index, record) in records.iter().enumerate() {
            if first_seen
                .insert(record.record_id.as_str(), index)
                .is_some()
            {
                outcome.duplicates.push(index);
            } else {
                unique.push((index, record));
            }
        }
        let imported_at = now();
        let mut tx = self.pool.begin().await?;
        for chunk in unique.chunks(ROWS_PER_STATEMENT) {
            let sql = upsert_sql(chunk.len());
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (_, record) in chunk {
                let date = |d: &Option<PartialDate>| d.map(|d| d.to_string());
                query = query
                    .bind(batch.source.as_str())
                    .bind(record.record_id.as_str())
                    .bind(PersonId::from_random(rand::random()).to_string())
                    .bind(record.surname.as_deref())
                    .bind(record.given_name.as_deref())
                    .bind(record.patronymic.as_deref())
                    .bind(date(&record.birth_date))
                    .bind(date(&record.death_date))
                    .bind(date(&record.award_date))
                    .bind(record.birth_place.as_deref())
                    .bind(record.region.as_deref())
                    .bind(record.country.as_deref())
                    .bind(record.category.as_str())
                    .bind(record.nationality.as_deref())
                    .bind(record.rank.as_deref())
                    .bind(record.unit.as_deref())
                    .bind(record.award.as_deref())
                    .bind(record.fate.map(Fate::as_str))
                    .bind(record.death_place.as_deref())
                    .bind(record.burial_place.as_deref())
                    .bind(record.source_ref.as_deref())
                    .bind(record.notes.as_deref())
                    .bind(to_json(&record.extra)?)
                    .bind(yodnoma_names::fold(&record.full_name()))
                    .bind(batch.id)
                    .bind(imported_at.as_str());
            }
            let written: HashSet<String> = query
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| row.try_get::<String, _>(0))
                .collect::<Result<_, _>>()?;
            outcome.stored += written.len();
            for (index, record) in chunk {
                if !written.contains(&record.record_id) {
                    outcome.duplicates.push(*index);
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

    pub async fn person_count(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT COUNT(DISTINCT person_id) FROM source_records")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Finds persons whose name contains every word of `query` (after folding), best first.
    ///
    /// A plain substring lookup over the folded names: enough to find a person by the spelling
    /// of the source. It scans at most `SCAN_LIMIT` matching records, so `total` is exact only
    /// below that.
    pub async fn search_names(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchPage> {
        const SCAN_LIMIT: i64 = 2000;
        let words: Vec<String> = yodnoma_names::fold(query)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(6)
            .map(str::to_owned)
            .collect();
        if words.is_empty() {
            return Ok(SearchPage {
                total: 0,
                hits: Vec::new(),
            });
        }
        let conditions: Vec<String> = (1..=words.len())
            .map(|i| format!("name_key LIKE ${i} ESCAPE '\\'"))
            .collect();
        let sql = format!(
            "SELECT person_id, source, record_id, surname, given_name, patronymic, name_key \
             FROM source_records WHERE {} LIMIT {SCAN_LIMIT}",
            conditions.join(" AND ")
        );
        let mut select = sqlx::query(AssertSqlSafe(sql));
        for word in &words {
            select = select.bind(format!("%{}%", escape_like(word)));
        }
        let rows = select.fetch_all(&self.pool).await?;
        let mut by_person: Vec<NameHit> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for row in &rows {
            let person: String = row.try_get(0)?;
            let source: String = row.try_get(1)?;
            let record_id: String = row.try_get(2)?;
            let name = [3, 4, 5]
                .iter()
                .filter_map(|i| row.try_get::<Option<String>, _>(*i).ok().flatten())
                .collect::<Vec<_>>()
                .join(" ");
            let key: String = row.try_get(6)?;
            let score = word_score(&words, &key);
            let source = SourceName::parse(&source).map_err(|e| DbError::Corrupt(e.to_string()))?;
            let slot = match index.get(&person) {
                Some(slot) => *slot,
                None => {
                    let person_id =
                        PersonId::parse(&person).map_err(|e| DbError::Corrupt(e.to_string()))?;
                    by_person.push(NameHit {
                        person_id,
                        name: name.clone(),
                        score,
                        records: Vec::new(),
                    });
                    index.insert(person, by_person.len() - 1);
                    by_person.len() - 1
                }
            };
            let hit = &mut by_person[slot];
            if score > hit.score {
                hit.score = score;
                hit.name = name;
            }
            hit.records.push((source, record_id));
        }
        by_person.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.name.cmp(&b.name))
        });
        let total = by_person.len();
        let hits = by_person.into_iter().skip(offset).take(limit).collect();
        Ok(SearchPage { total, hits })
    }
}

/// 1.0 when every word of the query is a whole word of the name, less for prefixes and less
/// again for a match inside a word.
fn word_score(words: &[String], key: &str) -> f64 {
    let name_words: Vec<&str> = key.split(' ').collect();
    let sum: f64 = words
        .iter()
        .map(|w| {
            if name_words.iter().any(|n| n == w) {
                1.0
            } else if name_words.iter().any(|n| n.starts_with(w.as_str())) {
                0.75
            } else {
                0.5
            }
        })
        .sum();
    // Divided by the longer of the two so that a name with more words than the query ranks
    // below one that matches it exactly.
    let scale = words.len().max(name_words.len()) as f64;
    (sum / scale * 1000.0).round() / 1000.0
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
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
    fn scores_whole_words_above_prefixes_and_substrings() {
        let words = |q: &str| q.split(' ').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(word_score(&words("уразов"), "уразов"), 1.0);
        assert!(word_score(&words("уразов"), "уразов ахмед") < 1.0);
        assert!(word_score(&words("ураз"), "уразов") < word_score(&words("уразов"), "уразов"));
        assert!(word_score(&words("разов"), "уразов") < word_score(&words("ураз"), "уразов"));
    }

    #[test]
    fn the_upsert_statement_binds_every_column_of_every_row() {
        let sql = upsert_sql(2);
        assert!(sql.contains("$52)"));
        assert!(!sql.contains("$53"));
        assert!(!sql.contains("person_id = excluded"));
    }
}
