//! The store: the single source of truth of yodnoma. All SQL of the project lives in this
//! crate; the rest of the system sees typed methods on [`Store`].
//!
//! The embedded default is SQLite in WAL mode. Queries use only the SQL that SQLite and
//! PostgreSQL share (`$1` parameters, `ON CONFLICT ... DO UPDATE`, `RETURNING`), so that a
//! PostgreSQL backend needs its own migrations and pool, not new queries.

mod accounts;
mod audit;
mod contributions;
mod exhibitions;
mod linkage;
mod memory;
mod oai;
mod records;

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqlStr, SqlitePool};
use yodnoma_core::PersonId;

pub use accounts::{Session, User};
pub use audit::AuditEntry;
pub use contributions::{
    Contribution, ContributionKind, ContributionStatus, Moderation, NewContribution, Quota,
};
pub use exhibitions::Edit;
pub use linkage::{
    LinkDecision, LinkPair, LinkRecord, LinkRun, LinkWrite, MovedRecord, PairRecord, ReviewPair,
    Undone,
};
pub use memory::LinkedPerson;
pub use oai::{HarvestItem, HarvestKind, HarvestQuery};
pub use records::{ImportBatch, PersonScope, RecordFields, StagedRecords, UpsertOutcome};

/// Everything that can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A stored value that cannot be read back: the database was changed outside yodnoma.
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Invalid(String),
    /// Past a limit on how many of something may be sent in a while.
    #[error("{0}")]
    Limit(String),
    /// A change made on a state that another change has replaced since.
    #[error("{0}")]
    Conflict(String),
}

impl DbError {
    /// Whether the store refused to delete a row because another refers to it.
    pub fn is_referred_to(&self) -> bool {
        matches!(self, DbError::Sqlx(sqlx::Error::Database(db)) if db.is_foreign_key_violation())
    }
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

/// The schema, as numbered SQL files compiled into the binary and applied in order on start.
fn migrator() -> Migrator {
    let sql = [
        (
            1,
            "initial",
            include_str!("../migrations/sqlite/0001_initial.sql"),
        ),
        (
            2,
            "batch index",
            include_str!("../migrations/sqlite/0002_batch_index.sql"),
        ),
        (
            3,
            "drop name key",
            include_str!("../migrations/sqlite/0003_drop_name_key.sql"),
        ),
        (
            4,
            "linkage",
            include_str!("../migrations/sqlite/0004_linkage.sql"),
        ),
        (
            5,
            "accounts",
            include_str!("../migrations/sqlite/0005_accounts.sql"),
        ),
        (
            6,
            "contributions",
            include_str!("../migrations/sqlite/0006_contributions.sql"),
        ),
        (
            7,
            "change times",
            include_str!("../migrations/sqlite/0007_change_times.sql"),
        ),
        (
            8,
            "proposed persons",
            include_str!("../migrations/sqlite/0008_proposed_persons.sql"),
        ),
        (
            9,
            "memory",
            include_str!("../migrations/sqlite/0009_memory.sql"),
        ),
        (
            10,
            "exhibition languages",
            include_str!("../migrations/sqlite/0010_exhibition_languages.sql"),
        ),
        (
            11,
            "throttling",
            include_str!("../migrations/sqlite/0011_throttling.sql"),
        ),
        (
            12,
            "linkage history",
            include_str!("../migrations/sqlite/0012_linkage_history.sql"),
        ),
        (
            13,
            "undo history",
            include_str!("../migrations/sqlite/0013_undo_history.sql"),
        ),
        (
            14,
            "revisions",
            include_str!("../migrations/sqlite/0014_revisions.sql"),
        ),
    ];
    Migrator::with_migrations(
        sql.into_iter()
            .map(|(version, description, text)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    SqlStr::from_static(text),
                    false,
                )
            })
            .collect(),
    )
}

/// A handle on the database. Cheap to clone; all clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    /// The sequence part of new person ids; starts at a random point in each process.
    person_sequence: Arc<AtomicU64>,
}

impl Store {
    /// Opens (creating it if need be) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // With WAL, NORMAL loses at most the last transactions on a power cut, never
            // consistency; FULL would halve import speed.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // 64 MiB of page cache per connection (the default is 2 MiB): the indexes of a
            // registry of millions stay in memory while an import appends to them.
            .pragma("cache_size", "-65536")
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        migrator().run(&pool).await?;
        Ok(Self {
            pool,
            person_sequence: Arc::new(AtomicU64::new(rand::random())),
        })
    }

    /// A new person id, never given before.
    pub fn new_person_id(&self) -> PersonId {
        let millis = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        let sequence = self.person_sequence.fetch_add(1, Ordering::Relaxed);
        PersonId::from_time_and_sequence(millis, sequence)
    }

    /// Writes a consistent copy of the database to `path` (which must not exist), while others
    /// go on reading and writing: SQLite's `VACUUM INTO` reads one snapshot.
    pub async fn snapshot_to(&self, path: &Path) -> Result<()> {
        let target = path
            .to_str()
            .ok_or_else(|| DbError::Invalid(format!("{} is not a UTF-8 path", path.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes every connection, checkpointing the WAL into the main file.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The current time as RFC 3339 text in UTC, the one timestamp format of the store.
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The time `seconds` from now (before it, when negative), written as [`now`] writes it.
fn now_plus(seconds: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::seconds(seconds))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Reads a JSON column written by this crate.
fn from_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| DbError::Corrupt(format!("{column}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| DbError::Invalid(e.to_string()))
}

#[cfg(test)]
mod tests;
