//! The tile pyramid of an image, as IIPImage and Cantaloupe serve from: level 0 the full image,
//! each next level half as wide and high, every level cut into tiles of [`TILE`] pixels stored
//! as JPEG. A request then decodes only the tiles it covers, at the level nearest its size,
//! instead of the whole original. Derived from the original and rebuildable at any time.

use std::io::{Cursor, ErrorKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

use image::{GenericImageView, RgbImage};

use crate::storage::Storage;

/// The side of a tile.
pub const TILE: u32 = 512;

/// JPEG quality of the tiles: high enough that a tile served as it is shows no blocks.
const TILE_QUALITY: u8 = 92;

/// Tiles cut and waiting for an encoder, at most this many per encoder: enough that an encoder
/// never waits for the decoder while a band is being cut, few enough to bound memory.
const QUEUED_TILES_PER_ENCODER: usize = 4;

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

    /// Cuts `image` into the pyramid's tiles: [`Pyramid::build_from_rows`] over its rows.
    pub fn build(&self, image: &RgbImage) -> std::io::Result<()> {
        let row_bytes = image.width() as usize * 3;
        self.build_from_rows(|bands| {
            image
                .as_raw()
                .chunks_exact(row_bytes)
                .try_for_each(|row| bands.push(row))
        })
    }

    /// Builds the pyramid from the image's rows, which `rows` gives to [`Bands::push`] top to
    /// bottom. Each level holds only the band of [`TILE`] rows it is filling, and each next
    /// level is made as the rows come, two rows and two columns averaged into one pixel; a band
    /// once full is cut into tiles, which wait in a short queue for the encoders, one a core.
    /// So memory is bounded by the image's width, not its area, and the decoder and the
    /// encoders work at once.
    pub fn build_from_rows<E: From<std::io::Error>>(
        &self,
        rows: impl FnOnce(&mut Bands<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let encoders = std::thread::available_parallelism().map_or(1, |n| n.get());
        let (queue, tiles) = mpsc::sync_channel(encoders * QUEUED_TILES_PER_ENCODER);
        let tiles = Mutex::new(tiles);
        let failed = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..encoders)
                .map(|_| scope.spawn(|| self.encode_tiles(&tiles, &failed)))
                .collect();
            let mut bands = Bands::new(self.width, self.height, queue, &failed);
            let given = rows(&mut bands).and_then(|()| Ok(bands.finish()?));
            // Closes the queue: the encoders store what is in it and stop.
            drop(bands);
            let stored = handles.into_iter().try_for_each(|handle| {
                handle
                    .join()
                    .map_err(|_| std::io::Error::other("a tile encoder failed"))?
            });
            // An encoder's failure stops the rows early; its error is the one to tell.
            stored?;
            given
        })?;
        Ok(self.storage.put(&self.complete_key(), b"")?)
    }

    /// Encodes and stores the tiles that come through the queue until it closes. After a
    /// failure it only empties the queue (so that no sender waits on it) and reports the
    /// failure at the end.
    fn encode_tiles(
        &self,
        tiles: &Mutex<Receiver<Tile>>,
        failed: &AtomicBool,
    ) -> std::io::Result<()> {
        let mut result = Ok(());
        loop {
            let next = match tiles.lock() {
                Ok(tiles) => tiles.recv(),
                Err(_) => break,
            };
            let Ok(tile) = next else { break };
            if result.is_ok() {
                // A storage that panics stops the build as a failure would, not a hang.
                result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.store_tile(&tile)
                }))
                .unwrap_or_else(|_| Err(std::io::Error::other("a tile encoder panicked")));
                if result.is_err() {
                    failed.store(true, Ordering::Relaxed);
                }
            }
        }
        result
    }

    fn store_tile(&self, tile: &Tile) -> std::io::Result<()> {
        let encoding = crate::jpeg::Encoding {
            quality: TILE_QUALITY,
            optimize: true,
        };
        let bytes = crate::jpeg::encode(&tile.pixels, tile.width, tile.height, false, encoding)?;
        self.storage
            .put(&self.tile_key(tile.level, tile.column, tile.row), &bytes)
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

/// A tile cut from a band, on its way to an encoder.
struct Tile {
    level: usize,
    column: u32,
    row: u32,
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

/// The rows of an image on their way into a pyramid: see [`Pyramid::build_from_rows`].
pub struct Bands<'a> {
    levels: Vec<Band>,
    queue: SyncSender<Tile>,
    failed: &'a AtomicBool,
}

/// The band of one level being filled, and the row waiting for its pair to make the next level.
struct Band {
    width: u32,
    height: u32,
    /// The band's rows so far, RGB.
    rows: Vec<u8>,
    /// Rows received since the top of the level.
    received: u32,
    /// An even row of this level, waiting for the odd one below it.
    upper: Option<Vec<u8>>,
}

impl<'a> Bands<'a> {
    fn new(width: u32, height: u32, queue: SyncSender<Tile>, failed: &'a AtomicBool) -> Self {
        let levels = level_sizes(width, height)
            .into_iter()
            .map(|(width, height)| Band {
                width,
                height,
                rows: Vec::with_capacity(width as usize * 3 * TILE.min(height) as usize),
                received: 0,
                upper: None,
            })
            .collect();
        Self {
            levels,
            queue,
            failed,
        }
    }

    /// Takes the next row of the full image: `width × 3` bytes of RGB.
    pub fn push(&mut self, row: &[u8]) -> std::io::Result<()> {
        if self.failed.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("stopped: a tile could not be stored"));
        }
        let Some(top) = self.levels.first() else {
            return Ok(());
        };
        if row.len() != top.width as usize * 3 || top.received == top.height {
            return Err(std::io::Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "row {} of an image {} pixels wide and {} high has {} bytes",
                    top.received + 1,
                    top.width,
                    top.height,
                    row.len()
                ),
            ));
        }
        let mut halved: Option<Vec<u8>> = None;
        for level in 0..self.levels.len() {
            let row = halved.as_deref().unwrap_or(row);
            let band = &mut self.levels[level];
            band.rows.extend_from_slice(row);
            band.received += 1;
            let band_height = band.rows.len() as u32 / (band.width * 3);
            if band_height == TILE || band.received == band.height {
                self.cut(level)?;
            }
            if level + 1 == self.levels.len() {
                break;
            }
            let band = &mut self.levels[level];
            let next = match band.upper.take() {
                Some(upper) => halve(&upper, row),
                // The last row of an odd height makes a row of the next level alone.
                None if band.received == band.height => halve(row, row),
                None => {
                    band.upper = Some(row.to_vec());
                    break;
                }
            };
            halved = Some(next);
        }
        Ok(())
    }

    /// Cuts the full band of `level` into tiles and queues them.
    fn cut(&mut self, level: usize) -> std::io::Result<()> {
        let band = &mut self.levels[level];
        let row_bytes = band.width as usize * 3;
        let height = (band.rows.len() / row_bytes) as u32;
        let tile_row = (band.received - height) / TILE;
        for column in 0..band.width.div_ceil(TILE) {
            let x = column * TILE;
            let width = TILE.min(band.width - x);
            let (from, to) = (x as usize * 3, (x + width) as usize * 3);
            let mut pixels = Vec::with_capacity((to - from) * height as usize);
            for row in band.rows.chunks_exact(row_bytes) {
                pixels.extend_from_slice(&row[from..to]);
            }
            let tile = Tile {
                level,
                column,
                row: tile_row,
                width,
                height,
                pixels,
            };
            self.queue
                .send(tile)
                .map_err(|_| std::io::Error::other("the tile encoders stopped"))?;
        }
        band.rows.clear();
        Ok(())
    }

    /// Checks that every level received all its rows: the image gave as many as it claimed.
    fn finish(&self) -> std::io::Result<()> {
        match self.levels.first() {
            Some(top) if top.received < top.height => Err(std::io::Error::new(
                ErrorKind::UnexpectedEof,
                format!("the image gave {} of its {} rows", top.received, top.height),
            )),
            _ => Ok(()),
        }
    }
}

