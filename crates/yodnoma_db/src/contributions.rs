//! Families' contributions and reports of problems, and their moderation.
//!
//! A contribution is never merged into source records: approved, it is shown beside them as the
//! family layer, under the contributor's display name. Every step (sent, approved, rejected,
//! edited, deleted, restored) is audited with the state before and after.

use sqlx::Row;
use sqlx::sqlite::SqliteRow;
use yodnoma_core::{Image, ImageId, Language, PersonId};

use crate::{DbError, Result, Store, now};

/// What a contribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    /// A story, with photos or documents, about a person (or proposing one).
    Story,
    /// A problem in the registry: a name misspelt, a wrong date.
    Report,
}

impl ContributionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Story => "story",
            Self::Report => "report",
        }
    }
}

/// Where a contribution is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionStatus {
    Pending,
    Approved,
    Rejected,
}

impl ContributionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "pending" => Ok(Self::Pending),
            "approved" => Ok(Self::Approved),
            "rejected" => Ok(Self::Rejected),
            other => Err(DbError::Corrupt(format!("contribution status {other:?}"))),
        }
    }
}

/// What a contributor sends.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewContribution {
    pub kind: ContributionKind,
    pub person: Option<PersonId>,
    pub user_id: Option<i64>,
    pub contact: Option<String>,
    #[serde(skip)]
    pub address: String,
    pub lang: Language,
    pub title: String,
    pub body: String,
    pub relation: Option<String>,
    pub dates: Option<String>,
    pub places: Option<String>,
    pub rights: Option<String>,
    pub consent: bool,
    /// Stored already (checked, with alt text); listed here in order.
    #[serde(skip)]
    pub images: Vec<ImageId>,
    /// For a person the registry lacks: the source-record columns proposed, as a JSON object.
    pub proposed: Option<String>,
}

/// A stored contribution.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Contribution {
    pub id: i64,
    pub kind: ContributionKind,
    pub person: Option<PersonId>,
    pub user_id: Option<i64>,
    /// The contributor's display name, if they gave one.
    pub contributor: Option<String>,
    pub contact: Option<String>,
    pub lang: Language,
    pub title: String,
    pub body: String,
    pub relation: Option<String>,
    pub dates: Option<String>,
    pub places: Option<String>,
    pub rights: Option<String>,
    pub consent: bool,
    #[serde(skip)]
    pub images: Vec<Image>,
    pub status: ContributionStatus,
    pub moderator_note: Option<String>,
    pub reason: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub deleted: bool,
    pub proposed: Option<String>,
}

/// A moderator's decision.
#[derive(Debug, Clone)]
pub enum Moderation {
    /// Shown on the person page; the text as the moderator left it, with a note of any edit.
    Approve {
        title: String,
        body: String,
        note: Option<String>,
    },
    /// Not shown; the contributor reads the reason.
    Reject { reason: String },
}

const SELECT: &str = "SELECT c.id, c.kind, c.person_id, c.user_id, u.display_name, c.contact, \
    c.lang, c.title, c.body, c.relation, c.dates, c.places, c.rights, c.consent, c.status, \
    c.moderator_note, c.reason, c.created_at, c.decided_at, c.deleted_at, c.proposed \
    FROM contributions c LEFT JOIN users u ON u.id = c.user_id";

fn contribution_of(row: &SqliteRow) -> Result<Contribution> {
    let kind: String = row.try_get("kind")?;
    let lang: String = row.try_get("lang")?;
    let person: Option<String> = row.try_get("person_id")?;
    let status: String = row.try_get("status")?;
    let deleted: Option<String> = row.try_get("deleted_at")?;
    Ok(Contribution {
        id: row.try_get("id")?,
        kind: match kind.as_str() {
            "story" => ContributionKind::Story,
            "report" => ContributionKind::Report,
            other => return Err(DbError::Corrupt(format!("contribution kind {other:?}"))),
        },
        person: person
            .map(|p| PersonId::parse(&p).map_err(|e| DbError::Corrupt(format!("{p:?}: {e}"))))
            .transpose()?,
        user_id: row.try_get("user_id")?,
        contributor: row.try_get("display_name")?,
        contact: row.try_get("contact")?,
        lang: Language::from_tag(&lang)
            .ok_or_else(|| DbError::Corrupt(format!("contribution language {lang:?}")))?,
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        relation: row.try_get("relation")?,
        dates: row.try_get("dates")?,
        places: row.try_get("places")?,
        rights: row.try_get("rights")?,
        consent: row.try_get("consent")?,
        images: Vec::new(),
        status: ContributionStatus::parse(&status)?,
        moderator_note: row.try_get("moderator_note")?,
        reason: row.try_get("reason")?,
        created_at: row.try_get("created_at")?,
        decided_at: row.try_get("decided_at")?,
        deleted: deleted.is_some(),
        proposed: row.try_get("proposed")?,
    })
}

