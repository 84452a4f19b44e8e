//! The IIIF Image API 3.0 at level 2: a request's region, size, rotation, quality and format
//! read from its path, checked against the image, and rendered from the tile pyramid.
//!
//! Every part of the path that cannot be served is a [`RequestError`] naming it (a 400), so
//! that nothing a client writes reaches the decoder unchecked.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, GrayImage, ImageFormat, RgbImage};

use crate::pyramid::{Pyramid, TILE, level_sizes};

/// The largest image a request may ask for, in pixels (advertised as `maxArea`): rendering
/// holds the region and the result in memory, several bytes per pixel each.
pub const MAX_AREA: u64 = 16_000_000;

/// The most pixels a render reads from a level: four times the largest answer, which any
/// undistorted size needs at most, since the level read has fewer than twice the pixels asked
/// on each side.
const MAX_READ: u64 = 4 * MAX_AREA;

/// The longest side a request may ask for (advertised as `maxWidth` and `maxHeight`): WebP
/// cannot encode more.
pub const MAX_OUTPUT_SIDE: u32 = 16_383;

/// The size of the proportions `w × h` that fills the box `bw × bh` on the side that binds,
/// the other side in proportion, rounded down (but at least a pixel). In whole numbers, so that
/// the binding side is the box's exactly.
fn fit(w: u64, h: u64, bw: u64, bh: u64) -> (u64, u64) {
    if bw * h <= bh * w {
        (bw, (h * bw / w).max(1))
    } else {
        ((w * bh / h).max(1), bh)
    }
}

/// `w × h` made smaller, in proportion, until within the limits on a side and on the area.
fn within_limits(w: u64, h: u64) -> (u64, u64) {
    let side = u64::from(MAX_OUTPUT_SIDE);
    let (w, h) = if w > side || h > side {
        fit(w, h, side, side)
    } else {
        (w, h)
    };
    if w * h <= MAX_AREA {
        return (w, h);
    }
    let s = (MAX_AREA as f64 / (w as f64 * h as f64)).sqrt();
    let (mut w, mut h) = (
        ((w as f64 * s).floor() as u64).max(1),
        ((h as f64 * s).floor() as u64).max(1),
    );
    // The square root's rounding may leave a pixel too many.
    while w * h > MAX_AREA {
        if w >= h {
            w -= 1;
        } else {
            h -= 1;
        }
    }
    (w, h)
}

/// A size that fits an image of `width × height` within a `side`-pixel box, as a size
/// parameter: `max` when it fits already (a confined size larger than the image is refused
/// without `^`), else `!side,side`.
pub fn fitting_size(width: u32, height: u32, side: u32) -> String {
    if width <= side && height <= side {
        "max".to_owned()
    } else {
        format!("!{side},{side}")
    }
}

/// Why a request cannot be served: the part of the path and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{part} `{value}`: {problem}")]
pub struct RequestError {
    pub part: &'static str,
    pub value: String,
    pub problem: String,
    /// A request the API defines that this server does not serve (an arbitrary rotation, a
    /// GIF): answered 501, not 400.
    pub unsupported: bool,
}

fn bad(part: &'static str, value: &str, problem: impl Into<String>) -> RequestError {
    RequestError {
        part,
        value: value.chars().take(80).collect(),
        problem: problem.into(),
        unsupported: false,
    }
}

