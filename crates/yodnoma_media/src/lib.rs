//! Media: the bytes of images, kept apart from the database that describes them.
//!
//! Originals are immutable: once stored under an id they are never overwritten, so a citation
//! of an image always shows what was cited. Derivatives (IIIF tiles) are rebuilt from originals.

pub mod iiif;
mod ingest;
mod jpeg;
mod placeholder;
pub mod pyramid;
pub mod storage;

use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::Arc;

use yodnoma_core::ImageId;

pub use ingest::{
    Checked, IngestError, MAX_BANDED_PIXELS, MAX_BYTES, MAX_PIXELS, MAX_SIDE, check, ingest,
};
pub use placeholder::{PLACEHOLDER_HEIGHT, PLACEHOLDER_WIDTH, placeholder_portrait};
pub use pyramid::Pyramid;
pub use storage::{LocalFiles, Storage};

/// The longest side of a family's photo as kept: 36 megapixels at most, enough to read a
/// letter's handwriting, while a scan sent at 150 megapixels would fill the disk.
pub const FAMILY_PHOTO_SIDE: u32 = 6_000;

/// `bytes` as an image with no metadata at all: its upright pixels encoded afresh, as a JPEG
/// (a PNG of a photo re-encoded whole would be many times the size sent), its longer side at
/// most [`FAMILY_PHOTO_SIDE`].
pub fn without_metadata(bytes: &[u8]) -> Result<Vec<u8>, MediaError> {
    let taken = ingest(bytes)?;
    let (width, height) = taken.pixels.dimensions();
    let pixels = if width.max(height) > FAMILY_PHOTO_SIDE {
        let scale = f64::from(FAMILY_PHOTO_SIDE) / f64::from(width.max(height));
        let side = |n: u32| ((f64::from(n) * scale).round() as u32).clamp(1, FAMILY_PHOTO_SIDE);
        image::imageops::thumbnail(&taken.pixels, side(width), side(height))
    } else {
        taken.pixels
    };
    let (width, height) = pixels.dimensions();
    let encoding = jpeg::Encoding {
        quality: 92,
        optimize: true,
    };
    Ok(jpeg::encode(
        pixels.as_raw(),
        width,
        height,
        false,
        encoding,
    )?)
}