/// The most contributions of a kind that one sender, and one address, may send in a window.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub per_sender: i64,
    pub per_address: i64,
    pub window_seconds: i64,
}

impl Store {
    /// Stores a contribution, pending moderation; returns its id.
    pub async fn add_contribution(&self, new: &NewContribution, actor: &str) -> Result<i64> {
        self.add_contribution_within(new, actor, None).await
    }

    /// [`Store::add_contribution`], refused with [`DbError::Limit`] when its sender (the account,
    /// or the address of a visitor without one) or its address has sent `quota`'s most in its
    /// window. Counted and inserted under the write lock, so that requests sent at once take
    /// turns instead of all passing one count.
    pub async fn add_contribution_within(
        &self,
        new: &NewContribution,
        actor: &str,
        quota: Option<Quota>,
    ) -> Result<i64> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some(quota) = quota {
            let since = crate::now_plus(-quota.window_seconds);
            let sender = (new.user_id, new.address.as_str());
            let by_sender = count_from_sender(&mut *tx, sender, new.kind, &since).await?;
            let by_address = count_from_address(&mut *tx, &new.address, new.kind, &since).await?;
            if by_sender >= quota.per_sender || by_address >= quota.per_address {
                return Err(DbError::Limit(format!(
                    "at most {} submissions an hour: please wait and send again later",
                    quota.per_sender
                )));
            }
        }
        let row = sqlx::query(
            "INSERT INTO contributions (kind, person_id, user_id, contact, address, lang, title, \
             body, relation, dates, places, rights, consent, status, created_at, proposed) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14, $15) \
             RETURNING id",
        )
        .bind(new.kind.as_str())
        .bind(new.person.as_ref().map(PersonId::as_str))
        .bind(new.user_id)
        .bind(new.contact.as_deref())
        .bind(&new.address)
        .bind(new.lang.tag())
        .bind(&new.title)
        .bind(&new.body)
        .bind(new.relation.as_deref())
        .bind(new.dates.as_deref())
        .bind(new.places.as_deref())
        .bind(new.rights.as_deref())
        .bind(new.consent)
        .bind(now())
        .bind(new.proposed.as_deref())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        for (position, image) in new.images.iter().enumerate() {
            sqlx::query(
                "INSERT INTO contribution_images (contribution_id, position, image_id) \
                 VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(image.as_str())
            .execute(&mut *tx)
            .await?;
        }
        let after = serde_json::to_string(new).map_err(|e| DbError::Invalid(e.to_string()))?;
        let change = crate::audit::Change {
            actor,
            action: &format!("send {}", new.kind.as_str()),
            subject: &format!("contribution {id}"),
            before: None,
            after: Some(&after),
        };
        crate::audit::record(&mut tx, &now(), change).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn with_images(&self, mut contribution: Contribution) -> Result<Contribution> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT image_id FROM contribution_images WHERE contribution_id = $1 ORDER BY position",
        )
        .bind(contribution.id)
        .fetch_all(&self.pool)
        .await?;
        for id in ids {
            let id = ImageId::parse(&id).map_err(|e| DbError::Corrupt(format!("{id:?}: {e}")))?;
            if let Some(image) = self.image(&id).await? {
                contribution.images.push(image);
            }
        }
        Ok(contribution)
    }

    async fn contributions_where(
        &self,
        condition: &str,
        bind: Option<String>,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Contribution>> {
        let sql = format!("{SELECT} WHERE {condition} LIMIT $2 OFFSET $3");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(bind)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            out.push(self.with_images(contribution_of(row)?).await?);
        }
        Ok(out)
    }

    pub async fn contribution(&self, id: i64) -> Result<Option<Contribution>> {
        let found = self
            .contributions_where("c.id = CAST($1 AS INTEGER)", Some(id.to_string()), 1, 0)
            .await?;
        Ok(found.into_iter().next())
    }

    /// The moderation queue: pending and not deleted, oldest first.
    pub async fn pending_contributions(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Contribution>> {
        self.contributions_where(
            "c.status = 'pending' AND c.deleted_at IS NULL AND $1 IS NULL ORDER BY c.id",
            None,
            limit,
            offset,
        )
        .await
    }

    /// Deleted contributions, newest first, for restoring.
    pub async fn deleted_contributions(&self, limit: i64) -> Result<Vec<Contribution>> {
        self.contributions_where(
            "c.deleted_at IS NOT NULL AND $1 IS NULL ORDER BY c.deleted_at DESC",
            None,
            limit,
            0,
        )
        .await
    }

    pub async fn pending_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM contributions WHERE status = 'pending' AND deleted_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    /// An account's own contributions, newest first, with their status and any reason.
    pub async fn contributions_of_user(&self, user_id: i64) -> Result<Vec<Contribution>> {
        self.contributions_where(
            "c.user_id = CAST($1 AS INTEGER) AND c.deleted_at IS NULL ORDER BY c.id DESC",
            Some(user_id.to_string()),
            200,
            0,
        )
        .await
    }

    /// Whether the photo `image` of a story may be shown to `user` (or to anyone, when
    /// `None`): its story is approved and not deleted, or `user` sent it.
    pub async fn family_photo_shown(&self, image: &ImageId, user: Option<i64>) -> Result<bool> {
        let shown: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM contribution_images ci \
             JOIN contributions c ON c.id = ci.contribution_id WHERE ci.image_id = $1 \
             AND ((c.status = 'approved' AND c.deleted_at IS NULL) OR c.user_id = $2))",
        )
        .bind(image.as_str())
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        Ok(shown)
    }

    /// What the person page shows: approved stories, oldest first.
    pub async fn approved_stories_of(&self, person: &PersonId) -> Result<Vec<Contribution>> {
        self.contributions_where(
            "(c.person_id = $1 OR c.person_id IN \
             (SELECT old_id FROM person_redirects WHERE new_id = $1)) \
             AND c.kind = 'story' AND c.status = 'approved' \
             AND c.deleted_at IS NULL ORDER BY c.id",
            Some(person.to_string()),
            100,
            0,
        )
        .await
    }

    /// Contributions of `kind` sent in the last `window_seconds` by this account, or, sent
    /// without one, from this address.
    pub async fn recent_contributions(
        &self,
        user_id: Option<i64>,
        address: &str,
        kind: ContributionKind,
        window_seconds: i64,
    ) -> Result<i64> {
        let since = crate::now_plus(-window_seconds);
        count_from_sender(&self.pool, (user_id, address), kind, &since).await
    }

    /// Contributions of `kind` sent from `address` in the last `window_seconds`, whoever was
    /// signed in.
    pub async fn recent_contributions_from(
        &self,
        address: &str,
        kind: ContributionKind,
        window_seconds: i64,
    ) -> Result<i64> {
        let since = crate::now_plus(-window_seconds);
        count_from_address(&self.pool, address, kind, &since).await
    }

    /// A moderator's decision on a pending contribution.
    pub async fn moderate(&self, id: i64, decision: Moderation, moderator: &str) -> Result<()> {
        let before = self
            .contribution(id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("contribution {id}")))?;
        if before.status != ContributionStatus::Pending || before.deleted {
            return Err(DbError::Invalid(format!(
                "contribution {id} is {} already",
                if before.deleted {
                    "deleted"
                } else {
                    before.status.as_str()
                }
            )));
        }
        let at = now();
        let mut after = before.clone();
        after.decided_at = Some(at.clone());
        let mut tx = self.pool.begin().await?;
        // Decided only if still waiting: of two moderators deciding at once, one wins.
        let (changed, action) = match decision {
            Moderation::Approve { title, body, note } => {
                let changed = sqlx::query(
                    "UPDATE contributions SET status = 'approved', title = $1, body = $2, \
                     moderator_note = $3, decided_at = $4, decided_by = $5 \
                     WHERE id = $6 AND status = 'pending' AND deleted_at IS NULL",
                )
                .bind(&title)
                .bind(&body)
                .bind(note.as_deref())
                .bind(&at)
                .bind(moderator)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                after.status = ContributionStatus::Approved;
                (after.title, after.body, after.moderator_note) = (title, body, note);
                (changed, "approve")
            }
            Moderation::Reject { reason } => {
                let changed = sqlx::query(
                    "UPDATE contributions SET status = 'rejected', reason = $1, decided_at = $2, \
                     decided_by = $3 WHERE id = $4 AND status = 'pending' AND deleted_at IS NULL",
                )
                .bind(&reason)
                .bind(&at)
                .bind(moderator)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                after.status = ContributionStatus::Rejected;
                after.reason = Some(reason);
                (changed, "reject")
            }
        };
        if changed.rows_affected() == 0 {
            return Err(DbError::Invalid(format!(
                "contribution {id} was decided meanwhile"
            )));
        }
        audit_contribution(&mut tx, (&before, &after), moderator, action).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes back an approval whose consequence failed (the person a proposal makes): the
    /// contribution waits again, as if not decided.
    pub async fn reopen_contribution(&self, id: i64, moderator: &str) -> Result<()> {
        let before = self
            .contribution(id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("contribution {id}")))?;
        let mut tx = self.pool.begin().await?;
        let reopened = sqlx::query(
            "UPDATE contributions SET status = 'pending', decided_at = NULL, decided_by = NULL \
             WHERE id = $1 AND status = 'approved' AND person_id IS NULL",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if reopened.rows_affected() == 0 {
            // Its person was made after all (only what came after failed): the approval stands.
            return Ok(());
        }
        let mut after = before.clone();
        after.status = ContributionStatus::Pending;
        after.decided_at = None;
        audit_contribution(&mut tx, (&before, &after), moderator, "reopen").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes a contribution softly (it disappears everywhere but from the moderators' list
    /// of what was deleted), or restores one.
    pub async fn set_contribution_deleted(
        &self,
        id: i64,
        deleted: bool,
        moderator: &str,
    ) -> Result<()> {
        let before = self
            .contribution(id)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("contribution {id}")))?;
        if before.deleted == deleted {
            return Err(DbError::Invalid(format!(
                "contribution {id} is {} already",
                if deleted { "deleted" } else { "not deleted" }
            )));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE contributions SET deleted_at = $1 WHERE id = $2")
            .bind(deleted.then(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut after = before.clone();
        after.deleted = deleted;
        let action = if deleted { "delete" } else { "restore" };
        audit_contribution(&mut tx, (&before, &after), moderator, action).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ties a contribution that proposed a person to the person made of it.
    pub async fn set_contribution_person(&self, id: i64, person: &PersonId) -> Result<()> {
        sqlx::query("UPDATE contributions SET person_id = $1 WHERE id = $2")
            .bind(person.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Sets the name an account's approved material is shown under.
    pub async fn set_display_name(&self, user_id: i64, name: &str) -> Result<()> {
        sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(name)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The audit entry of a moderator's change, written in the change's transaction.
async fn audit_contribution(
    tx: &mut sqlx::SqliteConnection,
    (before, after): (&Contribution, &Contribution),
    actor: &str,
    action: &str,
) -> Result<()> {
    let json =
        |c: &Contribution| serde_json::to_string(c).map_err(|e| DbError::Invalid(e.to_string()));
    let subject = format!("contribution {}", after.id);
    let (before, after) = (json(before)?, json(after)?);
    let change = crate::audit::Change {
        actor,
        action: &format!("{action} contribution"),
        subject: &subject,
        before: Some(&before),
        after: Some(&after),
    };
    crate::audit::record(tx, &now(), change).await
}

/// Contributions of `kind` since `since` from a sender: the account, or the address of a
/// visitor without one.
async fn count_from_sender<'c>(
    conn: impl sqlx::SqliteExecutor<'c>,
    (user_id, address): (Option<i64>, &str),
    kind: ContributionKind,
    since: &str,
) -> Result<i64> {
    let query = match user_id {
        Some(id) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM contributions WHERE user_id = $1 AND kind = $2 \
             AND created_at > $3",
        )
        .bind(id),
        None => sqlx::query_scalar(
            "SELECT COUNT(*) FROM contributions WHERE address = $1 AND user_id IS NULL \
             AND kind = $2 AND created_at > $3",
        )
        .bind(address.to_owned()),
    };
    Ok(query
        .bind(kind.as_str())
        .bind(since.to_owned())
        .fetch_one(conn)
        .await?)
}

/// Contributions of `kind` since `since` from `address`, whoever was signed in.
async fn count_from_address<'c>(
    conn: impl sqlx::SqliteExecutor<'c>,
    address: &str,
    kind: ContributionKind,
    since: &str,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM contributions WHERE address = $1 AND kind = $2 \
         AND created_at > $3",
    )
    .bind(address.to_owned())
    .bind(kind.as_str())
    .bind(since.to_owned())
    .fetch_one(conn)
    .await?)
}
