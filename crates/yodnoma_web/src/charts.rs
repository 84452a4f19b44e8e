//! Charts of the statistics, drawn on the server as SVG: bars by plotters' SVG backend, the map
//! from the republics' outlines projected when the binary was built (`build.rs`, `map/`).
//!
//! Every chart is an image with a title and a description (`role="img"`, `<title>`, `<desc>`)
//! and carries no number a reader could not find in the HTML table printed below it: the table
//! is the chart's text alternative. Charts scale to the width of the page (`viewBox`, no fixed
//! size), so they are readable on a phone and print as vectors.

use std::fmt::Write as _;
use std::sync::LazyLock;

use plotters::prelude::*;

/// Bars and lines in the site's accent colour; the second series in a blue that stays apart
/// from it for the common colour-vision deficiencies.
const FIRST: RGBColor = RGBColor(0x8a, 0x1c, 0x1c);
const SECOND: RGBColor = RGBColor(0x1f, 0x5f, 0x9e);
const INK: RGBColor = RGBColor(0x1d, 0x1d, 0x1f);
const FONT: &str = "sans-serif";

/// One labelled value of a bar chart.
pub struct Bar {
    pub label: String,
    pub value: u64,
}

/// The words a chart is announced with.
pub struct Caption<'a> {
    /// Unique on the page: the ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
}

