//! The bundled demo: the heroes of `demo/heroes.csv` as source records of the `demo` source,
//! and the "Faces of Victory" exhibition of `demo/exhibition.json` with one exhibit each.
//!
//! The portraits are placeholders drawn at load time, with alt text in every language: no image
//! is taken from anywhere.

use crate::import_memory::{MemoryFile, import_memory};
use std::collections::BTreeMap;

use anyhow::{Context, bail};
use indicatif::ProgressBar;
use yodnoma_core::{
    Block, Exhibit, ExhibitId, Exhibition, ExhibitionId, Image, ImageId, Language, LanguageMap,
    PublicationStatus, Section, SourceName,
};
use yodnoma_db::Store;
use yodnoma_media::{Media, MediaError, PLACEHOLDER_HEIGHT, PLACEHOLDER_WIDTH};
use yodnoma_search::SearchIndex;

const HEROES: &str = include_str!("../demo/heroes.csv");
const EXHIBITION: &str = include_str!("../demo/exhibition.json");
const EVENTS: &str = include_str!("../demo/events.csv");
const MEMORIALS: &str = include_str!("../demo/memorials.csv");

#[derive(serde::Deserialize)]
struct DemoExhibition {
    id: String,
    title: LanguageMap,
    introduction: LanguageMap,
    curator: String,
    institution: LanguageMap,
    sections: Vec<DemoSection>,
    awards: BTreeMap<String, LanguageMap>,
    description: LanguageMap,
    alt: LanguageMap,
    technique: LanguageMap,
    placeholder_label: String,
    latin_names: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
struct DemoSection {
    title: LanguageMap,
    text: LanguageMap,
    heroes: Vec<String>,
}

/// Loads the demo unless the store already has the demo exhibition or data of its own. Every
/// step can be repeated, so a load that stopped half-way is completed by the next start.
/// Returns whether it loaded.
pub async fn load_if_empty(
    store: &Store,
    media: &Media,
    index: &SearchIndex,
) -> anyhow::Result<bool> {
    let demo_records = store.record_count_of(&SourceName::parse("demo")?).await?;
    let own_records = store.record_count().await? - demo_records;
    let exhibitions = store.list_exhibitions(true).await?;
    if own_records > 0 || !exhibitions.is_empty() {
        return Ok(false);
    }
    load(store, media, index).await?;
    Ok(true)
}

async fn load(store: &Store, media: &Media, index: &SearchIndex) -> anyhow::Result<()> {
    let source = SourceName::parse("demo")?;
    let summary = crate::import::import_reader(
        crate::import::Destination {
            store,
            index: Some(index),
        },
        std::io::Cursor::new(HEROES),
        "heroes.csv",
        &source,
        None,
        ProgressBar::hidden(),
        "demo",
    )
    .await?;
    if summary.rejected > 0 {
        bail!(
            "{} rows of the bundled heroes.csv were rejected",
            summary.rejected
        );
    }
    for (kind, text, name) in [
        (MemoryFile::Events, EVENTS, "events.csv"),
        (MemoryFile::Memorials, MEMORIALS, "memorials.csv"),
    ] {
        import_memory(store, kind, text.as_bytes(), name, "demo").await?;
    }
    let demo: DemoExhibition = serde_json::from_str(EXHIBITION).context("exhibition.json")?;
    let mut sections = Vec::new();
    for section in &demo.sections {
        let mut exhibits = Vec::new();
        for hero in &section.heroes {
            exhibits.push(hero_exhibit(store, media, &demo, &source, hero).await?);
        }
        sections.push(Section {
            title: section.title.clone(),
            blocks: vec![Block::Text {
                text: section.text.clone(),
            }],
            exhibits,
        });
    }
    let exhibition = Exhibition {
        id: ExhibitionId::parse(&demo.id)?,
        title: demo.title.clone(),
        introduction: demo.introduction.clone(),
        curator: Some(demo.curator.clone()),
        institution: demo.institution.clone(),
        status: PublicationStatus::Published,
        languages: Language::ALL.to_vec(),
        sections,
    };
    store.save_exhibition(&exhibition).await?;
    store
        .audit(
            "demo",
            "load demo",
            &format!("exhibition {}", exhibition.id),
            None,
            None,
        )
        .await?;
    Ok(())
}

/// Fills `{name}`-style slots of every language's text. The values are plain text; the page
/// templates escape them.
fn fill(
    template: &LanguageMap,
    values: &dyn Fn(Language) -> Vec<(&'static str, String)>,
) -> LanguageMap {
    let mut filled = LanguageMap::new();
    for lang in Language::ALL {
        if let Some(text) = template.exact(lang) {
            let mut text = text.to_owned();
            for (slot, value) in values(lang) {
                text = text.replace(&format!("{{{slot}}}"), &value);
            }
            filled.insert(lang, text);
        }
    }
    filled
}

async fn hero_exhibit(
    store: &Store,
    media: &Media,
    demo: &DemoExhibition,
    source: &SourceName,
    hero: &str,
) -> anyhow::Result<ExhibitId> {
    let person_id = store
        .person_of_record(source, hero)
        .await?
        .with_context(|| format!("exhibition.json names hero {hero}, who is not in heroes.csv"))?;
    let person = store
        .person(&person_id)
        .await?
        .with_context(|| format!("person of {hero}"))?;
    let record = &person.records[0].record;
    let cyrillic = [&record.given_name, &record.surname]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let latin = demo
        .latin_names
        .get(hero)
        .cloned()
        .unwrap_or_else(|| cyrillic.clone());
    let name_in = |lang: Language| match lang {
        Language::Ru | Language::Kk => cyrillic.clone(),
        Language::Uz | Language::En => latin.clone(),
    };
    let award_text = record.award.clone().unwrap_or_default();
    let award = demo.awards.get(&award_text).cloned().unwrap_or_default();
    let svg = yodnoma_media::placeholder_portrait(&cyrillic, &demo.placeholder_label)?;
    let initials: String = cyrillic
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .take(2)
        .collect();
    let id = format!("{}-{hero}", demo.id);
    let image = Image {
        id: ImageId::parse(&id)?,
        media_type: "image/svg+xml".to_owned(),
        width: PLACEHOLDER_WIDTH,
        height: PLACEHOLDER_HEIGHT,
        alt: fill(&demo.alt, &|lang| {
            vec![("initials", initials.clone()), ("name", name_in(lang))]
        }),
        rights: Some("https://creativecommons.org/publicdomain/zero/1.0/".to_owned()),
        placeholder: true,
    };
    match media.put_original(&image.id, svg.into_bytes()).await {
        // Left by an earlier load that stopped half-way: the same drawing, keep it.
        Ok(()) | Err(MediaError::Exists(_)) => {}
        Err(e) => return Err(e.into()),
    }
    store.save_image(&image).await?;
    let mut title = LanguageMap::new();
    for lang in Language::ALL {
        title.insert(lang, name_in(lang));
    }
    let exhibit = Exhibit {
        id: ExhibitId::parse(&id)?,
        title,
        description: fill(&demo.description, &|lang| {
            vec![
                ("name", name_in(lang)),
                ("award", award.get(lang).to_owned()),
            ]
        }),
        creator: None,
        date: None,
        technique: demo.technique.clone(),
        dimensions: None,
        institution: demo.institution.clone(),
        inventory_number: None,
        rights: image.rights.clone(),
        images: vec![image],
        persons: vec![person_id],
    };
    store.save_exhibit(&exhibit).await?;
    Ok(exhibit.id)
}
