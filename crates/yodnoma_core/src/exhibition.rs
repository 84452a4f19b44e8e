//! Images, exhibits and virtual exhibitions.
//!
//! An exhibition is an ordered list of sections; a section holds narrative blocks and exhibits
//! in order. All text a visitor reads is a [`LanguageMap`].

use crate::ids::{ExhibitId, ExhibitionId, ImageId, PersonId};
use crate::lang::{Language, LanguageMap};

/// An image in the media store. The original is kept unchanged; what is served is derived.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Image {
    pub id: ImageId,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    /// What the image shows, for those who cannot see it. Empty only for an image imported
    /// without it, which nothing shows until it is described (see [`Image::check_alt`]).
    pub alt: LanguageMap,
    pub rights: Option<String>,
    /// A generated stand-in until a museum uploads the real image.
    pub placeholder: bool,
}

/// Why an image cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("image {0} has no alt text: describe what it shows in at least one language")]
    NoAltText(ImageId),
}

impl Image {
    /// Every image must say what it shows. A museum page whose portrait has an empty alt
    /// attribute shuts out every visitor who uses a screen reader.
    pub fn check_alt(&self) -> Result<(), ImageError> {
        if self.alt.is_empty() {
            return Err(ImageError::NoAltText(self.id.clone()));
        }
        Ok(())
    }
}

/// An object shown in exhibitions: a painting, a portrait, a photograph, a document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exhibit {
    pub id: ExhibitId,
    pub title: LanguageMap,
    pub description: LanguageMap,
    pub creator: Option<String>,
    pub date: Option<String>,
    pub technique: LanguageMap,
    pub dimensions: Option<String>,
    pub institution: LanguageMap,
    pub inventory_number: Option<String>,
    pub rights: Option<String>,
    pub images: Vec<Image>,
    /// The persons the exhibit depicts or concerns.
    pub persons: Vec<PersonId>,
}

/// An image that lacks alt text in a language its exhibition is published in: publishing waits
/// until a curator has written it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingAlt {
    pub exhibit: ExhibitId,
    pub image: ImageId,
    pub lang: Language,
}

impl std::fmt::Display for MissingAlt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exhibit {}, image {}: no alt text in {} ({})",
            self.exhibit,
            self.image,
            self.lang.endonym(),
            self.lang.tag()
        )
    }
}

/// Every alt text still missing before `exhibits` can be published in `languages`, in order.
pub fn missing_alt(exhibits: &[Exhibit], languages: &[Language]) -> Vec<MissingAlt> {
    let mut missing = Vec::new();
    for exhibit in exhibits {
        for image in &exhibit.images {
            for &lang in languages {
                if image.alt.exact(lang).is_none_or(|t| t.trim().is_empty()) {
                    missing.push(MissingAlt {
                        exhibit: exhibit.id.clone(),
                        image: image.id.clone(),
                        lang,
                    });
                }
            }
        }
    }
    missing
}

/// A narrative block between exhibits.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Block {
    Text {
        text: LanguageMap,
    },
    Quote {
        text: LanguageMap,
        attribution: LanguageMap,
    },
}

/// A section of an exhibition: its blocks are shown first, then its exhibits, both in order.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Section {
    pub title: LanguageMap,
    pub blocks: Vec<Block>,
    pub exhibits: Vec<ExhibitId>,
}

/// Whether visitors can see an exhibition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    Draft,
    Published,
}

impl PublicationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            _ => None,
        }
    }
}

/// A virtual exhibition.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Exhibition {
    pub id: ExhibitionId,
    pub title: LanguageMap,
    pub introduction: LanguageMap,
    pub curator: Option<String>,
    pub institution: LanguageMap,
    pub status: PublicationStatus,
    /// The languages it is published in: every image it shows needs alt text in each.
    pub languages: Vec<Language>,
    pub sections: Vec<Section>,
}

impl Exhibition {
    /// The languages in which the title or introduction is still missing.
    pub fn untranslated(&self) -> Vec<Language> {
        let mut missing = self.title.missing();
        for lang in self.introduction.missing() {
            if !missing.contains(&lang) {
                missing.push(lang);
            }
        }
        missing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_without_alt_text_is_refused() {
        let Ok(id) = ImageId::parse("portrait-1") else {
            panic!("fixture id")
        };
        let mut image = Image {
            id,
            media_type: "image/svg+xml".to_owned(),
            width: 600,
            height: 800,
            alt: LanguageMap::new(),
            rights: None,
            placeholder: true,
        };
        assert!(image.check_alt().is_err());
        image.alt.insert(Language::En, "Placeholder portrait");
        assert!(image.check_alt().is_ok());
    }

    #[test]
    fn missing_alt_names_each_image_and_language() {
        let (Ok(exhibit_id), Ok(image_id)) = (ExhibitId::parse("x-1"), ImageId::parse("i-1"))
        else {
            panic!("fixture ids")
        };
        let image = Image {
            id: image_id,
            media_type: "image/jpeg".to_owned(),
            width: 10,
            height: 10,
            alt: LanguageMap::new()
                .with(Language::Ru, "Портрет")
                .with(Language::Kk, "  "),
            rights: None,
            placeholder: false,
        };
        let exhibit = Exhibit {
            id: exhibit_id,
            title: LanguageMap::new(),
            description: LanguageMap::new(),
            creator: None,
            date: None,
            technique: LanguageMap::new(),
            dimensions: None,
            institution: LanguageMap::new(),
            inventory_number: None,
            rights: None,
            images: vec![image],
            persons: Vec::new(),
        };
        let missing = missing_alt(std::slice::from_ref(&exhibit), &Language::ALL);
        let langs: Vec<Language> = missing.iter().map(|m| m.lang).collect();
        assert_eq!(langs, [Language::Kk, Language::Uz, Language::En]);
        assert_eq!(
            missing[0].to_string(),
            "exhibit x-1, image i-1: no alt text in Қазақша (kk)"
        );
        assert!(missing_alt(&[exhibit], &[Language::Ru]).is_empty());
    }

    #[test]
    fn blocks_serialize_with_their_kind() {
        let block = Block::Text {
            text: LanguageMap::new().with(Language::En, "Intro"),
        };
        let json = serde_json::to_string(&block).unwrap_or_default();
        assert_eq!(json, r#"{"kind":"text","text":{"en":"Intro"}}"#);
    }
}
