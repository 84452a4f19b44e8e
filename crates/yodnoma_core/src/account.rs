//! Accounts' roles and what each may do.
//!
//! Roles are not a ladder: a moderator handles families' contributions and reports, a curator
//! the registry and the exhibitions, an admin everything. So each action lists its roles.

use std::fmt;

/// The role of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Curator,
    Moderator,
    Contributor,
}

/// Something only some accounts may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Review record linkage: decide pairs, split records off a person, undo.
    ReviewLinkage,
    /// Approve or reject families' contributions and reports.
    Moderate,
    /// Add stories, photos and documents to persons (they wait for a moderator).
    Contribute,
    /// Read the audit log and manage accounts.
    Administer,
    /// Compose, preview and publish exhibitions, and describe their exhibits and images.
    Curate,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Curator,
        Role::Moderator,
        Role::Contributor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Curator => "curator",
            Self::Moderator => "moderator",
            Self::Contributor => "contributor",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Whether an account of this role may do `action`.
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::ReviewLinkage => matches!(self, Self::Admin | Self::Curator),
            Action::Moderate => matches!(self, Self::Admin | Self::Moderator),
            Action::Contribute => true,
            Action::Administer => self == Self::Admin,
            Action::Curate => matches!(self, Self::Admin | Self::Curator),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An e-mail address as accounts are keyed: trimmed and lower-cased, with one `@` between a
/// local part and a domain, no spaces, at most 254 characters. `None` when it is not one.
pub fn normalize_email(text: &str) -> Option<String> {
    let email = text.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    plausible.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_and_only_some_review_linkage() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            assert!(role.may(Action::Contribute));
        }
        assert_eq!(Role::parse("root"), None);
        let reviewers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.may(Action::ReviewLinkage))
            .collect();
        assert_eq!(reviewers, [Role::Admin, Role::Curator]);
        let curators: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.may(Action::Curate))
            .collect();
        assert_eq!(curators, [Role::Admin, Role::Curator]);
        assert!(!Role::Curator.may(Action::Moderate));
        assert!(!Role::Moderator.may(Action::Administer));
    }

    #[test]
    fn emails_are_keyed_lower_case_and_nonsense_is_refused() {
        assert_eq!(
            normalize_email("  Aigul@Museum.KZ "),
            Some("aigul@museum.kz".to_owned())
        );
        for bad in [
            "",
            "aigul",
            "@museum.kz",
            "aigul@museum",
            "a b@museum.kz",
            "a@b@c.kz",
            "a@.kz",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad}");
        }
    }
}
