//! The tile pyramid of an image, as IIPImage and Cantaloupe serve from: level 0 the full image,
//! each next level half as wide and high, every level cut into tiles of [`TILE`] pixels stored
//! as JPEG. A request then decodes only the tiles it covers, at the level nearest its size,
//! instead of the whole original. Derived from the original and rebuildable at any time.

use std::io::{Cursor, ErrorKind};
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;
use image::{GenericImageView, RgbImage};

use crate::storage::Storage;

/// The side of a tile.
pub const TILE: u32 = 512;

/// JPEG quality of the tiles: high enough that a tile served as it is shows no blocks.
const TILE_QUALITY: u8 = 92;

/// The size of the image at each level, level 0 first, down to the first that fits one tile.
pub fn level_sizes(width: u32, height: u32) -> Vec<(u32, u32)> {
    let mut sizes = vec![(width, height)];
    let (mut w, mut h) = (width, height);
    while w > TILE || h > TILE {
        w = w.div_ceil(2);
        h = h.div_ceil(2);
        sizes.push((w, h));
    }
    sizes
}

/// An image's pyramid in storage: `{prefix}/{level}/{column}_{row}.jpg`, and
/// `{prefix}/complete` once every tile is written.
#[derive(Debug, Clone)]
pub struct Pyramid {
    storage: Arc<dyn Storage>,
    prefix: String,
    pub width: u32,
    pub height: u32,
}

impl Pyramid {
    pub fn new(storage: Arc<dyn Storage>, prefix: String, width: u32, height: u32) -> Self {
        Self {
            storage,
            prefix,
            width,
            height,
        }
    }

    fn tile_key(&self, level: usize, column: u32, row: u32) -> String {
        format!("{}/{level}/{column}_{row}.jpg", self.prefix)
    }

    fn complete_key(&self) -> String {
        format!("{}/complete", self.prefix)
    }

    /// Whether every tile was written (the marker is written last). Blocking: the storage may
    /// be a disk or a network away.
    pub fn is_complete(&self) -> std::io::Result<bool> {
        self.storage.exists(&self.complete_key())
    }

    /// Cuts `image` into the pyramid's tiles, each level made from the one above (taken by
    /// value: only one level is held at a time beside the next). Each level is the one above
    /// averaged down by area (`thumbnail`, exact for halving and much faster than a filter), and
    /// its tiles are encoded on every core: encoding is most of the work.
    pub fn build(&self, image: RgbImage) -> std::io::Result<()> {
        let mut level_image = image;
        for (level, (w, h)) in level_sizes(self.width, self.height).into_iter().enumerate() {
            if level > 0 {
                level_image = image::imageops::thumbnail(&level_image, w, h);
            }
            self.encode_level(level, &level_image)?;
        }
        self.storage.put(&self.complete_key(), b"")
    }