fn unsupported(part: &'static str, value: &str, problem: impl Into<String>) -> RequestError {
    RequestError {
        unsupported: true,
        ..bad(part, value, problem)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Region {
    Full,
    Square,
    Pixels(u32, u32, u32, u32),
    Percent(f64, f64, f64, f64),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SizeKind {
    Max,
    Width(u32),
    Height(u32),
    Percent(f64),
    Exact(u32, u32),
    Confined(u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quality {
    Default,
    Color,
    Gray,
    Bitonal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpg,
    Png,
    Webp,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// A request resolved against an image: the region in its pixels `(x, y, w, h)` and the size
/// of the result `(w, h)`.
pub type Resolved = ((u32, u32, u32, u32), (u32, u32));

/// A request, read from the four parts of its path.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRequest {
    region: Region,
    upscale: bool,
    size: SizeKind,
    mirror: bool,
    degrees: u32,
    pub quality: Quality,
    pub format: Format,
}

fn number<T: std::str::FromStr>(
    part: &'static str,
    whole: &str,
    text: &str,
) -> Result<T, RequestError> {
    // Only plain digits (and one dot for decimals): no signs, exponents or spaces.
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(bad(part, whole, format!("`{text}` is not a number")));
    }
    text.parse()
        .map_err(|_| bad(part, whole, format!("`{text}` is not a number")))
}

fn four<T: std::str::FromStr + Copy>(
    part: &'static str,
    whole: &str,
    text: &str,
) -> Result<[T; 4], RequestError> {
    let parts: Vec<&str> = text.split(',').collect();
    let [a, b, c, d] = parts.as_slice() else {
        return Err(bad(part, whole, "expected four numbers x,y,w,h"));
    };
    Ok([
        number(part, whole, a)?,
        number(part, whole, b)?,
        number(part, whole, c)?,
        number(part, whole, d)?,
    ])
}

impl ImageRequest {
    pub fn parse(
        region: &str,
        size: &str,
        rotation: &str,
        quality_format: &str,
    ) -> Result<Self, RequestError> {
        let parsed_region = match region {
            "full" => Region::Full,
            "square" => Region::Square,
            _ => match region.strip_prefix("pct:") {
                Some(rest) => {
                    let [x, y, w, h] = four::<f64>("region", region, rest)?;
                    Region::Percent(x, y, w, h)
                }
                None => {
                    let [x, y, w, h] = four::<u32>("region", region, region)?;
                    Region::Pixels(x, y, w, h)
                }
            },
        };
        let (upscale, size_text) = match size.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, size),
        };
        let parsed_size = if size_text == "max" {
            SizeKind::Max
        } else if let Some(n) = size_text.strip_prefix("pct:") {
            let n: f64 = number("size", size, n)?;
            if n <= 0.0 {
                return Err(bad("size", size, "the percentage must be above 0"));
            }
            SizeKind::Percent(n)
        } else {
            let (confined, pair) = match size_text.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, size_text),
            };
            let Some((w, h)) = pair.split_once(',') else {
                return Err(bad("size", size, "expected max, w, ,h, pct:n, w,h or !w,h"));
            };
            match (w.is_empty(), h.is_empty(), confined) {
                (false, true, false) => SizeKind::Width(number("size", size, w)?),
                (true, false, false) => SizeKind::Height(number("size", size, h)?),
                (false, false, false) => {
                    SizeKind::Exact(number("size", size, w)?, number("size", size, h)?)
                }
                (false, false, true) => {
                    SizeKind::Confined(number("size", size, w)?, number("size", size, h)?)
                }
                _ => return Err(bad("size", size, "expected max, w, ,h, pct:n, w,h or !w,h")),
            }
        };
        let (mirror, degrees_text) = match rotation.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, rotation),
        };
        let degrees: f64 = number("rotation", rotation, degrees_text)?;
        let whole = (degrees.fract() == 0.0 && degrees <= 360.0).then_some(degrees as u32);
        let degrees = match whole {
            Some(0 | 360) => 0,
            Some(d @ (90 | 180 | 270)) => d,
            // Any angle up to 360 is a valid request; this server turns by quarters only.
            _ if (0.0..=360.0).contains(&degrees) => {
                return Err(unsupported(
                    "rotation",
                    rotation,
                    "only 0, 90, 180 and 270 degrees are served",
                ));
            }
            _ => {
                return Err(bad(
                    "rotation",
                    rotation,
                    "expected 0 to 360 degrees, e.g. 0, 90, !180",
                ));
            }
        };
        let Some((quality, format)) = quality_format.rsplit_once('.') else {
            return Err(bad(
                "quality",
                quality_format,
                "expected quality.format, e.g. default.jpg",
            ));
        };
        let quality = match quality {
            "default" => Quality::Default,
            "color" => Quality::Color,
            "gray" => Quality::Gray,
            "bitonal" => Quality::Bitonal,
            _ => {
                return Err(bad(
                    "quality",
                    quality,
                    "expected default, color, gray or bitonal",
                ));
            }
        };
        let format = match format {
            "jpg" => Format::Jpg,
            "png" => Format::Png,
            "webp" => Format::Webp,
            // Formats the API names, which this server does not write.
            "tif" | "gif" | "pdf" | "jp2" => {
                return Err(unsupported(
                    "format",
                    format,
                    "jpg, png and webp are served",
                ));
            }
            _ => return Err(bad("format", format, "expected jpg, png or webp")),
        };
        Ok(Self {
            region: parsed_region,
            upscale,
            size: parsed_size,
            mirror,
            degrees,
            quality,
            format,
        })
    }

    /// The region in the image's pixels `(x, y, w, h)` and the size of the result, or why the
    /// request cannot be served for an image of `width × height`.
    pub fn resolve(&self, width: u32, height: u32) -> Result<Resolved, RequestError> {
        let region_text = || format!("{:?}", self.region);
        let (x, y, w, h) = match self.region {
            Region::Full => (0, 0, width, height),
            Region::Square => {
                let side = width.min(height);
                ((width - side) / 2, (height - side) / 2, side, side)
            }
            Region::Pixels(x, y, w, h) => (x, y, w, h),
            Region::Percent(px, py, pw, ph) => {
                let at = |p: f64, of: u32| {
                    (p / 100.0 * f64::from(of)).round().min(f64::from(u32::MAX)) as u32
                };
                (at(px, width), at(py, height), at(pw, width), at(ph, height))
            }
        };
        if w == 0 || h == 0 {
            return Err(bad("region", &region_text(), "the region is empty"));
        }
        if x >= width || y >= height {
            return Err(bad(
                "region",
                &region_text(),
                format!("the region lies outside the image ({width} × {height})"),
            ));
        }
        let (w, h) = (w.min(width - x), h.min(height - y));
        let (fw, fh) = (f64::from(w), f64::from(h));
        let scaled = |s: f64| ((fw * s).round().max(1.0), (fh * s).round().max(1.0));
        let (tw, th): (f64, f64) = match self.size {
            // As large as the region, the box and the limits allow (with ^, beyond the
            // region), in the region's proportions.
            SizeKind::Max => {
                let (w, h) = (u64::from(w), u64::from(h));
                let side = u64::from(MAX_OUTPUT_SIDE);
                let (tw, th) = if self.upscale {
                    let (w, h) = fit(w, h, side, side);
                    within_limits(w, h)
                } else {
                    within_limits(w, h)
                };
                (tw as f64, th as f64)
            }
            SizeKind::Width(tw) => (f64::from(tw), (fh * f64::from(tw) / fw).round().max(1.0)),
            SizeKind::Height(th) => ((fw * f64::from(th) / fh).round().max(1.0), f64::from(th)),
            SizeKind::Percent(n) => scaled(n / 100.0),
            SizeKind::Exact(tw, th) => (f64::from(tw), f64::from(th)),
            SizeKind::Confined(cw, ch) => {
                let (w, h) = (u64::from(w), u64::from(h));
                // A box larger than the region asks for upscaling: without ^ it is refused
                // below, as any other size beyond the region is (the IIIF validator's
                // `size_noup` asks so of `!2000,3000`).
                let (tw, th) = fit(w, h, cw.into(), ch.into());
                let (tw, th) = within_limits(tw, th);
                (tw as f64, th as f64)
            }
        };
        if tw < 1.0 || th < 1.0 {
            return Err(bad(
                "size",
                &format!("{:?}", self.size),
                "the result would be empty",
            ));
        }
        if !self.upscale && (tw > fw || th > fh) {
            return Err(bad(
                "size",
                &format!("{:?}", self.size),
                format!("larger than the region ({w} × {h}); ask with ^ to upscale"),
            ));
        }
        if tw > f64::from(MAX_OUTPUT_SIDE) || th > f64::from(MAX_OUTPUT_SIDE) {
            return Err(bad(
                "size",
                &format!("{:?}", self.size),
                format!("a side longer than {MAX_OUTPUT_SIDE} pixels"),
            ));
        }
        if tw * th > MAX_AREA as f64 {
            return Err(bad(
                "size",
                &format!("{:?}", self.size),
                format!("more than {MAX_AREA} pixels"),
            ));
        }
        Ok(((x, y, w, h), (tw as u32, th as u32)))
    }

    /// Renders the request from `pyramid`: reads the covered tiles at the level nearest the
    /// size asked (never a smaller one), scales, mirrors, rotates, and encodes.
    pub fn render(&self, pyramid: &Pyramid) -> Result<Vec<u8>, RenderError> {
        let Plan {
            level,
            rect: (lx, ly, lw, lh),
            size: (tw, th),
            stored_tile,
        } = self.plan(pyramid)?;
        if stored_tile {
            return Ok(pyramid.tile_bytes(level, lx / TILE, ly / TILE)?);
        }
        let mut pixels: RgbImage = pyramid.read(level, lx, ly, lw, lh)?;
        let (pw, ph) = pixels.dimensions();
        if (pw, ph) != (tw, th) {
            // Down by less than half (the level was chosen so): averaged by area, as the levels
            // were made, several times faster than a filter of many taps. Up (`^`): a filter.
            pixels = if tw <= pw && th <= ph {
                image::imageops::thumbnail(&pixels, tw, th)
            } else {
                image::imageops::resize(&pixels, tw, th, FilterType::CatmullRom)
            };
        }
        if self.mirror {
            image::imageops::flip_horizontal_in_place(&mut pixels);
        }
        let pixels = match self.degrees {
            90 => image::imageops::rotate90(&pixels),
            180 => image::imageops::rotate180(&pixels),
            270 => image::imageops::rotate270(&pixels),
            _ => pixels,
        };
        let image = match self.quality {
            Quality::Default | Quality::Color => DynamicImage::ImageRgb8(pixels),
            Quality::Gray => DynamicImage::ImageLuma8(DynamicImage::ImageRgb8(pixels).into_luma8()),
            Quality::Bitonal => {
                let gray: GrayImage = DynamicImage::ImageRgb8(pixels).into_luma8();
                DynamicImage::ImageLuma8(GrayImage::from_fn(gray.width(), gray.height(), |x, y| {
                    image::Luma([if gray.get_pixel(x, y).0[0] >= 128 {
                        255
                    } else {
                        0
                    }])
                }))
            }
        };
        let mut out = Vec::new();
        match self.format {
            Format::Jpg => {
                let grey = !matches!(self.quality, Quality::Default | Quality::Color);
                let encoding = crate::jpeg::Encoding {
                    quality: 88,
                    optimize: false,
                };
                out = crate::jpeg::encode(
                    image.as_bytes(),
                    image.width(),
                    image.height(),
                    grey,
                    encoding,
                )?;
            }
            Format::Png => image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)?,
            Format::Webp => image.write_to(&mut Cursor::new(&mut out), ImageFormat::WebP)?,
        }
        Ok(out)
    }

    /// Whether the answer is a stored tile as it is stored (read, not rendered).
    pub fn is_stored_tile(&self, pyramid: &Pyramid) -> bool {
        self.plan(pyramid).is_ok_and(|plan| plan.stored_tile)
    }

    /// The level, rectangle and size of the answer.
    fn plan(&self, pyramid: &Pyramid) -> Result<Plan, RenderError> {
        let ((x, y, w, h), (tw, th)) = self.resolve(pyramid.width, pyramid.height)?;
        let levels = level_sizes(pyramid.width, pyramid.height);
        let level = level_to_read(levels.len(), (w, h), (tw, th));
        let factor = 1u32 << level;
        let (lw, lh) = levels[level];
        let (lx, ly) = (x / factor, y / factor);
        let lx2 = (x + w).div_ceil(factor).min(lw);
        let ly2 = (y + h).div_ceil(factor).min(lh);
        // Exactly a stored tile, as it is stored: its bytes are the answer.
        let tile = lx % TILE == 0
            && ly % TILE == 0
            && (lx2 - lx, ly2 - ly) == (TILE.min(lw - lx), TILE.min(lh - ly))
            && (tw, th) == (lx2 - lx, ly2 - ly)
            && x % factor == 0
            && y % factor == 0;
        Ok(Plan {
            level,
            rect: (lx, ly, (lx2 - lx).max(1), (ly2 - ly).max(1)),
            size: (tw, th),
            stored_tile: tile
                && self.degrees == 0
                && !self.mirror
                && matches!(self.quality, Quality::Default | Quality::Color)
                && self.format == Format::Jpg,
        })
    }
}

