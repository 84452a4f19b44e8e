//! Values the unit tests of several modules build alike.

#![allow(clippy::unwrap_used)]

use yodnoma_core::{Exhibit, ExhibitId, LanguageMap};

/// Exhibit `e1`: untitled, no museum, no image, with these rights.
pub fn bare_exhibit(rights: &str) -> Exhibit {
    Exhibit {
        id: ExhibitId::parse("e1").unwrap(),
        title: LanguageMap::default(),
        description: LanguageMap::default(),
        creator: None,
        date: None,
        technique: LanguageMap::default(),
        dimensions: None,
        institution: LanguageMap::default(),
        inventory_number: None,
        rights: Some(rights.to_owned()),
        images: Vec::new(),
        persons: Vec::new(),
    }
}
