//! Places: the same settlement is Karaganda, Караганда, Қарағанды and Qarağandy, and belonged to
//! other districts and regions in 1941 than today.

use crate::lang::LanguageMap;

/// The level of a place in the administrative hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Settlement,
    District,
    Region,
    Republic,
}

/// A place with its names by language, its parent in the hierarchy and today's country.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Place {
    pub names: LanguageMap,
    pub kind: PlaceKind,
    pub parent: Option<Box<Place>>,
    /// Today's country, in English: what a family writes when it searches today.
    pub country: Option<String>,
    /// Latitude and longitude in degrees (WGS 84).
    pub coordinates: Option<(f64, f64)>,
}

impl Place {
    /// Whether `self` lies within `other` (or is it): a settlement is within its district,
    /// region and republic.
    pub fn is_within(&self, other: &Place) -> bool {
        let mut current = Some(self);
        while let Some(place) = current {
            if place.kind == other.kind && place.names == other.names {
                return true;
            }
            current = place.parent.as_deref();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Language;

    #[test]
    fn a_town_is_within_its_region() {
        let region = Place {
            names: LanguageMap::new().with(Language::Ru, "Карагандинская область"),
            kind: PlaceKind::Region,
            parent: None,
            country: Some("Kazakhstan".to_owned()),
            coordinates: None,
        };
        let town = Place {
            names: LanguageMap::new()
                .with(Language::Ru, "Балхаш")
                .with(Language::Kk, "Балқаш"),
            kind: PlaceKind::Settlement,
            parent: Some(Box::new(region.clone())),
            country: Some("Kazakhstan".to_owned()),
            coordinates: Some((46.85, 74.98)),
        };
        assert!(town.is_within(&region));
        assert!(!region.is_within(&town));
    }
}