/// Which of `levels` levels to read a region of `w × h` from for an answer of `tw × th`: the
/// smallest whose pixels are still at least as many as asked for on each side, but none that
/// reads more than [`MAX_READ`] pixels while a smaller one is left. A distorted size (16383 × 1
/// of a large scan) would otherwise read the whole image at full resolution, gigabytes, for a
/// line; it is read from a smaller level and stretched.
fn level_to_read(levels: usize, (w, h): (u32, u32), (tw, th): (u32, u32)) -> usize {
    let read = |level: usize| {
        let factor = 1u64 << level;
        u64::from(w).div_ceil(factor) * u64::from(h).div_ceil(factor)
    };
    let mut level = 0;
    while level + 1 < levels {
        let factor = 1u64 << (level + 1);
        let detailed =
            u64::from(w) / factor >= u64::from(tw) && u64::from(h) / factor >= u64::from(th);
        if detailed || read(level) > MAX_READ {
            level += 1;
        } else {
            break;
        }
    }
    level
}

/// How a request is answered from a pyramid.
struct Plan {
    /// The level read from.
    level: usize,
    /// The rectangle of that level read, `(x, y, w, h)`.
    rect: (u32, u32, u32, u32),
    /// The size of the answer before rotation.
    size: (u32, u32),
    /// Whether that rectangle is exactly one stored tile and the answer its bytes.
    stored_tile: bool,
}