/// A horizontal bar chart, largest bar first as given; `None` when there is nothing to draw or
/// the drawing failed (the table below still says everything).
pub fn bars(caption: &Caption, bars: &[Bar]) -> Option<String> {
    if bars.is_empty() {
        return None;
    }
    let rows = u32::try_from(bars.len()).ok()?;
    let (width, height) = (720, 40 + 26 * rows);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    let label_width = u32::try_from(longest.clamp(6, 34) * 8).unwrap_or(200);
    draw(caption, (width, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(24)
            .y_label_area_size(label_width)
            // `a..b` segmented has a segment for each of a..=b: one per bar is `0..rows - 1`.
            .build_cartesian_2d(
                0u64..max + max / 10 + 1,
                (0u32..rows.saturating_sub(1).max(1)).into_segmented(),
            )?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(bars.len())
            // The axis counts upwards; the first bar is drawn at the top.
            .y_label_formatter(&|segment| match segment {
                SegmentValue::CenterOf(i) => rows
                    .checked_sub(i + 1)
                    .and_then(|i| bars.get(i as usize))
                    .map(|b| b.label.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_labels(5)
            .x_label_formatter(&|v| thousands(*v))
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_style(INK)
            .light_line_style(RGBColor(0xe6, 0xe3, 0xdc))
            .draw()?;
        chart.draw_series(bars.iter().enumerate().map(|(i, bar)| {
            let i = rows - 1 - u32::try_from(i).unwrap_or(0);
            let mut rect = Rectangle::new(
                [
                    (0, SegmentValue::Exact(i)),
                    (bar.value, SegmentValue::Exact(i + 1)),
                ],
                FIRST.filled(),
            );
            rect.set_margin(4, 4, 0, 0);
            rect
        }))?;
        Ok(())
    })
}

/// Two series over the months of the war, as lines with a legend.
pub fn timeline(
    caption: &Caption,
    months: &[String],
    series: [(&str, &[u64]); 2],
) -> Option<String> {
    if months.is_empty() {
        return None;
    }
    let n = u32::try_from(months.len()).ok()?;
    let max = series
        .iter()
        .flat_map(|(_, values)| values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    draw(caption, (720, 300), |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(0u32..n, 0u64..max + max / 10 + 1)?;
        chart
            .configure_mesh()
            // No line per month: the years are named below the axis, the counts across it.
            .disable_x_mesh()
            .x_labels(months.len())
            // Only Januaries and the first month are named: the years.
            .x_label_formatter(&|i| match months.get(*i as usize) {
                Some(m) if *i == 0 || m.ends_with("-01") => m[..4].to_owned(),
                _ => String::new(),
            })
            .y_labels(5)
            .y_label_formatter(&|v| thousands(*v))
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_style(INK)
            .light_line_style(RGBColor(0xe6, 0xe3, 0xdc))
            .draw()?;
        for ((label, values), colour) in series.iter().zip([FIRST, SECOND]) {
            chart
                .draw_series(LineSeries::new(
                    values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (u32::try_from(i).unwrap_or(0), *v)),
                    colour.stroke_width(2),
                ))?
                .label(*label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT, 13).into_font().color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(INK)
            .draw()?;
        Ok(())
    })
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// Draws on an SVG of `size` and makes it an accessible, scalable image.
fn draw(
    caption: &Caption,
    size: (u32, u32),
    paint: impl FnOnce(&DrawingArea<SVGBackend, plotters::coord::Shift>) -> DrawResult,
) -> Option<String> {
    let mut svg = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(Into::into)
            .and_then(|()| paint(&root))
            .and_then(|()| root.present().map_err(Into::into))
    };
    if let Err(e) = drawn {
        tracing::warn!(chart = caption.id, "a chart could not be drawn: {e}");
        return None;
    }
    let fixed = format!(r#"<svg width="{}" height="{}" "#, size.0, size.1);
    Some(accessible(caption, svg.strip_prefix(&fixed)?))
}

/// An SVG image with its role, title and description, and no fixed size: `rest` is the SVG
/// after `<svg `, from its `viewBox` on.
fn accessible(caption: &Caption, rest: &str) -> String {
    let end = rest.find('>').map_or(rest.len(), |i| i + 1);
    let (tag, content) = rest.split_at(end);
    let id = escape(caption.id);
    format!(
        r#"<svg class="chart" role="img" aria-labelledby="{id}-title {id}-desc" {tag}<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>{content}"#,
        escape(caption.title),
        escape(caption.description),
    )
}

/// The outlines of the republics and their neighbours, projected at build time.
#[derive(serde::Deserialize)]
struct Outlines {
    width: u32,
    height: u32,
    neighbours: Vec<String>,
    republics: Vec<Outline>,
    projection: Projection,
}

/// The projection the outlines were drawn in (d3-geo's Albers equal-area conic, fitted to the
/// five republics), to place points on them at run time.
#[derive(serde::Deserialize)]
struct Projection {
    /// Standard parallels, degrees.
    parallels: [f64; 2],
    /// Added to every longitude, degrees.
    rotate: f64,
    /// The point (in the rotated frame, degrees) that `translate` shows.
    center: [f64; 2],
    scale: f64,
    translate: [f64; 2],
    /// One point as d3-geo projected it, for the test of this projection.
    #[cfg_attr(not(test), allow(dead_code))]
    check: ProjectionCheck,
}

#[derive(serde::Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
struct ProjectionCheck {
    lonlat: [f64; 2],
    xy: [f64; 2],
}

impl Projection {
    /// The Albers equal-area conic on the unit sphere (Snyder, "Map Projections: A Working
    /// Manual", 1987, pp. 98–101, in the form of d3-geo's `conicEqualAreaRaw`), radians in.
    fn raw(&self, lambda: f64, phi: f64) -> (f64, f64) {
        let (phi0, phi1) = (
            self.parallels[0].to_radians(),
            self.parallels[1].to_radians(),
        );
        let n = (phi0.sin() + phi1.sin()) / 2.0;
        let c = 1.0 + phi0.sin() * (2.0 * n - phi0.sin());
        let rho0 = c.sqrt() / n;
        let rho = (c - 2.0 * n * phi.sin()).max(0.0).sqrt() / n;
        let theta = lambda * n;
        (rho * theta.sin(), rho0 - rho * theta.cos())
    }

    /// Longitude and latitude in degrees to the map's pixels.
    fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        // Longitudes wrap into -180°..180° after the rotation, as d3-geo's do.
        let lambda = (lon + self.rotate + 180.0).rem_euclid(360.0) - 180.0;
        let (x, y) = self.raw(lambda.to_radians(), lat.to_radians());
        let (cx, cy) = self.raw(self.center[0].to_radians(), self.center[1].to_radians());
        (
            self.translate[0] + self.scale * (x - cx),
            self.translate[1] - self.scale * (y - cy),
        )
    }
}

/// A point to mark on the map: a place of memory.
pub struct Point {
    pub latitude: f64,
    pub longitude: f64,
    pub label: String,
}

#[derive(serde::Deserialize)]
struct Outline {
    key: String,
    d: String,
    x: i32,
    y: i32,
}

static OUTLINES: LazyLock<Option<Outlines>> = LazyLock::new(|| {
    let json = include_bytes!(concat!(env!("OUT_DIR"), "/republics.json"));
    if json.is_empty() {
        return None;
    }
    serde_json::from_slice(json)
        .map_err(|e| tracing::warn!("the map's outlines cannot be read: {e}"))
        .ok()
});

/// Steps of the map's shading, lightest first (a sequential scale of the accent colour).
const SHADES: [&str; 5] = ["#f3e3dc", "#e3b4a4", "#c9786a", "#a8433c", "#7a1616"];

/// The five republics shaded by count: `counts` gives each republic's key, its name as the
/// reader reads it, and its count. `None` when the binary was built without the outlines.
pub fn map(
    caption: &Caption,
    counts: &[(String, String, u64)],
    points: &[Point],
) -> Option<String> {
    let outlines = OUTLINES.as_ref()?;
    let max = counts.iter().map(|(_, _, n)| *n).max().unwrap_or(0).max(1);
    let shade = |n: u64| {
        let step = (n * SHADES.len() as u64).div_ceil(max).saturating_sub(1);
        SHADES[usize::try_from(step).unwrap_or(0).min(SHADES.len() - 1)]
    };
    let mut svg = format!(
        r##"viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg"><rect width="100%" height="100%" fill="#eef3f7"/>"##,
        outlines.width, outlines.height
    );
    for d in &outlines.neighbours {
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="#f6f5f1" stroke="#b9b5ab" stroke-width="0.6"/>"##
        );
    }
    for outline in &outlines.republics {
        let (name, count) = counts
            .iter()
            .find(|(key, _, _)| *key == outline.key)
            .map_or((outline.key.as_str(), 0), |(_, name, n)| {
                (name.as_str(), *n)
            });
        let fill = if count == 0 { "#ffffff" } else { shade(count) };
        let _ = write!(
            svg,
            r##"<path d="{}" fill="{fill}" stroke="#1d1d1f" stroke-width="1"><title>{}: {}</title></path>"##,
            outline.d,
            escape(name),
            thousands(count)
        );
    }
    for outline in &outlines.republics {
        let (name, count) = counts
            .iter()
            .find(|(key, _, _)| *key == outline.key)
            .map_or((outline.key.as_str(), 0), |(_, name, n)| {
                (name.as_str(), *n)
            });
        // Labels on a light halo, readable on every shade.
        let _ = write!(
            svg,
            r##"<text x="{x}" y="{y}" text-anchor="middle" font-family="{FONT}" font-size="14" fill="#1d1d1f" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}<tspan x="{x}" dy="16" font-weight="bold">{}</tspan></text>"##,
            escape(name),
            thousands(count),
            x = outline.x,
            y = outline.y,
        );
    }
    for point in points {
        let (x, y) = outlines.projection.project(point.longitude, point.latitude);
        let inside = (0.0..=f64::from(outlines.width)).contains(&x)
            && (0.0..=f64::from(outlines.height)).contains(&y);
        if inside {
            let _ = write!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="6" fill="#1f5f9e" stroke="#ffffff" stroke-width="2"><title>{}</title></circle>"##,
                escape(&point.label)
            );
        }
    }
    svg.push_str("</svg>");
    Some(accessible(caption, &svg))
}

/// Groups of three digits, as the tables print them.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_where_d3_geo_put_them() {
        let Some(outlines) = OUTLINES.as_ref() else {
            // Built without node: there is no map, and nothing to place on it.
            return;
        };
        let p = &outlines.projection;
        let (x, y) = p.project(p.check.lonlat[0], p.check.lonlat[1]);
        assert!(
            (x - p.check.xy[0]).abs() < 0.01 && (y - p.check.xy[1]).abs() < 0.01,
            "({x}, {y}) against d3-geo's {:?}",
            p.check.xy
        );
    }
}
