//! JPEG through libjpeg-turbo (as MozJPEG, without its assembly): the encoder of tiles and
//! renders, and the guard every call into libjpeg goes through. libjpeg reports a fatal error by
//! unwinding out of its error handler, the only way it has (`mozjpeg` documents that every use
//! be wrapped so); [`guarded`] turns that unwind into an error with libjpeg's message.

use std::io;
use std::panic::AssertUnwindSafe;

/// Runs `call`, a use of libjpeg, with its fatal errors as `io::Error`s.
pub(crate) fn guarded<T>(call: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(call)) {
        Ok(result) => result,
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("libjpeg failed");
            Err(io::Error::other(message.to_owned()))
        }
    }
}

/// How a JPEG is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Encoding {
    pub quality: u8,
    /// Huffman tables made for the image: about a tenth smaller, for a second pass over it.
    /// Worth it for what is stored and served many times.
    pub optimize: bool,
}

/// Encodes `pixels`, `width × height` of RGB (3 bytes a pixel) or grey (1), as a baseline JPEG.
pub(crate) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    grey: bool,
    encoding: Encoding,
) -> io::Result<Vec<u8>> {
    let (space, channels) = if grey {
        (mozjpeg::ColorSpace::JCS_GRAYSCALE, 1)
    } else {
        (mozjpeg::ColorSpace::JCS_RGB, 3)
    };
    if pixels.len() != width as usize * height as usize * channels || width == 0 || height == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} bytes are not a {width} × {height} image", pixels.len()),
        ));
    }
    guarded(|| {
        let mut compress = mozjpeg::Compress::new(space);
        // libjpeg-turbo's own settings: baseline, no trellis search (MozJPEG's defaults make
        // smaller files several times more slowly).
        compress.set_fastest_defaults();
        compress.set_size(width as usize, height as usize);
        compress.set_quality(f32::from(encoding.quality));
        compress.set_optimize_coding(encoding.optimize);
        let mut started = compress.start_compress(Vec::new())?;
        started.write_scanlines(pixels)?;
        started.finish()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_images_decode_to_their_pixels_and_nonsense_is_refused() {
        let (width, height) = (40u32, 24u32);
        let pixels: Vec<u8> = (0..width * height)
            .flat_map(|i| {
                if i % width < width / 2 {
                    [200, 30, 30]
                } else {
                    [30, 30, 200]
                }
            })
            .collect();
        let encoding = Encoding {
            quality: 92,
            optimize: true,
        };
        let Ok(jpeg) = encode(&pixels, width, height, false, encoding) else {
            panic!("encoded")
        };
        let decoded = image::load_from_memory(&jpeg).map(|i| i.into_rgb8());
        let Ok(decoded) = decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(decoded.dimensions(), (width, height));
        let left = decoded.get_pixel(5, 12).0;
        let right = decoded.get_pixel(35, 12).0;
        assert!(left[0] > 170 && left[2] < 70, "{left:?}");
        assert!(right[2] > 170 && right[0] < 70, "{right:?}");
        let grey = encode(&[128; 40 * 24], width, height, true, encoding);
        assert!(
            matches!(&grey, Ok(g) if image::load_from_memory(g).is_ok_and(|i| i.color() == image::ColorType::L8))
        );
        assert!(encode(&pixels[1..], width, height, false, encoding).is_err());
        assert!(encode(&[], 0, 0, false, encoding).is_err());
    }
}