    /// Encodes and stores the tiles of one level, the tiles shared out among the cores.
    fn encode_level(&self, level: usize, image: &RgbImage) -> std::io::Result<()> {
        let (w, h) = image.dimensions();
        let columns = w.div_ceil(TILE);
        let tiles = columns * h.div_ceil(TILE);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, usize::try_from(tiles).unwrap_or(1).max(1));
        let encode = |tile: u32| -> std::io::Result<()> {
            let (column, row) = (tile % columns, tile / columns);
            let (x, y) = (column * TILE, row * TILE);
            let pixels = image
                .view(x, y, TILE.min(w - x), TILE.min(h - y))
                .to_image();
            let mut bytes = Vec::new();
            JpegEncoder::new_with_quality(&mut bytes, TILE_QUALITY)
                .encode_image(&pixels)
                .map_err(std::io::Error::other)?;
            self.storage.put(&self.tile_key(level, column, row), &bytes)
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|worker| {
                    let encode = &encode;
                    scope.spawn(move || {
                        (0..tiles)
                            .skip(worker)
                            .step_by(workers)
                            .try_for_each(encode)
                    })
                })
                .collect();
            handles.into_iter().try_for_each(|handle| {
                handle
                    .join()
                    .map_err(|_| std::io::Error::other("a tile encoder failed"))?
            })
        })
    }

    /// A tile's stored JPEG as it is: what a viewer asks for most, served without decoding.
    pub fn tile_bytes(&self, level: usize, column: u32, row: u32) -> std::io::Result<Vec<u8>> {
        let key = self.tile_key(level, column, row);
        self.storage.get(&key)?.ok_or_else(|| {
            std::io::Error::new(ErrorKind::NotFound, format!("tile {key} is missing"))
        })
    }

    /// The pixels of the rectangle `(x, y, w, h)` of level `level` (in that level's pixels),
    /// read from the tiles it covers.
    pub fn read(&self, level: usize, x: u32, y: u32, w: u32, h: u32) -> std::io::Result<RgbImage> {
        let mut out = RgbImage::new(w, h);
        for row in y / TILE..(y + h).div_ceil(TILE) {
            for column in x / TILE..(x + w).div_ceil(TILE) {
                let bytes = self.tile_bytes(level, column, row)?;
                let tile = image::load(Cursor::new(bytes), image::ImageFormat::Jpeg)
                    .map_err(std::io::Error::other)?
                    .into_rgb8();
                let (tx, ty) = (column * TILE, row * TILE);
                // The part of the tile inside the rectangle, and where it goes.
                let (from_x, from_y) = (x.max(tx) - tx, y.max(ty) - ty);
                let (to_x, to_y) = (tx.max(x) - x, ty.max(y) - y);
                let cw = (tile.width() - from_x).min(w - to_x);
                let ch = (tile.height() - from_y).min(h - to_y);
                let part = tile.view(from_x, from_y, cw, ch).to_image();
                image::imageops::replace(&mut out, &part, i64::from(to_x), i64::from(to_y));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Rgb;

    #[test]
    fn levels_halve_down_to_one_tile() {
        assert_eq!(level_sizes(1000, 1000), vec![(1000, 1000), (500, 500)]);
        assert_eq!(
            level_sizes(10_000, 8_000),
            vec![
                (10_000, 8_000),
                (5_000, 4_000),
                (2_500, 2_000),
                (1_250, 1_000),
                (625, 500),
                (313, 250)
            ]
        );
        assert_eq!(level_sizes(300, 200), vec![(300, 200)]);
    }

    #[test]
    fn a_rectangle_across_tiles_is_read_back() -> std::io::Result<()> {
        let storage = Arc::new(crate::storage::tests::InMemory::default());
        // Four colours, one per quadrant of a 1,100 × 700 image (three columns of tiles).
        let image = RgbImage::from_fn(1100, 700, |x, y| match (x < 550, y < 350) {
            (true, true) => Rgb([255, 0, 0]),
            (false, true) => Rgb([0, 255, 0]),
            (true, false) => Rgb([0, 0, 255]),
            (false, false) => Rgb([255, 255, 0]),
        });
        let pyramid = Pyramid::new(storage.clone(), "tiles/p".to_owned(), 1100, 700);
        assert!(!pyramid.is_complete()?);
        pyramid.build(image)?;
        assert!(pyramid.is_complete()?);
        // Level 0 (1,100 × 700) in 3 × 2 tiles, level 1 (550 × 350) in 2, level 2 in 1, and
        // the marker.
        let keys = storage.keys();
        assert_eq!(keys.len(), 6 + 2 + 1 + 1, "{keys:?}");
        assert!(keys.iter().all(|k| k.starts_with("tiles/p/")), "{keys:?}");
        let part = pyramid.read(0, 500, 300, 100, 100)?;
        let near = |a: &Rgb<u8>, b: [u8; 3]| a.0.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 24);
        assert!(near(part.get_pixel(10, 10), [255, 0, 0]));
        assert!(near(part.get_pixel(90, 10), [0, 255, 0]));
        assert!(near(part.get_pixel(10, 90), [0, 0, 255]));
        assert!(near(part.get_pixel(90, 90), [255, 255, 0]));
        let small = pyramid.read(1, 0, 0, 550, 350)?;
        assert!(near(small.get_pixel(500, 300), [255, 255, 0]));
        Ok(())
    }
}
