//! What harvesters list (OAI-PMH): persons, exhibits and published exhibitions, each with its
//! datestamp, in id order, a page at a time after a given id, so that a harvest of millions
//! holds one page in memory.
//!
//! A person's datestamp is the last time one of its records was imported or changed hands
//! (`moved_at`, set by linkage and curators' decisions on the records moved and on those of a
//! person that lost one); an exhibit's or exhibition's is its `updated_at`. Datestamps are UTC
//! to the second, as `YYYY-MM-DDThh:mm:ssZ`, which compares as text.

use sqlx::Row;

use crate::{Result, Store};

/// Which items a harvest asks for.
#[derive(Debug, Clone, Default)]
pub struct HarvestQuery {
    /// Datestamps from this one, inclusive (`YYYY-MM-DDThh:mm:ssZ`).
    pub from: Option<String>,
    /// Datestamps up to this one, inclusive.
    pub until: Option<String>,
    /// Persons with a record of this source.
    pub source: Option<String>,
    /// Exhibits shown in this (published) exhibition.
    pub exhibition: Option<String>,
}

/// One item of a harvest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HarvestItem {
    pub id: String,
    pub datestamp: String,
    /// What the item belongs to below its kind: the sources of a person's records, the
    /// published exhibitions that show an exhibit.
    pub groups: Vec<String>,
    /// A person merged into another since: its id answers as a deleted record.
    pub deleted: bool,
}

fn item_of(row: &sqlx::sqlite::SqliteRow) -> Result<HarvestItem> {
    let groups: Option<String> = row.try_get("groups")?;
    Ok(HarvestItem {
        id: row.try_get("id")?,
        datestamp: row.try_get("stamp")?,
        // Ids and source names hold no commas.
        groups: groups
            .map(|g| g.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        deleted: row.try_get::<i64, _>("deleted")? != 0,
    })
}

// Persons, and the ids of persons merged into others, as deleted records dated by the merge
// (outside any source's set: their records are another person's now).
const PERSONS: &str = "SELECT id, stamp, groups, deleted FROM (\
    SELECT person_id AS id, \
    substr(max(max(imported_at), coalesce(max(moved_at), '')), 1, 19) || 'Z' AS stamp, \
    group_concat(DISTINCT source) AS groups, 0 AS deleted \
    FROM source_records \
    WHERE person_id > $1 \
    AND ($4 IS NULL OR person_id IN (SELECT person_id FROM source_records WHERE source = $4)) \
    GROUP BY person_id \
    UNION ALL \
    SELECT old_id AS id, substr(at, 1, 19) || 'Z' AS stamp, NULL AS groups, 1 AS deleted \
    FROM person_redirects WHERE old_id > $1 AND $4 IS NULL) \
    WHERE ($2 IS NULL OR stamp >= $2) AND ($3 IS NULL OR stamp <= $3)";

// An exhibit becomes harvestable when an exhibition showing it is published: its datestamp is
// the later of its own change and that exhibition's, or a harvest since the exhibit's last
// change would never see it.
const EXHIBITS: &str = "SELECT e.id AS id, substr(max(e.updated_at, \
        (SELECT max(x.updated_at) FROM section_exhibits s JOIN exhibitions x \
         ON x.id = s.exhibition_id WHERE s.exhibit_id = e.id AND x.status = 'published')), \
        1, 19) || 'Z' AS stamp, \
    (SELECT group_concat(x.id) FROM section_exhibits s JOIN exhibitions x \
     ON x.id = s.exhibition_id WHERE s.exhibit_id = e.id AND x.status = 'published') AS groups, \
    0 AS deleted \
    FROM exhibits e \
    WHERE e.id > $1 \
    AND EXISTS (SELECT 1 FROM section_exhibits s JOIN exhibitions x ON x.id = s.exhibition_id \
        WHERE s.exhibit_id = e.id AND x.status = 'published' AND ($4 IS NULL OR x.id = $4)) \
    AND ($2 IS NULL OR stamp >= $2) AND ($3 IS NULL OR stamp <= $3)";

const EXHIBITIONS: &str = "SELECT id, substr(updated_at, 1, 19) || 'Z' AS stamp, NULL AS groups, \
    0 AS deleted \
    FROM exhibitions \
    WHERE status = 'published' AND id > $1 AND $4 IS NULL \
    AND ($2 IS NULL OR stamp >= $2) AND ($3 IS NULL OR stamp <= $3)";

/// The kinds of item, each with the query listing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HarvestKind {
    Person,
    Exhibit,
    Exhibition,
}

impl HarvestKind {
    fn sql(self) -> &'static str {
        match self {
            Self::Person => PERSONS,
            Self::Exhibit => EXHIBITS,
            Self::Exhibition => EXHIBITIONS,
        }
    }

    /// The filter of `$4` that applies to this kind (exhibitions have none).
    fn filter(self, query: &HarvestQuery) -> Option<String> {
        match self {
            Self::Person => query.source.clone(),
            Self::Exhibit => query.exhibition.clone(),
            Self::Exhibition => None,
        }
    }
}

impl Store {
    /// Up to `limit` items of `kind` with an id after `after`, in id order.
    pub async fn harvest(
        &self,
        kind: HarvestKind,
        query: &HarvestQuery,
        after: &str,
        limit: i64,
    ) -> Result<Vec<HarvestItem>> {
        let sql = format!("{} ORDER BY id LIMIT $5", kind.sql());
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after)
            .bind(query.from.as_deref())
            .bind(query.until.as_deref())
            .bind(kind.filter(query))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(item_of).collect()
    }

    /// How many items of `kind` the query finds in all.
    pub async fn harvest_count(&self, kind: HarvestKind, query: &HarvestQuery) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM ({})", kind.sql());
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind("")
            .bind(query.from.as_deref())
            .bind(query.until.as_deref())
            .bind(kind.filter(query))
            .fetch_one(&self.pool)
            .await?)
    }

    /// The datestamp of one item, if it exists (and, for exhibits and exhibitions, is public).
    pub async fn harvest_one(&self, kind: HarvestKind, id: &str) -> Result<Option<HarvestItem>> {
        let sql = format!(
            "SELECT id, stamp, groups, deleted FROM ({}) WHERE id = $5",
            kind.sql()
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind("")
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(None::<String>)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(item_of).transpose()
    }

    /// The earliest datestamp of anything harvestable.
    pub async fn harvest_earliest(&self) -> Result<Option<String>> {
        let earliest: Option<String> = sqlx::query_scalar(
            "SELECT min(stamp) FROM (\
             SELECT min(imported_at) AS stamp FROM source_records \
             UNION ALL SELECT min(at) FROM person_redirects \
             UNION ALL SELECT min(updated_at) FROM exhibits \
             UNION ALL SELECT min(updated_at) FROM exhibitions)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(earliest.map(|s| format!("{}Z", s.chars().take(19).collect::<String>())))
    }

    /// The sources of the stored records, for sets.
    pub async fn sources(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT DISTINCT source FROM source_records ORDER BY source")
                .fetch_all(&self.pool)
                .await?,
        )
    }
}
