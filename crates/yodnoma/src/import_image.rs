//! `yodnoma import image FILE [--id ID] [--alt-LANG TEXT ...]`: an image checked by its content,
//! kept byte for byte, cut into its tile pyramid and described in the store, ready to be served
//! over IIIF. One that is not a safe image is refused before anything is stored. One given
//! without alt text is stored, but shown on no page until described: the same file imported
//! again under its id with `--alt-*` describes it (its original is never replaced).

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

/// What `import image` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: ImageId,
    /// Whether the image was stored already, byte for byte, and only its description changed.
    pub redescribed: bool,
    /// Whether it has alt text now.
    pub described: bool,
}

/// Stores the image, or describes again one stored from the same file.
pub async fn import_image(
    store: &Store,
    media: &Media,
    import: ImageImport<'_>,
) -> anyhow::Result<Imported> {
    let shown = import.file.display();
    let mut alt = LanguageMap::new();
    for (lang, text) in &import.alt {
        if !text.trim().is_empty() {
            alt.insert(*lang, text.trim());
        }
    }
    let id = match import.id {
        Some(text) => ImageId::parse(text).with_context(|| format!("--id {text}"))?,
        None => ImageId::parse(&format!("img-{:016x}", rand::random::<u64>()))
            .context("a new image id")?,
    };
    let size = std::fs::metadata(import.file)
        .with_context(|| format!("cannot read {shown}"))?
        .len();
    if size > MAX_BYTES as u64 {
        bail!("{shown}: the file has {size} bytes; at most {MAX_BYTES} are accepted");
    }
    let bytes = std::fs::read(import.file).with_context(|| format!("cannot read {shown}"))?;
    if let Some(mut image) = store.image(&id).await? {
        if media.original(&id).await?.as_deref() != Some(&bytes[..]) {
            bail!(
                "image {id} is already stored from another file; originals are never replaced: \
                 choose another --id"
            );
        }
        // The same file again: its description is what changes.
        let before = describe(&image);
        // The languages given are described anew; the others keep their text, which a
        // published exhibition may need.
        for lang in Language::ALL {
            if let Some(text) = alt.exact(lang) {
                image.alt.insert(lang, text);
            }
        }
        if import.rights.is_some() {
            image.rights = import.rights;
        }
        store.save_image(&image).await?;
        store
            .audit(
                "cli",
                "describe image",
                &format!("image {id}"),
                Some(&before),
                Some(&describe(&image)),
            )
            .await?;
        return Ok(Imported {
            described: !image.alt.is_empty(),
            id,
            redescribed: true,
        });
    }
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
    Ok(Imported {
        described: !image.alt.is_empty(),
        id,
        redescribed: false,
    })
}

/// An image's description, for the audit log.
fn describe(image: &Image) -> String {
    serde_json::json!({ "alt": image.alt, "rights": image.rights }).to_string()
}
