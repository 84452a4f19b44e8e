//! `yodnoma user add --role ROLE EMAIL` and `yodnoma user reset-password EMAIL`: accounts made
//! from the command line, so no mail server is needed. The password is asked twice on a
//! terminal (not echoed), or read as the first line of the standard input in scripts.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use yodnoma_core::{Role, normalize_email};

use crate::cli::UserCommand;
use crate::data_dir::DataDir;

pub async fn run(data: &DataDir, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { role, email } => {
            let role = Role::parse(&role).with_context(|| {
                format!("--role {role:?}: choose admin, curator, moderator or contributor")
            })?;
            let email = checked_email(&email)?;
            let store = data.open_store().await?;
            if store.user_by_email(&email).await?.is_some() {
                store.close().await;
                bail!("an account for {email} exists already: use `yodnoma user reset-password`");
            }
            let hash = new_password_hash()?;
            let added = store.add_user(&email, &hash, role, None, "cli").await;
            store.close().await;
            added?;
            writeln!(std::io::stdout().lock(), "added {email} ({role})")?;
        }
        UserCommand::ResetPassword { email } => {
            let email = checked_email(&email)?;
            let store = data.open_store().await?;
            if store.user_by_email(&email).await?.is_none() {
                store.close().await;
                bail!("there is no account for {email}");
            }
            let hash = new_password_hash()?;
            let changed = store.set_password(&email, &hash).await;
            store.close().await;
            changed?;
            writeln!(
                std::io::stdout().lock(),
                "the password of {email} is changed; its sessions are ended"
            )?;
        }
    }
    Ok(())
}

fn checked_email(text: &str) -> anyhow::Result<String> {
    normalize_email(text).with_context(|| format!("{text:?} is not an e-mail address"))
}

/// Reads the new password (twice on a terminal) and hashes it.
fn new_password_hash() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("The same password again: ")?;
        if first != second {
            bail!("the two passwords differ; nothing was changed");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from the standard input")?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    };
    yodnoma_web::hash_password(&password).map_err(|e| anyhow::anyhow!("{e}; nothing was changed"))
}
