//! The audit log: every change, by anyone, with the state before and after.

use sqlx::Row;

use crate::{Result, Store, now};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A change to record: who did what to which thing, with JSON documents of its state before and
/// after.
pub(crate) struct Change<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// Writes `change` at time `at` on `conn`: inside the transaction of the change itself, where
/// there is one, so that the change and its entry are kept or lost together.
pub(crate) async fn record(
    conn: &mut sqlx::SqliteConnection,
    at: &str,
    change: Change<'_>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, subject, before_state, after_state) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at)
    .bind(change.actor)
    .bind(change.action)
    .bind(change.subject)
    .bind(change.before)
    .bind(change.after)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Records a change. `before` and `after` are JSON documents of the changed state.
    pub async fn audit(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        let change = Change {
            actor,
            action,
            subject,
            before,
            after,
        };
        record(&mut conn, &now(), change).await
    }

    /// The latest changes, newest first.
    pub async fn audit_log(&self, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, action, subject, before_state, after_state FROM audit_log \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    at: r.try_get(0)?,
                    actor: r.try_get(1)?,
                    action: r.try_get(2)?,
                    subject: r.try_get(3)?,
                    before: r.try_get(4)?,
                    after: r.try_get(5)?,
                })
            })
            .collect()
    }
}
