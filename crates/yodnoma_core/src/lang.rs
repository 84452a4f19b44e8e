//! Languages of the site and language maps for content.
//!
//! Content (titles, narratives, alt texts) is stored as a map from language to text, and shown
//! in the reader's language when it exists, else in the first language of a fallback order.

use std::collections::BTreeMap;
use std::fmt;

/// The languages the site is written in. Uzbek is written in the Latin alphabet of 1995.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    Ru,
    Kk,
    Uz,
    En,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::Ru, Language::Kk, Language::Uz, Language::En];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::Kk => "kk",
            Self::Uz => "uz",
            Self::En => "en",
        }
    }

    /// The language's own name for itself, as shown in a language switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Self::Ru => "Русский",
            Self::Kk => "Қазақша",
            Self::Uz => "Oʻzbekcha",
            Self::En => "English",
        }
    }

    /// Reads a BCP 47 tag, ignoring case and any region or script subtag (`kk-KZ`, `uz-Latn`).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.trim();
        Self::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The order in which content languages are tried when the reader's own is missing.
    /// Russian comes early for the Central Asian languages because nearly every source and
    /// many museum texts exist in it; English readers are more likely to read Russian names
    /// than Kazakh or Uzbek text.
    pub fn fallback_order(self) -> [Language; 4] {
        match self {
            Self::Ru => [Self::Ru, Self::En, Self::Kk, Self::Uz],
            Self::Kk => [Self::Kk, Self::Ru, Self::En, Self::Uz],
            Self::Uz => [Self::Uz, Self::Ru, Self::En, Self::Kk],
            Self::En => [Self::En, Self::Ru, Self::Kk, Self::Uz],
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut best: Option<(f32, Language)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(|t| Self::from_tag(t.trim())) else {
                continue;
            };
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// As its BCP 47 tag, as in the language maps.
impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.tag())
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// A text in several languages, keyed by BCP 47 tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct LanguageMap(BTreeMap<String, String>);

impl LanguageMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, lang: Language, text: impl Into<String>) -> Self {
        self.insert(lang, text);
        self
    }

    pub fn insert(&mut self, lang: Language, text: impl Into<String>) {
        self.0.insert(lang.tag().to_owned(), text.into());
    }

    /// The text in exactly this language, if there is one.
    pub fn exact(&self, lang: Language) -> Option<&str> {
        self.0
            .get(lang.tag())
            .map(String::as_str)
            .filter(|t| !t.is_empty())
    }

    /// The text to show a reader of `lang`, and the language it is in.
    pub fn resolve(&self, lang: Language) -> Option<(Language, &str)> {
        lang.fallback_order()
            .into_iter()
            .find_map(|l| self.exact(l).map(|t| (l, t)))
            .or_else(|| {
                // Content in a language the site does not speak is still better than nothing.
                self.0.iter().find_map(|(tag, t)| {
                    let l = Language::from_tag(tag).unwrap_or(lang);
                    (!t.is_empty()).then_some((l, t.as_str()))
                })
            })
    }

    /// The text to show a reader of `lang`, or an empty string when the map is empty.
    pub fn get(&self, lang: Language) -> &str {
        self.resolve(lang).map_or("", |(_, t)| t)
    }

    /// The languages that have no text: what a curator still has to write.
    pub fn missing(&self) -> Vec<Language> {
        Language::ALL
            .into_iter()
            .filter(|l| self.exact(*l).is_none())
            .collect()
    }

    /// The language tags the map has text under, as written (perhaps not one the site speaks).
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(String::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_in_order() {
        let map = LanguageMap::new()
            .with(Language::Ru, "Лица Победы")
            .with(Language::En, "Faces of Victory");
        assert_eq!(map.get(Language::En), "Faces of Victory");
        assert_eq!(
            map.resolve(Language::Kk),
            Some((Language::Ru, "Лица Победы"))
        );
        assert_eq!(map.missing(), vec![Language::Kk, Language::Uz]);
        assert_eq!(LanguageMap::new().get(Language::Uz), "");
    }

    #[test]
    fn reads_accept_language_by_quality() {
        assert_eq!(
            Language::from_accept_language("de-DE,kk;q=0.8,ru;q=0.9"),
            Some(Language::Ru)
        );
        assert_eq!(
            Language::from_accept_language("uz-Latn-UZ"),
            Some(Language::Uz)
        );
        assert_eq!(Language::from_accept_language("fr, de;q=0.5"), None);
        assert_eq!(
            Language::from_accept_language("kk;q=0, en;q=0.1"),
            Some(Language::En)
        );
        assert_eq!(Language::from_accept_language(";;,q=,"), None);
    }
}