/// One row of the next level from two rows of this one (the same row twice at an odd bottom):
/// each pixel the rounded mean of a 2 × 2 block, the last column of an odd width counted twice
/// so that its mean is its own.
fn halve(upper: &[u8], lower: &[u8]) -> Vec<u8> {
    let width = upper.len() / 3;
    let mut out = Vec::with_capacity(width.div_ceil(2) * 3);
    for x in (0..width).step_by(2) {
        let right = (x + 1).min(width - 1);
        for channel in 0..3 {
            let sum = u16::from(upper[x * 3 + channel])
                + u16::from(upper[right * 3 + channel])
                + u16::from(lower[x * 3 + channel])
                + u16::from(lower[right * 3 + channel]);
            out.push(((sum + 2) / 4) as u8);
        }
    }
    out
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
        pyramid.build(&image)?;
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

    #[test]
    fn each_level_averages_two_by_two_blocks_of_the_one_above() -> std::io::Result<()> {
        let storage = Arc::new(crate::storage::tests::InMemory::default());
        // Black and white pixels alternating both ways, 1,025 × 515: odd sides, so the last
        // column and row of each level stand alone.
        let image = RgbImage::from_fn(1025, 515, |x, y| {
            if (x + y) % 2 == 0 {
                Rgb([255, 255, 255])
            } else {
                Rgb([0, 0, 0])
            }
        });
        let pyramid = Pyramid::new(storage, "tiles/c".to_owned(), 1025, 515);
        pyramid.build(&image)?;
        assert_eq!(
            level_sizes(1025, 515),
            vec![(1025, 515), (513, 258), (257, 129)]
        );
        // Every full block of level 1 is half grey; its last column is one white and one black
        // pixel above each other, grey too; its last row is row 514 alone, alternating, so grey
        // but for its corner.
        let level = pyramid.read(1, 0, 0, 513, 257)?;
        assert!(
            level
                .pixels()
                .all(|p| p.0.iter().all(|&c| c.abs_diff(128) < 8)),
            "level 1 is not grey"
        );
        let bottom = pyramid.read(1, 0, 257, 512, 1)?;
        assert!(
            bottom
                .pixels()
                .all(|p| p.0.iter().all(|&c| c.abs_diff(128) < 16))
        );
        // Its corner is pixel (1024, 514) alone: white.
        let corner = pyramid.read(1, 512, 257, 1, 1)?;
        assert!(corner.get_pixel(0, 0).0.iter().all(|&c| c > 235));
        // Level 2 is level 1 halved again: grey but for the corner's mean (white and grey).
        let small = pyramid.read(2, 0, 0, 256, 128)?;
        assert!(
            small
                .pixels()
                .all(|p| p.0.iter().all(|&c| c.abs_diff(128) < 8))
        );
        Ok(())
    }

    #[test]
    fn rows_that_stop_short_or_do_not_fit_leave_no_complete_pyramid() {
        let storage = Arc::new(crate::storage::tests::InMemory::default());
        let pyramid = Pyramid::new(storage, "tiles/s".to_owned(), 600, 600);
        let row = vec![7u8; 600 * 3];
        let short = pyramid.build_from_rows(|bands| (0..599).try_for_each(|_| bands.push(&row)));
        assert!(
            matches!(&short, Err(e) if e.kind() == ErrorKind::UnexpectedEof),
            "{short:?}"
        );
        let narrow = pyramid.build_from_rows(|bands| bands.push(&row[3..]));
        assert!(
            matches!(&narrow, Err(e) if e.kind() == ErrorKind::InvalidInput),
            "{narrow:?}"
        );
        let long = pyramid.build_from_rows(|bands| (0..601).try_for_each(|_| bands.push(&row)));
        assert!(long.is_err());
        assert!(matches!(pyramid.is_complete(), Ok(false)));
    }

    #[test]
    fn a_tile_that_cannot_be_stored_stops_the_rows_and_is_reported() {
        let storage = Arc::new(crate::storage::tests::DerivativesFail::default());
        // Many more tiles than the queue holds: a build that did not stop would wait forever.
        let (width, height) = (4096, 4096);
        let pyramid = Pyramid::new(storage, "tiles/f".to_owned(), width, height);
        let row = vec![9u8; width as usize * 3];
        let mut given = 0;
        let built = pyramid.build_from_rows(|bands| {
            (0..height).try_for_each(|_| {
                given += 1;
                bands.push(&row)
            })
        });
        let message = built.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("no space left"), "{message}");
        assert!(
            given < height,
            "the rows went on to the end after the failure"
        );
    }
}
