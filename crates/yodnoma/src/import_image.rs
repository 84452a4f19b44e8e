//! `yodnoma import image FILE [--id ID] [--alt-LANG TEXT ...]`: an image checked by its content,
//! kept byte for byte, cut into its tile pyramid and described in the store, ready to be served
//! over IIIF. An image without alt text, or one that is not a safe image, is refused before
//! anything is stored.

use std::path::Path;

use anyhow::{Context, bail};
use yodnoma_core::{Image, ImageId, Language, LanguageMap};
use yodnoma_db::Store;
use yodnoma_media::{MAX_BYTES, Media, MediaError};

/// What `import image` was given.
#[derive(Debug, Clone)]
pub struct ImageImport<'a> {
    pub file: &'a Path,
    pub id: Option<&'a str>,
    pub alt: Vec<(Language, String)>,
    pub rights: Option<String>,
}

/// Stores the image and returns its id.
pub async fn import_image(
    store: &Store,
    media: &Media,
    import: ImageImport<'_>,
) -> anyhow::Result<ImageId> {
    let shown = import.file.display();
    let mut alt = LanguageMap::new();
    for (lang, text) in &import.alt {
        if !text.trim().is_empty() {
            alt.insert(*lang, text.trim());
        }
    }
    if alt.is_empty() {
        bail!(
            "{shown}: an image needs alt text, for those who cannot see it: give --alt-ru, \
             --alt-kk, --alt-uz or --alt-en with what it shows"
        );
    }
    let id = match import.id {
        Some(text) => ImageId::parse(text).with_context(|| format!("--id {text}"))?,
        None => ImageId::parse(&format!("img-{:016x}", rand::random::<u64>()))
            .context("a new image id")?,
    };
    if store.image(&id).await?.is_some() {
        bail!("image {id} is already stored; originals are never replaced: choose another --id");
    }
    let size = std::fs::metadata(import.file)
        .with_context(|| format!("cannot read {shown}"))?
        .len();
    if size > MAX_BYTES as u64 {
        bail!("{shown}: the file has {size} bytes; at most {MAX_BYTES} are accepted");
    }
    let bytes = std::fs::read(import.file).with_context(|| format!("cannot read {shown}"))?;
    let stored = media.store_image(&id, bytes).await.map_err(|e| match e {
        MediaError::Refused(reason) => anyhow::anyhow!("{shown}: {reason}"),
        other => anyhow::anyhow!(other),
    })?;
    let image = Image {
        id: id.clone(),
        media_type: stored.media_type.to_owned(),
        width: stored.width,
        height: stored.height,
        alt,
        rights: import.rights,
        placeholder: false,
    };
    store.save_image(&image).await?;
    let after = serde_json::json!({
        "file": shown.to_string(),
        "media_type": image.media_type,
        "width": image.width,
        "height": image.height,
    })
    .to_string();
    store
        .audit(
            "cli",
            "import image",
            &format!("image {id}"),
            None,
            Some(&after),
        )
        .await?;
    Ok(id)
}
