//! `yodnoma import exhibition FILE.toml`: an exhibition kept as a file, with its images beside
//! it, so that a museum can keep it in version control and import it again after each change.
//!
//! The file is checked before anything is stored: unknown keys, ids, language tags, the persons
//! it depicts, the image files (present, within the size limit, not replacing another original),
//! and, for a published exhibition, alt text in every language it is published in (each missing
//! one is listed). Only the pixels are checked as each image is stored, since decoding a large
//! scan twice would double the import: an image that cannot be decoded stops the import before
//! the exhibition is saved, and the images stored before it are reused when the corrected file
//! is imported again. Importing the same file again changes nothing; an image id already stored
//! with other bytes is refused, as originals are never replaced.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;
use yodnoma_core::{
    Block, Exhibit, ExhibitId, Exhibition, ExhibitionId, Image, ImageId, Language, LanguageMap,
    PublicationStatus, Section, missing_alt,
};
use yodnoma_db::Store;
use yodnoma_media::{MAX_BYTES, Media, MediaError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExhibitionFile {
    id: String,
    #[serde(default = "draft")]
    status: String,
    /// The languages the exhibition is published in; every image needs alt text in each.
    #[serde(default = "all_languages")]
    languages: Vec<String>,
    title: LanguageMap,
    #[serde(default)]
    introduction: LanguageMap,
    curator: Option<String>,
    #[serde(default)]
    institution: LanguageMap,
    #[serde(default)]
    sections: Vec<SectionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionFile {
    title: LanguageMap,
    #[serde(default)]
    blocks: Vec<Block>,
    #[serde(default)]
    exhibits: Vec<ExhibitFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExhibitFile {
    id: String,
    title: LanguageMap,
    #[serde(default)]
    description: LanguageMap,
    creator: Option<String>,
    date: Option<String>,
    #[serde(default)]
    technique: LanguageMap,
    dimensions: Option<String>,
    /// The holding museum; the exhibition's when not given.
    institution: Option<LanguageMap>,
    inventory_number: Option<String>,
    rights: Option<String>,
    /// The persons shown, each as `SOURCE:RECORD_ID` of one of their source records.
    #[serde(default)]
    depicts: Vec<String>,
    #[serde(default)]
    images: Vec<ImageFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImageFile {
    /// The image file, relative to the exhibition file.
    file: PathBuf,
    /// Default: the exhibit's id, then `-2`, `-3`… for its further images.
    id: Option<String>,
    alt: LanguageMap,
    rights: Option<String>,
}

fn draft() -> String {
    "draft".to_owned()
}

fn all_languages() -> Vec<String> {
    Language::ALL.iter().map(|l| l.tag().to_owned()).collect()
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExhibitionImported {
    pub id: ExhibitionId,
    pub status: PublicationStatus,
    pub exhibits: usize,
    pub images_stored: usize,
}

/// An image of the file, checked and ready to store.
struct PendingImage {
    path: PathBuf,
    image: Image,
}

/// Reads, checks and stores the exhibition of `file`.
pub async fn import_exhibition(
    store: &Store,
    media: &Media,
    file: &Path,
) -> anyhow::Result<ExhibitionImported> {
    let shown = file.display().to_string();
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {shown}"))?;
    let parsed: ExhibitionFile = toml::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{shown}: {}", e.to_string().trim_end().replace('\n', " ")))?;
    let folder = file.parent().unwrap_or(Path::new("."));
    let (exhibition, exhibits, images, languages) = build(store, folder, parsed)
        .await
        .map_err(|e| anyhow::anyhow!("{shown}: {e:#}"))?;

    if exhibition.status == PublicationStatus::Published {
        let missing = missing_alt(&exhibits, &languages);
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
            bail!(
                "{shown}: not published, nothing stored: {} alt text{} missing in the \
                 exhibition's languages: {}",
                missing.len(),
                if missing.len() == 1 { " is" } else { "s are" },
                list.join("; ")
            );
        }
    }

    // An exhibit and an exhibition share the address of their manifest: ids of the other kind
    // are refused before anything is stored.
    if let Some(why) = store.id_clash(exhibition.id.as_str(), false).await? {
        bail!("{shown}: nothing stored: {why}");
    }
    for exhibit in &exhibits {
        let why = if exhibit.id.as_str() == exhibition.id.as_str() {
            Some(format!("{} is the id of the exhibition itself", exhibit.id))
        } else {
            store.id_clash(exhibit.id.as_str(), true).await?
        };
        if let Some(why) = why {
            bail!("{shown}: nothing stored: exhibit {}: {why}", exhibit.id);
        }
    }

    // Conflicts are found before any image is written. Each file is read and let go: an
    // exhibition of many large scans is never held in memory at once.
    let read = |pending: &PendingImage| {
        std::fs::read(&pending.path)
            .with_context(|| format!("cannot read {}", pending.path.display()))
    };
    let mut to_store = Vec::new();
    for pending in images {
        let bytes = read(&pending)?;
        match media.original(&pending.image.id).await? {
            Some(stored) if stored != bytes => bail!(
                "{}: image {} is already stored with other content; originals are never \
                 replaced: give the new file another `id`",
                pending.path.display(),
                pending.image.id
            ),
            Some(_) => to_store.push((pending, true)),
            None => to_store.push((pending, false)),
        }
    }
    let mut images_stored = 0;
    let mut stored_images = Vec::new();
    for (pending, kept) in to_store {
        let id = &pending.image.id;
        let stored = if kept {
            match store.image(id).await? {
                Some(image) => (image.media_type, image.width, image.height),
                // The original was kept by an import that stopped before describing it.
                None => {
                    let s = media.rebuild_pyramid(id).await?;
                    (s.media_type.to_owned(), s.width, s.height)
                }
            }
        } else {
            let s = media
                .store_image(id, read(&pending)?)
                .await
                .map_err(|e| match e {
                    MediaError::Refused(reason) => {
                        anyhow::anyhow!("{}: {reason}", pending.path.display())
                    }
                    other => anyhow::anyhow!(other),
                })?;
            images_stored += 1;
            (s.media_type.to_owned(), s.width, s.height)
        };
        let mut image = pending.image;
        (image.media_type, image.width, image.height) = stored;
        store.save_image(&image).await?;
        stored_images.push(image);
    }

    let mut stored_images = stored_images.into_iter();
    let mut saved = Vec::with_capacity(exhibits.len());
    for mut exhibit in exhibits {
        for image in &mut exhibit.images {
            if let Some(stored) = stored_images.next() {
                *image = stored;
            }
        }
        store.save_exhibit(&exhibit).await?;
        saved.push(exhibit.id);
    }
    let before = store
        .exhibition(&exhibition.id, true)
        .await?
        .map(|x| serde_json::to_string(&x))
        .transpose()?;
    store.save_exhibition(&exhibition).await?;
    let after = serde_json::to_string(&exhibition)?;
    store
        .audit(
            "cli",
            "import exhibition",
            &format!("exhibition {}", exhibition.id),
            before.as_deref(),
            Some(&after),
        )
        .await?;
    Ok(ExhibitionImported {
        id: exhibition.id,
        status: exhibition.status,
        exhibits: saved.len(),
        images_stored,
    })
}

type Built = (Exhibition, Vec<Exhibit>, Vec<PendingImage>, Vec<Language>);

/// Turns the file into the exhibition, its exhibits and the images to store, naming the place of
/// each problem (`sections[2].exhibits[1].images[1].file`, counted from 1).
async fn build(store: &Store, folder: &Path, file: ExhibitionFile) -> anyhow::Result<Built> {
    let id = ExhibitionId::parse(&file.id).with_context(|| format!("id {:?}", file.id))?;
    let status = PublicationStatus::parse(&file.status)
        .with_context(|| format!("status {:?}: write \"draft\" or \"published\"", file.status))?;
    let mut languages = Vec::new();
    for tag in &file.languages {
        let lang = known_language(tag).with_context(|| format!("languages: {tag:?}"))?;
        if !languages.contains(&lang) {
            languages.push(lang);
        }
    }
    if languages.is_empty() {
        bail!("languages: name at least one of ru, kk, uz, en");
    }
    check_tags(&file.title, "title")?;
    if file.title.is_empty() {
        bail!("title: an exhibition needs a title");
    }
    check_tags(&file.introduction, "introduction")?;
    check_tags(&file.institution, "institution")?;

    let mut sections = Vec::with_capacity(file.sections.len());
    let mut exhibits = Vec::new();
    let mut images = Vec::new();
    let mut exhibit_ids = HashSet::new();
    let mut image_ids = HashSet::new();
    for (s, section) in file.sections.into_iter().enumerate() {
        let at = format!("sections[{}]", s + 1);
        check_tags(&section.title, &format!("{at}.title"))?;
        for (b, block) in section.blocks.iter().enumerate() {
            let at = format!("{at}.blocks[{}]", b + 1);
            match block {
                Block::Text { text } => check_tags(text, &format!("{at}.text"))?,
                Block::Quote { text, attribution } => {
                    check_tags(text, &format!("{at}.text"))?;
                    check_tags(attribution, &format!("{at}.attribution"))?;
                }
            }
        }
        let mut section_exhibits = Vec::with_capacity(section.exhibits.len());
        for (e, item) in section.exhibits.into_iter().enumerate() {
            let at = format!("{at}.exhibits[{}]", e + 1);
            let exhibit_id =
                ExhibitId::parse(&item.id).with_context(|| format!("{at}.id {:?}", item.id))?;
            if !exhibit_ids.insert(exhibit_id.clone()) {
                bail!("{at}.id: exhibit {exhibit_id} appears twice in this exhibition");
            }
            for (name, map) in [
                ("title", &item.title),
                ("description", &item.description),
                ("technique", &item.technique),
            ] {
                check_tags(map, &format!("{at}.{name}"))?;
            }
            if let Some(map) = &item.institution {
                check_tags(map, &format!("{at}.institution"))?;
            }
            let mut persons = Vec::with_capacity(item.depicts.len());
            for (d, reference) in item.depicts.iter().enumerate() {
                match store.depicted_person(reference).await? {
                    Ok(person) => persons.push(person),
                    Err(why) => bail!("{at}.depicts[{}]: {why}", d + 1),
                }
            }
            let mut exhibit_images = Vec::with_capacity(item.images.len());
            for (i, image) in item.images.into_iter().enumerate() {
                let at = format!("{at}.images[{}]", i + 1);
                let image_id = match &image.id {
                    Some(text) => ImageId::parse(text),
                    None if i == 0 => ImageId::parse(exhibit_id.as_str()),
                    None => ImageId::parse(&format!("{exhibit_id}-{}", i + 1)),
                }
                .with_context(|| format!("{at}.id"))?;
                if image_id.is_family_photo() {
                    bail!(
                        "{at}.id: image ids beginning with `{}` are kept for families' photos, \
                         which are shown only as their stories allow: give the image an `id`",
                        ImageId::FAMILY_PREFIX
                    );
                }
                if !image_ids.insert(image_id.clone()) {
                    bail!("{at}.id: image {image_id} appears twice in this exhibition");
                }
                check_tags(&image.alt, &format!("{at}.alt"))?;
                if image.alt.is_empty() {
                    bail!(
                        "{at}.alt: every image needs alt text, for those who cannot see it: \
                         say what it shows"
                    );
                }
                let path = folder.join(&image.file);
                let size = std::fs::metadata(&path)
                    .with_context(|| format!("{at}.file: cannot read {}", path.display()))?
                    .len();
                if size > MAX_BYTES as u64 {
                    bail!(
                        "{at}.file: {} has {size} bytes; at most {MAX_BYTES} are accepted",
                        path.display()
                    );
                }
                let described = Image {
                    id: image_id,
                    // Known once the content is read; the file's name is not trusted.
                    media_type: String::new(),
                    width: 0,
                    height: 0,
                    alt: image.alt,
                    rights: image.rights.or_else(|| item.rights.clone()),
                    placeholder: false,
                };
                exhibit_images.push(described.clone());
                images.push(PendingImage {
                    path,
                    image: described,
                });
            }
            section_exhibits.push(exhibit_id.clone());
            exhibits.push(Exhibit {
                id: exhibit_id,
                title: item.title,
                description: item.description,
                creator: item.creator,
                date: item.date,
                technique: item.technique,
                dimensions: item.dimensions,
                institution: item.institution.unwrap_or_else(|| file.institution.clone()),
                inventory_number: item.inventory_number,
                rights: item.rights,
                images: exhibit_images,
                persons,
            });
        }
        sections.push(Section {
            title: section.title,
            blocks: section.blocks,
            exhibits: section_exhibits,
        });
    }
    let exhibition = Exhibition {
        id,
        title: file.title,
        introduction: file.introduction,
        curator: file.curator,
        institution: file.institution,
        status,
        languages: languages.clone(),
        sections,
    };
    Ok((exhibition, exhibits, images, languages))
}

fn known_language(tag: &str) -> anyhow::Result<Language> {
    Language::ALL
        .into_iter()
        .find(|l| l.tag() == tag)
        .with_context(|| format!("unknown language {tag:?}: the site speaks ru, kk, uz and en"))
}

/// A text in a language the site does not speak would never be shown: it is a typo.
fn check_tags(map: &LanguageMap, at: &str) -> anyhow::Result<()> {
    for tag in map.tags() {
        known_language(tag).with_context(|| at.to_owned())?;
    }
    Ok(())
}
