//! Images stored for a request that has not saved what refers to them yet.
//!
//! Storing an image runs to its end on a thread of its own, but the rest of the request (its
//! database rows, or their undoing when something fails) runs in the request's future, which
//! the server drops when the client goes away. An image stored and then left by such a request
//! would stay on disk with nothing referring to it; an [`Unsaved`] dropped before it is kept
//! forgets the images' rows and discards their files, on a task of its own.

use yodnoma_core::ImageId;
use yodnoma_db::Store;
use yodnoma_media::Media;

pub struct Unsaved {
    store: Store,
    media: Media,
    images: Vec<ImageId>,
}

impl Unsaved {
    pub fn new(store: &Store, media: &Media) -> Self {
        Self {
            store: store.clone(),
            media: media.clone(),
            images: Vec::new(),
        }
    }

    /// An image just stored, to be discarded unless [`Unsaved::keep`] is called.
    pub fn add(&mut self, id: ImageId) {
        self.images.push(id);
    }

    /// What refers to the images is saved: they stay.
    pub fn keep(mut self) {
        self.images.clear();
    }

    /// The request failed: the images go now, before its answer.
    pub async fn discard(mut self) {
        for id in std::mem::take(&mut self.images) {
            let _ = self.store.forget_image(&id).await;
            self.media.discard(&id).await;
        }
    }
}

impl Drop for Unsaved {
    fn drop(&mut self) {
        if self.images.is_empty() {
            return;
        }
        let images = std::mem::take(&mut self.images);
        let (store, media) = (self.store.clone(), self.media.clone());
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        runtime.spawn(async move {
            for id in &images {
                if let Err(e) = store.forget_image(id).await {
                    tracing::warn!(image = %id, "an unsaved image's row stays: {e}");
                }
                media.discard(id).await;
            }
        });
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
        let (left, saved) = (
            ImageId::parse("left").unwrap(),
            ImageId::parse("saved").unwrap(),
        );
        for id in [&left, &saved] {
            media.store_image(id, png()).await.unwrap();
        }
        let mut kept = Unsaved::new(&store, &media);
        kept.add(saved.clone());
        kept.keep();
        // A request's future dropped mid-way drops its guard armed.
        let mut dropped = Unsaved::new(&store, &media);
        dropped.add(left.clone());
        drop(dropped);
        for _ in 0..200 {
            if !media.has_original(&left).await.unwrap() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert!(!media.has_original(&left).await.unwrap());
        assert!(media.has_original(&saved).await.unwrap());
    }
}
