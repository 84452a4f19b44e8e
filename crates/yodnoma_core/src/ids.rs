//! Identifiers. Every id that appears in a URL is one of these newtypes, checked once when it
//! enters the system, so that no handler or query sees an id that could not have been stored.

use std::fmt;

/// Why a text is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{kind} is empty")]
    Empty { kind: &'static str },
    #[error("{kind} is longer than {max} characters")]
    TooLong { kind: &'static str, max: usize },
    #[error("{kind} '{text}' may only hold letters a–z, digits, '-', '_' and '.'")]
    Characters { kind: &'static str, text: String },
}

const MAX_ID_LEN: usize = 128;

/// Ids used in URLs are restricted to a safe ASCII set, so they never need escaping and can
/// name files in the media store.
fn check(kind: &'static str, text: &str) -> Result<(), IdError> {
    if text.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if text.len() > MAX_ID_LEN {
        return Err(IdError::TooLong {
            kind,
            max: MAX_ID_LEN,
        });
    }
    let safe = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
    if !text.bytes().all(safe) || text.starts_with('.') {
        return Err(IdError::Characters {
            kind,
            text: text.chars().take(40).collect(),
        });
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(text: &str) -> Result<Self, IdError> {
                check($kind, text)?;
                Ok(Self(text.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::parse(text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_type!(
    /// A person of the registry. Stable and citable: an id is never given to another person.
    PersonId,
    "person id"
);
id_type!(
    /// An exhibit: an artwork, a photograph or a document shown in exhibitions.
    ExhibitId,
    "exhibit id"
);
id_type!(
    /// A virtual exhibition.
    ExhibitionId,
    "exhibition id"
);
id_type!(
    /// An image in the media store, served over IIIF under this id.
    ImageId,
    "image id"
);
id_type!(
    /// The name of a source: one list, register or catalogue that records were imported from.
    SourceName,
    "source name"
);

/// Crockford's base 32 alphabet: no I, L, O or U, so an id read aloud or copied by hand
/// survives.
const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

impl PersonId {
    /// A person id from 64 random bits: `p` and 13 base-32 digits. Random rather than
    /// sequential so that several nodes can create persons without coordinating.
    pub fn from_random(bits: u64) -> Self {
        let mut text = String::with_capacity(14);
        text.push('p');
        for i in (0..13).rev() {
            // 13 digits of 5 bits cover 65 bits; the top digit holds the remaining 4.
            let digit = (bits >> (i * 5)) & 0x1f;
            text.push(char::from(CROCKFORD[digit as usize]));
        }
        Self(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_safe_ids_and_names_the_problem_otherwise() {
        assert!(ExhibitId::parse("faces-of-victory.01").is_ok());
        assert_eq!(
            PersonId::parse("").map_err(|e| e.to_string()),
            Err("person id is empty".to_owned())
        );
        assert!(ImageId::parse("../etc/passwd").is_err());
        assert!(ImageId::parse(".hidden").is_err());
        assert!(ImageId::parse("a/b").is_err());
        assert!(SourceName::parse(&"x".repeat(129)).is_err());
    }

    #[test]
    fn random_person_ids_are_fixed_width_and_distinct() {
        let a = PersonId::from_random(0);
        let b = PersonId::from_random(u64::MAX);
        assert_eq!(a.as_str(), "p0000000000000");
        assert_eq!(b.as_str().len(), 14);
        assert_ne!(a, b);
        assert!(PersonId::parse(b.as_str()).is_ok());
    }
}
