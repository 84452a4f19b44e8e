//! Taking an image in: what it is (read from its bytes, never from its name), whether it is
//! safe to decode (bytes, sides and pixels checked from the header before any pixel is
//! decoded, and the decoder's allocations capped), and its pixels upright (EXIF orientation
//! applied). Nothing of its metadata survives into what is served: derivatives are encoded
//! afresh from pixels.
//!
//! A sequential JPEG that needs no turning, the usual master of a museum's scan, is decoded in
//! rows by libjpeg-turbo and never held whole, so its size is bounded by [`MAX_BANDED_PIXELS`]
//! and not by memory. Every other image is decoded whole, up to [`MAX_PIXELS`].

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Larger files are refused before they are read as images.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// Neither side may be longer: a 100,000 × 1 strip is no painting.
pub const MAX_SIDE: u32 = 30_000;

/// At most this many pixels in an image decoded whole (a 12,000 × 10,000 scan is 120 million;
/// whole, it takes 3 bytes a pixel).
pub const MAX_PIXELS: u64 = 150_000_000;

/// At most this many pixels in an image decoded in rows (20,000 × 30,000): its memory does not
/// grow with it, its time does.
pub const MAX_BANDED_PIXELS: u64 = 600_000_000;

/// At most this many pages in a TIFF, of which the first is the image taken: a pyramidal TIFF
/// keeps its smaller levels as pages, but a file of thousands is a document, or a bomb of headers.
pub const MAX_TIFF_PAGES: usize = 32;

/// What the decoder may allocate, whatever the header claims.
const MAX_DECODE_BYTES: u64 = 1024 * 1024 * 1024;

/// Why an image is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has {0} bytes; at most {MAX_BYTES} are accepted")]
    TooLarge(usize),
    #[error(
        "the file is not an image yodnoma takes (JPEG, PNG, TIFF or WebP), whatever its name says"
    )]
    NotAnImage,
    #[error("{0} images are not taken: use JPEG, PNG, TIFF or WebP")]
    Unsupported(String),
    #[error(
        "the image is {width} × {height} pixels; each side may be at most {MAX_SIDE} and the whole at most {limit} pixels{}",
        if *limit < MAX_BANDED_PIXELS { " (a sequential JPEG stored upright may have up to 600 million)" } else { "" }
    )]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error(
        "the TIFF has more than {MAX_TIFF_PAGES} pages; yodnoma takes one image a file (a TIFF's first page): give each page as a file of its own"
    )]
    TooManyPages,
    #[error("the image cannot be decoded: {0}")]
    Corrupt(String),
}

/// An image taken in whole: its kind and its pixels, upright.
#[derive(Debug)]
pub struct Ingested {
    pub media_type: &'static str,
    pub pixels: RgbImage,
}

/// Reads `bytes` as an image within the limits above, whole.
pub fn ingest(bytes: &[u8]) -> Result<Ingested, IngestError> {
    let checked = check(bytes)?;
    Ok(Ingested {
        media_type: checked.media_type,
        pixels: checked.decode()?,
    })
}

/// An image whose header passed every check, not decoded yet.
#[derive(Debug)]
pub struct Checked<'a> {
    bytes: &'a [u8],
    format: ImageFormat,
    pub media_type: &'static str,
    /// Upright, as it will be served.
    pub width: u32,
    pub height: u32,
    /// Whether its rows can be decoded one at a time (see the module's description).
    banded: bool,
}