/// Everything that can go wrong with media.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("image {0} is already stored; originals are never overwritten")]
    Exists(ImageId),
    #[error("media storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("placeholder: {0}")]
    Render(#[from] askama::Error),
    #[error(transparent)]
    Refused(#[from] IngestError),
    #[error("the image task failed: {0}")]
    Task(String),
}

/// An image stored: what it is, its size upright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub media_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// The images: originals under `originals/{id}`, tile pyramids under `tiles/{id}/`, in a
/// [`Storage`].
#[derive(Debug, Clone)]
pub struct Media {
    storage: Arc<dyn Storage>,
    /// Images taken in at once. Decoding one may take a gigabyte: uploads sent together wait
    /// their turn instead of adding up.
    ingests: Arc<tokio::sync::Semaphore>,
}

/// How many images are decoded for taking in at once.
const INGESTS_AT_ONCE: usize = 1;

impl Media {
    pub fn new(storage: Arc<dyn Storage>) -> Self {
        Self {
            storage,
            ingests: Arc::new(tokio::sync::Semaphore::new(INGESTS_AT_ONCE)),
        }
    }

    /// A turn to decode an image, held until the decoding thread ends.
    async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, MediaError> {
        self.ingests
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| MediaError::Task(e.to_string()))
    }

    /// Media as files under the folder `root`.
    pub fn local(root: impl Into<PathBuf>) -> Self {
        Self::new(Arc::new(LocalFiles::new(root)))
    }

    fn original_key(id: &ImageId) -> String {
        // ImageId admits only [A-Za-z0-9._-] and no leading dot: one plain name.
        format!("originals/{}", id.as_str())
    }

    fn tiles_key(id: &ImageId) -> String {
        format!("tiles/{}", id.as_str())
    }

    /// Runs a storage call on a blocking thread: storage may be a disk or a network away.
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn Storage) -> Result<T, MediaError> + Send + 'static,
    ) -> Result<T, MediaError> {
        let storage = self.storage.clone();
        tokio::task::spawn_blocking(move || call(storage.as_ref()))
            .await
            .map_err(|e| MediaError::Task(e.to_string()))?
    }

    /// Stores an original, all at once or not at all, never over another: the same id twice
    /// is refused, even from two writers at once.
    /// Takes the bytes by value: they move to the storage's thread, where a borrowed slice
    /// would have to be copied (up to [`MAX_BYTES`]).
    pub async fn put_original(&self, id: &ImageId, bytes: Vec<u8>) -> Result<(), MediaError> {
        let media = self.clone();
        let id = id.clone();
        tokio::task::spawn_blocking(move || media.create_original(&id, &bytes))
            .await
            .map_err(|e| MediaError::Task(e.to_string()))?
    }

    fn create_original(&self, id: &ImageId, bytes: &[u8]) -> Result<(), MediaError> {
        match self.storage.create(&Self::original_key(id), bytes) {
            Ok(()) => Ok(()),
            Err(storage::CreateError::Exists(_)) => Err(MediaError::Exists(id.clone())),
            Err(storage::CreateError::Io(e)) => Err(e.into()),
        }
    }

    /// The tile pyramid of an image of `width × height` (which may not be built yet).
    pub fn pyramid(&self, id: &ImageId, width: u32, height: u32) -> Pyramid {
        Pyramid::new(self.storage.clone(), Self::tiles_key(id), width, height)
    }

    /// Takes an image in: checks its header ([`check`]), keeps the original byte for byte,
    /// and builds its tile pyramid as it decodes. An image refused by its header leaves
    /// nothing behind; one that fails to decode half way is removed again, original and tiles.
    /// All of it runs on one blocking thread, to its end even if the caller stops waiting (a
    /// visitor who closes the page), so that no original is left half taken in.
    pub async fn store_image(&self, id: &ImageId, bytes: Vec<u8>) -> Result<Stored, MediaError> {
        let turn = self.turn().await?;
        let media = self.clone();
        let id = id.clone();
        tokio::task::spawn_blocking(move || {
            let stored = media.store_now(&id, &bytes);
            drop(turn);
            stored
        })
        .await
        .map_err(|e| MediaError::Task(e.to_string()))?
    }

    fn store_now(&self, id: &ImageId, bytes: &[u8]) -> Result<Stored, MediaError> {
        let image = check(bytes)?;
        self.create_original(id, bytes)?;
        let built = self.build_now(id, &image);
        if built.is_err() {
            // Best effort, each on its own: the decoder's error is the one to report.
            let _ = self.storage.remove_all(&Self::tiles_key(id));
            let _ = self.storage.remove(&Self::original_key(id));
        }
        built
    }

    fn build_now(&self, id: &ImageId, image: &Checked<'_>) -> Result<Stored, MediaError> {
        self.pyramid(id, image.width, image.height)
            .build_from_rows(|bands| image.rows(|row| Ok::<_, MediaError>(bands.push(row)?)))?;
        Ok(Stored {
            media_type: image.media_type,
            width: image.width,
            height: image.height,
        })
    }

    /// Removes an image that a request stored and then could not describe (the database
    /// refused what came after): nothing refers to it yet, so the one exception to originals
    /// never being removed. Best effort.
    pub async fn discard(&self, id: &ImageId) {
        let media = self.clone();
        let id = id.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let _ = media.storage.remove_all(&Self::tiles_key(&id));
            let _ = media.storage.remove(&Self::original_key(&id));
        })
        .await;
    }

    /// Takes in an image whose original must carry no metadata: a family's photo, whose EXIF
    /// may say where the family lives. The upright pixels are encoded afresh (as JPEG at quality
    /// 92, at most [`FAMILY_PHOTO_SIDE`] on the longer side) and that becomes the original; the
    /// bytes sent are not kept.
    pub async fn store_image_without_metadata(
        &self,
        id: &ImageId,
        bytes: Vec<u8>,
    ) -> Result<Stored, MediaError> {
        let turn = self.turn().await?;
        let clean = tokio::task::spawn_blocking(move || {
            let clean = without_metadata(&bytes);
            drop(turn);
            clean
        })
        .await
        .map_err(|e| MediaError::Task(e.to_string()))??;
        self.store_image(id, clean).await
    }

    /// Builds an image's pyramid again from its original (after a change of the tiling, or a
    /// lost `tiles/` folder).
    pub async fn rebuild_pyramid(&self, id: &ImageId) -> Result<Stored, MediaError> {
        let bytes = self.original(id).await?.ok_or_else(|| {
            MediaError::Io(std::io::Error::new(
                ErrorKind::NotFound,
                format!("the original of image {id} is missing"),
            ))
        })?;
        let media = self.clone();
        let id = id.clone();
        tokio::task::spawn_blocking(move || {
            let image = check(&bytes)?;
            media.storage.remove_all(&Self::tiles_key(&id))?;
            media.build_now(&id, &image)
        })
        .await
        .map_err(|e| MediaError::Task(e.to_string()))?
    }

    /// Whether an original is stored under `id`.
    pub async fn has_original(&self, id: &ImageId) -> Result<bool, MediaError> {
        let key = Self::original_key(id);
        self.blocking(move |s| Ok(s.exists(&key)?)).await
    }

    /// The original's bytes, or `None` if no image has that id.
    pub async fn original(&self, id: &ImageId) -> Result<Option<Vec<u8>>, MediaError> {
        let key = Self::original_key(id);
        self.blocking(move |s| Ok(s.get(&key)?)).await
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_family_photo_is_kept_as_a_jpeg_of_a_bounded_size() {
        let pixels = image::RgbImage::from_pixel(7_000, 50, image::Rgb([200, 40, 40]));
        let mut png = Vec::new();
        let written = pixels.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png);
        assert!(written.is_ok());
        let Ok(kept) = without_metadata(&png) else {
            panic!("a PNG photo is taken")
        };
        assert!(kept.starts_with(&[0xFF, 0xD8]), "a JPEG");
        let Ok(decoded) = image::load_from_memory(&kept) else {
            panic!("it decodes")
        };
        assert_eq!((decoded.width(), decoded.height()), (FAMILY_PHOTO_SIDE, 43));
    }

    use super::*;

    #[tokio::test]
    async fn originals_are_stored_once_and_never_overwritten() -> Result<(), MediaError> {
        let dir = tempfile::tempdir()?;
        let media = Media::local(dir.path());
        let Ok(id) = ImageId::parse("portrait-1") else {
            panic!("fixture id")
        };
        assert_eq!(media.original(&id).await?, None);
        media.put_original(&id, b"first".to_vec()).await?;
        assert!(matches!(
            media.put_original(&id, b"second".to_vec()).await,
            Err(MediaError::Exists(_))
        ));
        assert_eq!(media.original(&id).await?.as_deref(), Some(&b"first"[..]));
        Ok(())
    }

    #[tokio::test]
    async fn no_exif_of_an_upload_reaches_what_is_served() -> Result<(), MediaError> {
        let dir = tempfile::tempdir()?;
        let media = Media::local(dir.path());
        let mut jpeg = Vec::new();
        let pixels = image::RgbImage::from_pixel(64, 48, image::Rgb([90, 120, 150]));
        let encoded = image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&pixels);
        assert!(encoded.is_ok());
        // An APP1 segment right after the start marker: a valid, empty TIFF directory followed
        // by the kind of private data a phone writes.
        let mut exif = b"Exif\0\0II*\0\x08\0\0\0\0\0\0\0\0\0".to_vec();
        exif.extend_from_slice(b"GPSLatitude 43.2567 GPSLongitude 76.9286");
        let length = u16::try_from(exif.len() + 2).unwrap_or(u16::MAX);
        let mut with_exif = jpeg[..2].to_vec();
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&length.to_be_bytes());
        with_exif.extend_from_slice(&exif);
        with_exif.extend_from_slice(&jpeg[2..]);
        // A family's photo keeps nothing of it, not even in the original.
        let Ok(family) = ImageId::parse("family-photo") else {
            panic!("fixture id")
        };
        let kept = media
            .store_image_without_metadata(&family, with_exif.clone())
            .await?;
        assert_eq!((kept.width, kept.height), (64, 48));
        let original = media.original(&family).await?.unwrap_or_default();
        let found = |needle: &[u8]| original.windows(needle.len()).any(|w| w == needle);
        assert!(!found(b"GPSLatitude") && !found(b"Exif") && original.starts_with(&[0xFF, 0xD8]));
        let Ok(id) = ImageId::parse("phone-photo") else {
            panic!("fixture id")
        };
        let stored = media.store_image(&id, with_exif.clone()).await?;
        assert_eq!((stored.width, stored.height), (64, 48));
        // The original is kept as given, EXIF and all.
        assert_eq!(media.original(&id).await?, Some(with_exif));
        let pyramid = media.pyramid(&id, stored.width, stored.height);
        for (size, format) in [
            ("max", "default.jpg"),
            ("32,", "default.png"),
            ("max", "gray.jpg"),
        ] {
            let request = iiif::ImageRequest::parse("full", size, "0", format);
            let served = request.map(|r| r.render(&pyramid));
            let Ok(Ok(bytes)) = served else {
                panic!("{size} {format}: {served:?}")
            };
            let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
            assert!(!found(b"GPSLatitude") && !found(b"Exif"), "{size} {format}");
        }
        Ok(())
    }

    #[tokio::test]
    async fn an_image_whose_tiles_cannot_be_made_leaves_nothing_behind() {
        let storage = Arc::new(storage::tests::DerivativesFail::default());
        let media = Media::new(storage.clone());
        let Ok(id) = ImageId::parse("portrait-2") else {
            panic!("fixture id")
        };
        let mut jpeg = Vec::new();
        let pixels = image::RgbImage::from_pixel(600, 400, image::Rgb([90, 120, 150]));
        let encoded = image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&pixels);
        assert!(encoded.is_ok());
        let stored = media.store_image(&id, jpeg).await;
        assert!(matches!(stored, Err(MediaError::Io(_))), "{stored:?}");
        assert!(storage.0.keys().is_empty(), "{:?}", storage.0.keys());
    }
}