/// Why a request was not rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error("reading tiles: {0}")]
    Io(#[from] std::io::Error),
    #[error("encoding: {0}")]
    Encode(#[from] image::ImageError),
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn resolve(region: &str, size: &str) -> Result<Resolved, RequestError> {
        ImageRequest::parse(region, size, "0", "default.jpg")?.resolve(1000, 800)
    }

    #[test]
    fn regions_and_sizes_resolve_as_the_specification_says() {
        assert_eq!(resolve("full", "max"), Ok(((0, 0, 1000, 800), (1000, 800))));
        assert_eq!(
            resolve("square", "max"),
            Ok(((100, 0, 800, 800), (800, 800)))
        );
        assert_eq!(
            resolve("900,700,500,500", "max"),
            Ok(((900, 700, 100, 100), (100, 100)))
        );
        assert_eq!(
            resolve("pct:10,10,50,50", "max"),
            Ok(((100, 80, 500, 400), (500, 400)))
        );
        assert_eq!(resolve("full", "500,"), Ok(((0, 0, 1000, 800), (500, 400))));
        assert_eq!(resolve("full", ",400"), Ok(((0, 0, 1000, 800), (500, 400))));
        assert_eq!(
            resolve("full", "pct:25"),
            Ok(((0, 0, 1000, 800), (250, 200)))
        );
        assert_eq!(
            resolve("full", "!500,500"),
            Ok(((0, 0, 1000, 800), (500, 400)))
        );
        assert_eq!(
            resolve("full", "200,100"),
            Ok(((0, 0, 1000, 800), (200, 100)))
        );
        assert_eq!(
            resolve("0,0,100,100", "^200,"),
            Ok(((0, 0, 100, 100), (200, 200)))
        );
        assert_eq!(
            resolve("full", "^!2000,2000"),
            Ok(((0, 0, 1000, 800), (2000, 1600)))
        );
        assert_eq!(
            resolve("full", "!2000,400"),
            Ok(((0, 0, 1000, 800), (500, 400)))
        );
        // The binding side is the box's exactly: 49 × (1/49) is not 1 in floating point.
        let request = ImageRequest::parse("full", "!16,16", "0", "default.jpg").unwrap();
        assert_eq!(request.resolve(784, 392), Ok(((0, 0, 784, 392), (16, 8))));
        let request = ImageRequest::parse("full", "!240,240", "0", "default.jpg").unwrap();
        assert_eq!(
            request.resolve(11_760, 5_000),
            Ok(((0, 0, 11_760, 5_000), (240, 102)))
        );
        // Beyond the limits, confined and max sizes shrink to them; ^max grows to them.
        let huge = ImageRequest::parse("full", "!16000,16000", "0", "default.jpg").unwrap();
        let Ok((_, (w, h))) = huge.resolve(20_000, 15_000) else {
            panic!("a confined size within the limits is served");
        };
        assert!(
            u64::from(w) * u64::from(h) <= MAX_AREA && w > 4_000,
            "{w} × {h}"
        );
        let grown = ImageRequest::parse("full", "^max", "0", "default.jpg").unwrap();
        assert_eq!(
            grown.resolve(100, 50),
            Ok(((0, 0, 100, 50), (5_657, 2_828)))
        );
        let wide = ImageRequest::parse("full", "max", "0", "default.jpg").unwrap();
        assert_eq!(
            wide.resolve(49_149, 10),
            Ok(((0, 0, 49_149, 10), (MAX_OUTPUT_SIDE, 3)))
        );
        assert_eq!(fitting_size(300, 200, 400), "max");
        assert_eq!(fitting_size(3000, 200, 400), "!400,400");
        // `max` of a large image stays within what a request may have.
        let large = ImageRequest::parse("full", "max", "0", "default.jpg")
            .map(|r| r.resolve(20_000, 15_000));
        assert!(
            matches!(large, Ok(Ok((_, (w, h)))) if u64::from(w) * u64::from(h) <= MAX_AREA
                && w <= MAX_OUTPUT_SIDE),
            "{large:?}"
        );
    }

    #[test]
    fn a_distorted_size_reads_a_bounded_level() {
        let levels = level_sizes(30_000, 20_000).len();
        // A line across a large scan: read from a level of at most MAX_READ pixels.
        let level = level_to_read(levels, (30_000, 20_000), (16_383, 1));
        let factor = 1u64 << level;
        assert!(30_000u64.div_ceil(factor) * 20_000u64.div_ceil(factor) <= MAX_READ);
        // An undistorted size keeps the level of enough pixels.
        assert_eq!(level_to_read(levels, (30_000, 20_000), (3_750, 2_500)), 3);
        assert_eq!(level_to_read(levels, (30_000, 20_000), (3_751, 2_500)), 2);
        assert_eq!(level_to_read(levels, (1_000, 800), (1_000, 800)), 0);
    }

    #[test]
    fn what_cannot_be_served_is_refused_naming_the_part() {
        for (region, size, part) in [
            ("1000,0,10,10", "max", "region"),
            ("0,0,0,10", "max", "region"),
            ("-1,0,10,10", "max", "region"),
            ("0,0,10", "max", "region"),
            ("1e3,0,10,10", "max", "region"),
            ("0,0,10,10", "20,", "size"),
            ("full", "1001,", "size"),
            ("full", "pct:0", "size"),
            ("full", "pct:101", "size"),
            ("full", "!2000,3000", "size"),
            ("full", "full", "size"),
            ("0,0,1000,1", "^20000,", "size"),
            ("full", "^100000,100000", "size"),
            ("full", "!,", "size"),
            ("full", "abc", "size"),
        ] {
            match resolve(region, size) {
                Err(e) => assert_eq!(e.part, part, "{region} {size}: {e}"),
                Ok(r) => panic!("{region} {size} served as {r:?}"),
            }
        }
        for (rotation, quality, not_served) in [
            ("45", "default.jpg", true),
            ("-90", "default.jpg", false),
            ("400", "default.jpg", false),
            ("0", "best.jpg", false),
            ("0", "default.gif", true),
            ("0", "default.bmp", false),
            ("0", "default", false),
        ] {
            let refused = ImageRequest::parse("full", "max", rotation, quality).err();
            assert_eq!(
                refused.map(|e| e.unsupported),
                Some(not_served),
                "{rotation} {quality}"
            );
        }
        assert!(ImageRequest::parse("full", "max", "!90", "gray.png").is_ok());
    }
}