/// Reads the header of `bytes` and checks it against the limits above; no pixel is decoded.
pub fn check(bytes: &[u8]) -> Result<Checked<'_>, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(IngestError::TooLarge(bytes.len()));
    }
    let format = image::guess_format(bytes).map_err(|_| IngestError::NotAnImage)?;
    let media_type = match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        ImageFormat::Tiff => "image/tiff",
        ImageFormat::WebP => "image/webp",
        other => return Err(IngestError::Unsupported(format!("{other:?}"))),
    };
    if format == ImageFormat::Jpeg && !jpeg_ends(bytes) {
        return Err(IngestError::Corrupt(
            "the JPEG ends before its image data does (the file is cut short)".to_owned(),
        ));
    }
    if format == ImageFormat::Tiff {
        check_tiff_pages(bytes)?;
    }
    let mut decoder = reader(bytes, format)
        .into_decoder()
        .map_err(|e| refuse(e, bytes, format))?;
    let (width, height) = decoder.dimensions();
    let orientation = decoder
        .orientation()
        .map_err(|e| IngestError::Corrupt(e.to_string()))?;
    let frame = (format == ImageFormat::Jpeg)
        .then(|| jpeg_frame(bytes))
        .flatten();
    let banded =
        orientation == Orientation::NoTransforms && frame.as_ref().is_some_and(JpegFrame::banded);
    let limit = if banded {
        MAX_BANDED_PIXELS
    } else {
        MAX_PIXELS
    };
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > limit
    {
        return Err(IngestError::TooManyPixels {
            width,
            height,
            limit,
        });
    }
    if let Some(frame) = &frame {
        // Every 8 × 8 block of a JPEG takes at least two bits of scan data (its DC code and its
        // end of block), so scans shorter than an eighth of a byte a block cannot hold the
        // pixels the header claims: a bomb of a header (padded with comments or not) that would
        // have the decoder invent them all.
        let blocks = u64::from(width.div_ceil(8)) * u64::from(height.div_ceil(8));
        let scans = bytes.len().saturating_sub(frame.scan_data) as u64;
        if scans < blocks / 8 {
            return Err(IngestError::Corrupt(format!(
                "the JPEG claims {width} × {height} pixels but its scans have only {scans} bytes, fewer than such an image needs ({})",
                blocks / 8
            )));
        }
    }
    let turned = matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Checked {
        bytes,
        format,
        media_type,
        width,
        height,
        banded,
    })
}

impl Checked<'_> {
    /// Decodes the image and gives its rows to `push`, top to bottom, each `width × 3` bytes of
    /// RGB. Decoded in rows where it can be (nothing but a row held), else whole.
    pub fn rows<E: From<IngestError>>(
        &self,
        push: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.banded {
            return jpeg_rows(self.bytes, self.width, self.height, push);
        }
        let image = self.decode_whole()?;
        image
            .as_raw()
            .chunks_exact(self.width as usize * 3)
            .try_for_each(push)
    }

    /// Decodes the whole image at once (at most [`MAX_PIXELS`], whatever its kind).
    pub fn decode(&self) -> Result<RgbImage, IngestError> {
        let (width, height) = (self.width, self.height);
        if u64::from(width) * u64::from(height) > MAX_PIXELS {
            return Err(IngestError::TooManyPixels {
                width,
                height,
                limit: MAX_PIXELS,
            });
        }
        if !self.banded {
            return self.decode_whole();
        }
        let mut pixels = Vec::with_capacity(width as usize * height as usize * 3);
        self.rows(|row| {
            pixels.extend_from_slice(row);
            Ok::<_, IngestError>(())
        })?;
        RgbImage::from_raw(width, height, pixels)
            .ok_or_else(|| IngestError::Corrupt("the decoder gave too few rows".to_owned()))
    }

    fn decode_whole(&self) -> Result<RgbImage, IngestError> {
        let mut decoder = reader(self.bytes, self.format)
            .into_decoder()
            .map_err(|e| IngestError::Corrupt(e.to_string()))?;
        let orientation = decoder
            .orientation()
            .map_err(|e| IngestError::Corrupt(e.to_string()))?;
        let decoded =
            DynamicImage::from_decoder(decoder).map_err(|e| IngestError::Corrupt(e.to_string()))?;
        // Eight bits a channel first, the decoder's pixels (up to eight bytes each) freed: the
        // turn then copies three bytes a pixel.
        let mut image = DynamicImage::ImageRgb8(decoded.into_rgb8());
        image.apply_orientation(orientation);
        Ok(image.into_rgb8())
    }
}

fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader
}

