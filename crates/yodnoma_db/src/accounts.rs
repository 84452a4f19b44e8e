//! Accounts, sessions and failed sign-ins.
//!
//! The store keeps what it is given: password hashes are made by the web crate, and sessions are
//! kept under a hash of the browser's value, so neither a password nor a live session can be
//! read from a copy of the database.

use sqlx::Row;
use yodnoma_core::Role;

use crate::{DbError, Result, Store, now, now_plus};

/// An account as sign-in and authorization need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub display_name: Option<String>,
}

/// A signed-in account and the value its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

/// RFC 3339 text of now plus `seconds` (negative: in the past), as `now()` writes it.
fn user_of(row: &sqlx::sqlite::SqliteRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        role: Role::parse(&role).ok_or_else(|| DbError::Corrupt(format!("role {role:?}")))?,
        password_hash: row.try_get("password_hash")?,
        display_name: row.try_get("display_name")?,
    })
}

impl Store {
    /// Creates an account. `email` is already normalized; `display_name` is what approved
    /// contributions are shown under.
    pub async fn add_user(
        &self,
        email: &str,
        password_hash: &str,
        role: Role,
        display_name: Option<&str>,
        actor: &str,
    ) -> Result<i64> {
        if self.user_by_email(email).await?.is_some() {
            return Err(DbError::Invalid(format!(
                "an account for {email} exists already"
            )));
        }
        let at = now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (email, password_hash, role, created_at, password_changed_at, \
             display_name) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
        )
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(&at)
        .bind(display_name)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            // Two sign-ups for one address at once: the second finds the first's row.
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                DbError::Invalid(format!("an account for {email} exists already"))
            }
            _ => DbError::from(e),
        })?;
        let id: i64 = row.try_get("id")?;
        let after = serde_json::json!({ "email": email, "role": role }).to_string();
        let change = crate::audit::Change {
            actor,
            action: "add user",
            subject: &format!("user {id}"),
            before: None,
            after: Some(&after),
        };
        crate::audit::record(&mut tx, &at, change).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        sqlx::query(
            "SELECT id, email, role, password_hash, display_name FROM users WHERE email = $1",
        )
        .bind(email)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(user_of)
        .transpose()
    }

    /// Sets a new password and ends every session of the account. False if there is no such
    /// account.
    pub async fn set_password(&self, email: &str, password_hash: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE email = $3 \
             RETURNING id",
        )
        .bind(password_hash)
        .bind(now())
        .bind(email)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let id: i64 = row.try_get("id")?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let change = crate::audit::Change {
            actor: "cli",
            action: "reset password",
            subject: &format!("user {id}"),
            before: None,
            after: None,
        };
        crate::audit::record(&mut tx, &now(), change).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Opens a session for `lifetime_seconds`.
    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf: &str,
        lifetime_seconds: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(now())
        .bind(now_plus(lifetime_seconds))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session under `token_hash`, unless it has expired.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.password_hash, u.display_name, s.csrf FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Session {
                user: user_of(&row)?,
                csrf: row.try_get("csrf")?,
            })
        })
        .transpose()
    }

    /// Ends a session (signing out), and any expired ones while at it.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a failed sign-in and forgets those older than `window_seconds`, which no longer
    /// count: without a successful sign-in to clear them, guesses would pile up for good.
    /// Returns the failure's number, for [`Store::forget_login_failure`].
    pub async fn record_login_failure(
        &self,
        email: &str,
        address: &str,
        window_seconds: i64,
    ) -> Result<i64> {
        sqlx::query("DELETE FROM login_failures WHERE at <= $1")
            .bind(now_plus(-window_seconds))
            .execute(&self.pool)
            .await?;
        let row = sqlx::query(
            "INSERT INTO login_failures (email, address, at) VALUES ($1, $2, $3) RETURNING rowid",
        )
        .bind(email)
        .bind(address)
        .bind(now())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get(0)?)
    }

    /// Forgets one recorded failure of `email`: an attempt refused before its password was
    /// looked at. The address is checked too: a sign-in may have cleared the failure since,
    /// and its number been given to another.
    pub async fn forget_login_failure(&self, failure: i64, email: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE rowid = $1 AND email = $2")
            .bind(failure)
            .bind(email)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Records a sign-up from `address`, forgetting those older than `window_seconds`, and
    /// returns its number (for [`Store::forget_sign_up`]) and how many were made from the
    /// address within the window, this one included.
    pub async fn record_sign_up(&self, address: &str, window_seconds: i64) -> Result<(i64, i64)> {
        let since = now_plus(-window_seconds);
        sqlx::query("DELETE FROM sign_ups WHERE at <= $1")
            .bind(&since)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query("INSERT INTO sign_ups (address, at) VALUES ($1, $2) RETURNING rowid")
            .bind(address)
            .bind(now())
            .fetch_one(&self.pool)
            .await?;
        let id = row.try_get(0)?;
        let row = sqlx::query("SELECT COUNT(*) FROM sign_ups WHERE address = $1 AND at > $2")
            .bind(address)
            .bind(&since)
            .fetch_one(&self.pool)
            .await?;
        Ok((id, row.try_get(0)?))
    }

    /// Forgets a sign-up that made no account.
    pub async fn forget_sign_up(&self, sign_up: i64) -> Result<()> {
        sqlx::query("DELETE FROM sign_ups WHERE rowid = $1")
            .bind(sign_up)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How many failed sign-ins are kept.
    pub async fn login_failure_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM login_failures")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Failed sign-ins in the last `window_seconds`: for this account, and from this address.
    pub async fn login_failures(
        &self,
        email: &str,
        address: &str,
        window_seconds: i64,
    ) -> Result<(i64, i64)> {
        let since = now_plus(-window_seconds);
        let count = |column: &'static str, value: &str| {
            let sql =
                format!("SELECT COUNT(*) AS n FROM login_failures WHERE {column} = $1 AND at > $2");
            let value = value.to_owned();
            let since = since.clone();
            async move {
                let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(value)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await?;
                Ok::<i64, DbError>(row.try_get("n")?)
            }
        };
        Ok((
            count("email", email).await?,
            count("address", address).await?,
        ))
    }

    /// Forgets an account's failed sign-ins after a successful one, and everyone's old ones.
    pub async fn clear_login_failures(&self, email: &str, older_than_seconds: i64) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1 OR at <= $2")
            .bind(email)
            .bind(now_plus(-older_than_seconds))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
