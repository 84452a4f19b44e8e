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
    /// An event of the war: a battle, an operation, a unit's formation, a home-front event.
    EventId,
    "event id"
);
id_type!(
    /// A place of memory: a memorial, a monument, a museum or a burial place.
    MemorialId,
    "memorial id"
);
id_type!(
    /// A published figure the registry's counts are set beside.
    FigureId,
    "figure id"
);
id_type!(
    /// The name of a source: one list, register or catalogue that records were imported from.
    SourceName,
    "source name"
);

impl SourceName {
    /// The source of the records made from families' approved proposals, which only their
    /// moderation writes: an import may not take its name, or it could overwrite them.
    pub const FAMILIES: &'static str = "families";
}

impl ImageId {
    /// How the ids of families' photos begin: they are served only as their stories allow, so
    /// a museum's image may not take such an id, or it would be shown to no one.
    pub const FAMILY_PREFIX: &'static str = "family-";

    /// Whether this is the id of a family's photo.
    pub fn is_family_photo(&self) -> bool {
        self.as_str().starts_with(Self::FAMILY_PREFIX)
    }
}

/// Crockford's base 32 alphabet: no I, L, O or U, so an id read aloud or copied by hand
/// survives.
const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

impl PersonId {
    /// Bits of the creation time in an id: milliseconds since 1970 fit 42 bits until 2109.
    const TIME_BITS: u32 = 42;
    /// Bits of the sequence: enough that two processes creating persons in the same millisecond,
    /// each counting from its own random start, practically never meet.
    const SEQUENCE_BITS: u32 = 38;

    /// A person id from the creation time and a sequence number: `p` and 16 base-32 digits.
    ///
    /// Ids made later sort later, so new persons are appended to the end of the store's index
    /// instead of landing at random places in it, which keeps bulk imports fast. The sequence
    /// makes ids unique within a process; its random start keeps several nodes apart.
    pub fn from_time_and_sequence(unix_millis: u64, sequence: u64) -> Self {
        let time = u128::from(unix_millis) & ((1 << Self::TIME_BITS) - 1);
        let sequence = u128::from(sequence) & ((1 << Self::SEQUENCE_BITS) - 1);
        let bits = (time << Self::SEQUENCE_BITS) | sequence;
        let mut text = String::with_capacity(17);
        text.push('p');
        for i in (0..16).rev() {
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
    fn person_ids_are_fixed_width_distinct_and_sort_by_time() {
        let a = PersonId::from_time_and_sequence(0, 0);
        let b = PersonId::from_time_and_sequence(1_764_000_000_000, u64::MAX);
        let c = PersonId::from_time_and_sequence(1_764_000_000_001, 0);
        assert_eq!(a.as_str(), "p0000000000000000");
        assert_eq!(b.as_str().len(), 17);
        assert!(a < b && b < c, "later ids sort later");
        assert_ne!(
            PersonId::from_time_and_sequence(5, 1),
            PersonId::from_time_and_sequence(5, 2)
        );
        assert!(PersonId::parse(b.as_str()).is_ok());
    }
}
