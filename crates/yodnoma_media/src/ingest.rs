//! Taking an image in: what it is (read from its bytes, never from its name), whether it is
//! safe to decode (bytes, sides and pixels checked from the header before any pixel is
//! decoded, and the decoder's allocations capped), and its pixels upright (EXIF orientation
//! applied). Nothing of its metadata survives into what is served: derivatives are encoded
//! afresh from pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

/// Larger files are refused before they are read as images.
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// Neither side may be longer: a 100,000 × 1 strip is no painting.
pub const MAX_SIDE: u32 = 30_000;

/// At most this many pixels (a 12,000 × 10,000 scan is 120 million).
pub const MAX_PIXELS: u64 = 150_000_000;

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
        "the image is {width} × {height} pixels; each side may be at most {MAX_SIDE} and the whole at most {MAX_PIXELS} pixels"
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("the image cannot be decoded: {0}")]
    Corrupt(String),
}

/// An image taken in: its kind and its pixels, upright.
#[derive(Debug)]
pub struct Ingested {
    pub media_type: &'static str,
    pub pixels: RgbImage,
}

/// Reads `bytes` as an image within the limits above.
pub fn ingest(bytes: &[u8]) -> Result<Ingested, IngestError> {
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
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| refuse(e, bytes, format))?;
    let (width, height) = decoder.dimensions();
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(IngestError::TooManyPixels { width, height });
    }
    let orientation = decoder
        .orientation()
        .map_err(|e| IngestError::Corrupt(e.to_string()))?;
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|e| IngestError::Corrupt(e.to_string()))?;
    image.apply_orientation(orientation);
    Ok(Ingested {
        media_type,
        pixels: image.into_rgb8(),
    })
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
            return IngestError::TooManyPixels { width, height };
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
                height: 1
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
                height: side
            })
        );
    }
}
