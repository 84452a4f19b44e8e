//! What pages and the API show of the domain types, in one reader's language.

use yodnoma_core::{Exhibit, Image, Language};

use crate::i18n::Locale;

/// An image as an `<img>` needs it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ImageView {
    pub id: String,
    pub url: String,
    pub alt: String,
    #[serde(skip)]
    pub alt_lang: &'static str,
    pub width: u32,
    pub height: u32,
    pub placeholder: bool,
    /// Served over IIIF from tiles, so the deep-zoom viewer can show it.
    pub zoomable: bool,
}

impl ImageView {
    pub fn new(image: &Image, locale: &Locale) -> Self {
        Self {
            id: image.id.to_string(),
            url: media_url(image),
            alt: locale.pick(&image.alt).to_owned(),
            alt_lang: locale.lang_of(&image.alt),
            width: image.width,
            height: image.height,
            placeholder: image.placeholder,
            zoomable: !image.placeholder && image.media_type != "image/svg+xml",
        }
    }
}

pub fn media_url(image: &Image) -> String {
    format!("/media/{}", image.id)
}

/// An exhibit in a list: its title and first image.
#[derive(Debug, Clone)]
pub struct ExhibitCard {
    pub url: String,
    pub title: String,
    pub title_lang: &'static str,
    pub image: Option<ImageView>,
}

impl ExhibitCard {
    pub fn new(exhibit: &Exhibit, locale: &Locale) -> Self {
        Self {
            url: format!("/exhibits/{}", exhibit.id),
            title: locale.pick(&exhibit.title).to_owned(),
            title_lang: locale.lang_of(&exhibit.title),
            image: exhibit.images.first().map(|i| ImageView::new(i, locale)),
        }
    }
}

/// A text in the reader's language with the language it is really in, for `lang=`.
#[derive(Debug, Clone)]
pub struct Localized {
    pub text: String,
    pub lang: &'static str,
}

impl Localized {
    pub fn new(map: &yodnoma_core::LanguageMap, locale: &Locale) -> Self {
        Self {
            text: locale.pick(map).to_owned(),
            lang: locale.lang_of(map),
        }
    }

    /// The text split into paragraphs at blank lines.
    pub fn paragraphs(&self) -> Vec<&str> {
        self.text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// Every language's text of a map, for the API: all four keys, missing ones left out.
pub fn all_languages(map: &yodnoma_core::LanguageMap) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    for lang in Language::ALL {
        if let Some(text) = map.exact(lang) {
            object.insert(lang.tag().to_owned(), text.into());
        }
    }
    serde_json::Value::Object(object)
}