/// Decodes a JPEG row by row with libjpeg-turbo; a fatal error of libjpeg becomes
/// [`IngestError::Corrupt`] with its message.
fn jpeg_rows<E: From<IngestError>>(
    bytes: &[u8],
    width: u32,
    height: u32,
    mut push: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let mut pushed = Ok(());
    let decoded = crate::jpeg::guarded(|| {
        let mut rows = mozjpeg::Decompress::new_mem(bytes)?.rgb()?;
        if (rows.width(), rows.height()) != (width as usize, height as usize) {
            return Err(std::io::Error::other(format!(
                "libjpeg reads {} × {} where the header said {width} × {height}",
                rows.width(),
                rows.height()
            )));
        }
        let mut row = vec![0u8; width as usize * 3];
        for _ in 0..height {
            rows.read_scanlines_into(&mut row)?;
            if let Err(e) = push(&row) {
                pushed = Err(e);
                return Ok(());
            }
        }
        rows.finish()
    });
    match decoded {
        Ok(()) => pushed,
        Err(e) => Err(IngestError::Corrupt(e.to_string()).into()),
    }
}

/// What a JPEG's headers say about how it is coded, up to its first scan.
#[derive(Debug, PartialEq, Eq)]
struct JpegFrame {
    /// Baseline or extended sequential Huffman (SOF0, SOF1): decoded a row of blocks at a time.
    /// Progressive and other codings keep every coefficient until the last scan.
    sequential: bool,
    precision: u8,
    components: u8,
    /// The components of the first scan. A sequential JPEG whose first scan holds fewer than
    /// all of them (one scan a colour) is also decoded whole by libjpeg, every coefficient
    /// buffered: only one whose first scan holds them all is decoded in rows.
    scan_components: u8,
    /// Where the first scan's data begins: what comes before is headers (and any comments).
    scan_data: usize,
}

impl JpegFrame {
    /// Whether libjpeg decodes it in rows to RGB: sequential, 8 bits, grey or colour (CMYK
    /// is left to the whole-image decoder, which converts it), every component in one scan.
    fn banded(&self) -> bool {
        self.sequential
            && self.precision == 8
            && matches!(self.components, 1 | 3)
            && self.scan_components == self.components
    }
}

/// The frame header and first scan header of a JPEG, found by walking its segments from the
/// start (each marker `FF xx`, most with a two-byte length) to the first start of scan. `None`
/// if the walk leaves the bytes, meets a second start of image, an end of image, or a scan
/// before any frame.
fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    let mut at = 2; // after SOI
    let mut frame: Option<(bool, u8, u8)> = None;
    loop {
        let (&[0xFF, marker], rest) = bytes.get(at..)?.split_first_chunk::<2>()? else {
            return None;
        };
        let length = || {
            rest.first_chunk::<2>()
                .map(|l| usize::from(u16::from_be_bytes(*l)))
        };
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => at += 2,
            0xD8 | 0xD9 => return None,
            0xDA => {
                let (sequential, precision, components) = frame?;
                let &scan_components = rest.get(2)?;
                return Some(JpegFrame {
                    sequential,
                    precision,
                    components,
                    scan_components,
                    scan_data: at + 2 + length()?,
                });
            }
            // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if frame.is_some() {
                    return None;
                }
                let [_, _, precision, _, _, _, _, components] = *rest.first_chunk::<8>()?;
                frame = Some((matches!(marker, 0xC0 | 0xC1), precision, components));
                at += 2 + length()?;
            }
            _ => at += 2 + length()?,
        }
    }
}

/// Walks a TIFF's directory of pages up to [`MAX_TIFF_PAGES`] (the decoder refuses a chain of
/// pages that loops back).
fn check_tiff_pages(bytes: &[u8]) -> Result<(), IngestError> {
    let corrupt = |e: tiff::TiffError| IngestError::Corrupt(e.to_string());
    let mut pages = tiff::decoder::Decoder::new(Cursor::new(bytes)).map_err(corrupt)?;
    for _ in 1..MAX_TIFF_PAGES {
        if !pages.more_images() {
            return Ok(());
        }
        pages.next_image().map_err(corrupt)?;
    }
    if pages.more_images() {
        return Err(IngestError::TooManyPages);
    }
    Ok(())
}

/// Whether a JPEG's last scan is followed by its end marker. The decoder fills a cut-off
/// scan with grey rather than failing, so a truncated upload would otherwise be stored.
fn jpeg_ends(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    let end = bytes.windows(2).rposition(|w| w == [0xFF, 0xD9]);
    matches!((last_scan, end), (Some(scan), Some(end)) if end > scan)
}

