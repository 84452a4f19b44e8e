//! Images stored for a request that has not saved what refers to them yet.
//!
//! Storing an image (decoding, tiling) is the longest part of an upload, and a client may go
//! away meanwhile: the server then drops the request's future, and whatever it would have done
//! next (save the rows that refer to the image, or undo the image when something failed) never
//! runs. So an image is stored by [`Unsaved::store`] on a task of its own, which, once the image
//! is stored, waits to be told whether it stays: [`Unsaved::keep`] when what refers to it is
//! saved, [`Unsaved::discard`] when the request failed. A guard dropped without either (the
//! request went away) tells the task nothing, and the task discards the image, unless a row
//! refers to it by then (a save that was committed as its request went away).

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use yodnoma_core::ImageId;
use yodnoma_db::Store;
use yodnoma_media::{Media, MediaError, Stored};

pub struct Unsaved {
    store: Store,
    media: Media,
    pending: Vec<Pending>,
}

/// An image being stored, or stored and waiting to be kept or discarded.
struct Pending {
    keep: oneshot::Sender<bool>,
    done: JoinHandle<()>,
}

impl Unsaved {
    pub fn new(store: &Store, media: &Media) -> Self {
        Self {
            store: store.clone(),
            media: media.clone(),
            pending: Vec::new(),
        }
    }

    /// Stores `bytes` as image `id` (without its metadata when `clean`: a family's photo). The
    /// image stays only if [`Unsaved::keep`] is called.
    pub async fn store(
        &mut self,
        id: &ImageId,
        bytes: Vec<u8>,
        clean: bool,
    ) -> Result<Stored, MediaError> {
        let (result, stored) = oneshot::channel();
        let (keep, kept) = oneshot::channel::<bool>();
        let (store, media, id) = (self.store.clone(), self.media.clone(), id.clone());
        let done = tokio::spawn(async move {
            let outcome = if clean {
                media.store_image_without_metadata(&id, bytes).await
            } else {
                media.store_image(&id, bytes).await
            };
            // A failed store leaves nothing of its own (and `Exists` is another's image).
            let ours = outcome.is_ok();
            let _ = result.send(outcome);
            if ours && kept.await != Ok(true) {
                // A row that refers to the image keeps it: the delete is refused then. Any
                // other failure (a busy store) is tried again a few times.
                for attempt in 1..=5 {
                    match store.forget_image(&id).await {
                        Ok(()) => {
                            media.discard(&id).await;
                            break;
                        }
                        Err(e) if e.is_referred_to() => break,
                        Err(e) if attempt == 5 => {
                            tracing::warn!(image = %id, "an image left by its request could not be removed: {e}");
                        }
                        Err(_) => tokio::time::sleep(std::time::Duration::from_secs(1)).await,
                    }
                }
            }
        });
        // Registered before the wait: a request dropped while the image is being stored still
        // has it discarded once it is.
        self.pending.push(Pending { keep, done });
        stored
            .await
            .map_err(|_| MediaError::Task("the task storing the image stopped".to_owned()))?
    }

    /// What refers to the images is saved: they stay.
    pub fn keep(mut self) {
        for pending in self.pending.drain(..) {
            let _ = pending.keep.send(true);
        }
    }

    /// The request failed: the images go now, before its answer.
    pub async fn discard(mut self) {
        for pending in self.pending.drain(..) {
            let _ = pending.keep.send(false);
            let _ = pending.done.await;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let pixels = image::RgbImage::from_pixel(40, 30, image::Rgb([120, 90, 60]));
        let mut bytes = Vec::new();
        pixels
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_image_left_by_a_request_that_went_away_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let media = Media::local(dir.path().join("media"));
        let id = |name: &str| ImageId::parse(name).unwrap();
        let mut saved = Unsaved::new(&store, &media);
        saved.store(&id("saved"), png(), false).await.unwrap();
        saved.keep();
        let mut failed = Unsaved::new(&store, &media);
        failed.store(&id("failed"), png(), true).await.unwrap();
        failed.discard().await;
        assert!(!media.has_original(&id("failed")).await.unwrap());
        // A request that went away drops its guard: the image is discarded, unless a row
        // refers to it by then (its save was committed as the request went away).
        let gone = |name: &'static str| {
            let media = media.clone();
            async move {
                for _ in 0..300 {
                    if !media
                        .has_original(&ImageId::parse(name).unwrap())
                        .await
                        .unwrap()
                    {
                        return true;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
                false
            }
        };
        let mut left = Unsaved::new(&store, &media);
        let stored = left.store(&id("left"), png(), false).await.unwrap();
        assert!(media.has_original(&id("left")).await.unwrap());
        drop(left);
        assert!(gone("left").await, "discarded");
        let mut committed = Unsaved::new(&store, &media);
        let stored_too = committed.store(&id("e1"), png(), false).await.unwrap();
        let mut exhibit = crate::test_support::bare_exhibit("CC0");
        exhibit.images.push(yodnoma_core::Image {
            id: id("e1"),
            media_type: stored_too.media_type.to_owned(),
            width: stored_too.width,
            height: stored_too.height,
            alt: yodnoma_core::LanguageMap::new().with(yodnoma_core::Language::En, "A test"),
            rights: None,
            placeholder: false,
        });
        store.save_image(&exhibit.images[0]).await.unwrap();
        store.save_exhibit(&exhibit).await.unwrap();
        drop(committed);
        assert!(!gone("e1").await, "kept: the exhibit refers to it");
        assert_eq!((stored.width, stored.height), (40, 30));
        assert!(media.has_original(&id("saved")).await.unwrap());
    }
}