/// A decoder that refuses at its header: the sides named when the limits did it.
fn refuse(error: image::ImageError, bytes: &[u8], format: ImageFormat) -> IngestError {
    if let image::ImageError::Limits(_) = error {
        // The header is read again without limits only to name the sides in the message.
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.no_limits();
        if let Ok((width, height)) = reader.into_dimensions() {
            return IngestError::TooManyPixels {
                width,
                height,
                limit: MAX_PIXELS,
            };
        }
    }
    IngestError::Corrupt(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb};

    fn encode(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let written = image.write_to(&mut out, format);
        assert!(written.is_ok(), "{written:?}");
        out.into_inner()
    }

    #[test]
    fn images_are_known_by_their_bytes_not_their_names() {
        let image = RgbImage::from_pixel(30, 20, Rgb([200, 10, 10]));
        for (format, media_type) in [
            (ImageFormat::Png, "image/png"),
            (ImageFormat::Jpeg, "image/jpeg"),
            (ImageFormat::Tiff, "image/tiff"),
            (ImageFormat::WebP, "image/webp"),
        ] {
            let taken = ingest(&encode(&image, format));
            assert!(
                matches!(&taken, Ok(i) if i.media_type == media_type
                && i.pixels.dimensions() == (30, 20)),
                "{format:?}: {taken:?}"
            );
        }
        assert_eq!(
            ingest(b"<svg xmlns='http://www.w3.org/2000/svg'/>").err(),
            Some(IngestError::NotAnImage)
        );
        assert_eq!(
            ingest(b"<!doctype html><p>hi").err(),
            Some(IngestError::NotAnImage)
        );
        assert_eq!(ingest(b"").err(), Some(IngestError::Empty));
        assert!(matches!(
            ingest(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
            Err(IngestError::Unsupported(_))
        ));
    }

    #[test]
    fn truncated_and_oversized_images_are_refused_before_their_pixels() {
        let jpeg = encode(
            &RgbImage::from_pixel(64, 64, Rgb([1, 2, 3])),
            ImageFormat::Jpeg,
        );
        assert!(matches!(
            ingest(&jpeg[..jpeg.len() / 3]),
            Err(IngestError::Corrupt(_))
        ));

        // A PNG that claims 100,000 × 1: refused from its header.
        let mut strip = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut strip);
        let pixels = vec![0u8; 100_000];
        assert!(
            encoder
                .write_image(&pixels, 100_000, 1, image::ExtendedColorType::L8)
                .is_ok()
        );
        assert_eq!(
            ingest(&strip).err(),
            Some(IngestError::TooManyPixels {
                width: 100_000,
                height: 1,
                limit: MAX_PIXELS
            })
        );

        // A decompression bomb: 12,300 × 12,300 of one colour compresses to a few hundred
        // kilobytes and would decode to 450 MB.
        let mut bomb = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut bomb);
        let side = 12_300u32;
        let pixels = vec![0u8; (side * side) as usize];
        assert!(
            encoder
                .write_image(&pixels, side, side, image::ExtendedColorType::L8)
                .is_ok()
        );
        assert!(bomb.len() < 2_000_000, "{}", bomb.len());
        assert_eq!(
            ingest(&bomb).err(),
            Some(IngestError::TooManyPixels {
                width: side,
                height: side,
                limit: MAX_PIXELS
            })
        );
    }

    /// A `width × height` JPEG of one colour written by libjpeg, baseline or progressive.
    fn libjpeg(width: usize, height: usize, progressive: bool) -> Vec<u8> {
        let written = std::panic::catch_unwind(|| -> std::io::Result<Vec<u8>> {
            let mut compress = mozjpeg::Compress::new(mozjpeg::ColorSpace::JCS_RGB);
            compress.set_fastest_defaults();
            if progressive {
                compress.set_progressive_mode();
            }
            compress.set_size(width, height);
            let mut started = compress.start_compress(Vec::new())?;
            started.write_scanlines(&[200, 40, 40].repeat(width * height))?;
            started.finish()
        });
        let Ok(Ok(bytes)) = written else {
            panic!("libjpeg could not write the fixture")
        };
        bytes
    }

    /// `jpeg` with the sides in its frame header replaced, and `padding` zero bytes of scan
    /// data before its end: a header that claims what the data does not hold (for the checks
    /// of headers only: it does not decode to that image).
    fn claiming(jpeg: &[u8], width: u16, height: u16, padding: usize) -> Vec<u8> {
        let sof = jpeg
            .windows(2)
            .position(|w| w == [0xFF, 0xC0] || w == [0xFF, 0xC2]);
        let Some(sof) = sof else {
            panic!("no frame header")
        };
        let mut out = jpeg[..jpeg.len() - 2].to_vec();
        out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
        out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
        out.extend(std::iter::repeat_n(0u8, padding));
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }

    #[test]
    fn sequential_jpegs_are_decoded_in_rows_and_the_rest_whole() -> Result<(), IngestError> {
        let baseline = libjpeg(70, 30, false);
        let progressive = libjpeg(70, 30, true);
        let frame = jpeg_frame(&baseline);
        assert!(
            matches!(&frame, Some(f) if f.sequential && f.precision == 8 && f.components == 3
                && f.scan_components == 3 && f.scan_data > 100 && f.banded()),
            "{frame:?}"
        );
        assert_eq!(jpeg_frame(&progressive).map(|f| f.sequential), Some(false));
        let banded = check(&baseline)?;
        let whole = check(&progressive)?;
        assert!(banded.banded && !whole.banded);
        for image in [banded, whole] {
            let mut rows = 0;
            image.rows(|row| {
                assert_eq!(row.len(), 70 * 3);
                assert!(
                    row.chunks_exact(3).all(|p| p[0] > 180 && p[1] < 60),
                    "{row:?}"
                );
                rows += 1;
                Ok::<_, IngestError>(())
            })?;
            assert_eq!(rows, 30);
            assert_eq!(image.decode()?.dimensions(), (70, 30));
        }
        // Greys are banded too, and come out as RGB.
        let mut grey = Cursor::new(Vec::new());
        let written = image::GrayImage::from_pixel(16, 8, image::Luma([77]))
            .write_to(&mut grey, ImageFormat::Jpeg);
        assert!(written.is_ok());
        let grey = grey.into_inner();
        assert_eq!(jpeg_frame(&grey).map(|f| f.components), Some(1));
        let grey = check(&grey)?;
        assert!(grey.banded);
        assert!(
            grey.decode()?
                .pixels()
                .all(|p| p.0.iter().all(|&c| c.abs_diff(77) < 3))
        );
        Ok(())
    }

    #[test]
    fn only_an_image_decoded_in_rows_may_be_larger_than_memory_allows_whole() {
        // The sides a header claims are checked before anything is decoded.
        let large = claiming(&libjpeg(16, 16, false), 20_000, 20_000, 800_000);
        let taken = check(&large);
        assert!(
            matches!(&taken, Ok(c) if c.banded && (c.width, c.height) == (20_000, 20_000)),
            "{taken:?}"
        );
        assert_eq!(
            taken.and_then(|c| c.decode()).err(),
            Some(IngestError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                limit: MAX_PIXELS
            })
        );
        let progressive = claiming(&libjpeg(16, 16, true), 20_000, 20_000, 800_000);
        let refused = check(&progressive).err();
        assert_eq!(
            refused,
            Some(IngestError::TooManyPixels {
                width: 20_000,
                height: 20_000,
                limit: MAX_PIXELS
            })
        );
        let message = refused.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("sequential JPEG"), "{message}");
        // Past the limit of rows, too.
        let huge = claiming(&libjpeg(16, 16, false), 30_000, 30_000, 1_500_000);
        assert!(matches!(
            check(&huge),
            Err(IngestError::TooManyPixels {
                limit: MAX_BANDED_PIXELS,
                ..
            })
        ));
        // A header alone cannot claim a large image: the scans must be there, and comments
        // before them do not count.
        let bomb = claiming(&libjpeg(16, 16, false), 20_000, 20_000, 0);
        let refused = check(&bomb);
        assert!(
            matches!(&refused, Err(IngestError::Corrupt(m)) if m.contains("20000 × 20000")),
            "{refused:?}"
        );
    }

    #[test]
    fn a_tiff_of_ten_thousand_pages_is_refused_and_one_of_a_few_taken() {
        let tiff_of = |pages: usize| {
            let mut out = Cursor::new(Vec::new());
            let Ok(mut encoder) = tiff::encoder::TiffEncoder::new(&mut out) else {
                panic!("TIFF encoder")
            };
            for page in 0..pages {
                let grey = [u8::try_from(page % 256).unwrap_or(0); 4 * 3];
                let written = encoder.write_image::<tiff::encoder::colortype::Gray8>(4, 3, &grey);
                assert!(written.is_ok(), "{written:?}");
            }
            out.into_inner()
        };
        assert_eq!(
            check(&tiff_of(10_000)).err(),
            Some(IngestError::TooManyPages)
        );
        assert_eq!(
            check(&tiff_of(MAX_TIFF_PAGES + 1)).err(),
            Some(IngestError::TooManyPages)
        );
        let few = ingest(&tiff_of(3));
        assert!(
            matches!(&few, Ok(i) if i.pixels.dimensions() == (4, 3) && i.pixels.get_pixel(0, 0).0 == [0, 0, 0]),
            "{few:?}"
        );
        assert!(ingest(&tiff_of(MAX_TIFF_PAGES)).is_ok());
    }

    #[test]
    fn a_jpeg_of_one_scan_a_colour_is_not_decoded_in_rows() {
        // A baseline JPEG whose first scan holds one colour: libjpeg would buffer every
        // coefficient of the image before the first row, so it is decoded whole, within the
        // smaller limit.
        let baseline = libjpeg(16, 16, false);
        let Some(sos) = baseline.windows(2).position(|w| w == [0xFF, 0xDA]) else {
            panic!("no scan")
        };
        let mut one_colour = baseline[..sos].to_vec();
        // FF DA, length 8, one component (the first, with its tables), Ss, Se, Ah/Al.
        one_colour.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01]);
        one_colour.extend_from_slice(&baseline[sos + 5..sos + 7]);
        one_colour.extend_from_slice(&baseline[sos + 11..]);
        let frame = jpeg_frame(&one_colour);
        assert!(
            matches!(&frame, Some(f) if f.components == 3 && f.scan_components == 1 && !f.banded()),
            "{frame:?}"
        );
        let large = claiming(&one_colour, 20_000, 20_000, 800_000);
        assert!(!matches!(check(&large), Ok(c) if c.banded));
        // Markers without a length are stepped over, and a second start of image ends the walk.
        let mut with_restart = baseline[..2].to_vec();
        with_restart.extend_from_slice(&[0xFF, 0xD0]);
        with_restart.extend_from_slice(&baseline[2..]);
        assert_eq!(
            jpeg_frame(&with_restart),
            jpeg_frame(&baseline).map(|f| JpegFrame {
                scan_data: f.scan_data + 2,
                ..f
            })
        );
        let mut twice = baseline[..2].to_vec();
        twice.extend_from_slice(&baseline);
        assert_eq!(jpeg_frame(&twice), None);
    }

    #[test]
    fn a_libjpeg_error_is_a_refusal_with_its_message() {
        let decoded = jpeg_rows(b"\xFF\xD8\xFF\xE0 not a JPEG at all", 8, 8, |_| {
            Ok::<_, IngestError>(())
        });
        assert!(
            matches!(&decoded, Err(IngestError::Corrupt(m)) if m.starts_with("libjpeg")),
            "{decoded:?}"
        );
        // Sides other than the header checked said.
        let decoded = jpeg_rows(&libjpeg(8, 8, false), 9, 8, |_| Ok::<_, IngestError>(()));
        assert!(
            matches!(decoded, Err(IngestError::Corrupt(_))),
            "{decoded:?}"
        );
        // The receiver of the rows may stop them with its own error.
        let mut rows = 0;
        let stopped = jpeg_rows(&libjpeg(8, 8, false), 8, 8, |_| {
            rows += 1;
            if rows == 3 {
                return Err(IngestError::Empty);
            }
            Ok(())
        });
        assert_eq!((stopped, rows), (Err(IngestError::Empty), 3));
    }
}
