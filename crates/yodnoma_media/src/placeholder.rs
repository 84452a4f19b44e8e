//! Placeholder portraits: a neutral silhouette with initials and a caption, clearly marked as a
//! placeholder, until a museum uploads the real portrait. Drawn as SVG so that they are small,
//! sharp at every size and need no image codec.

use askama::Template;

pub const PLACEHOLDER_WIDTH: u32 = 600;
pub const PLACEHOLDER_HEIGHT: u32 = 800;

#[derive(Template)]
#[template(path = "placeholder.svg", escape = "html")]
struct Placeholder<'a> {
    width: u32,
    height: u32,
    initials: &'a str,
    caption: &'a str,
    label: &'a str,
    /// A hue from the name, so that neighbouring portraits differ.
    hue: u32,
}

/// An SVG placeholder portrait. `label` marks it as a placeholder in the reader's language.
pub fn placeholder_portrait(name: &str, label: &str) -> Result<String, askama::Error> {
    let initials: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphabetic()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    let hue = name
        .chars()
        .map(u32::from)
        .fold(0u32, |h, c| h.wrapping_mul(31).wrapping_add(c))
        % 360;
    Placeholder {
        width: PLACEHOLDER_WIDTH,
        height: PLACEHOLDER_HEIGHT,
        initials: &initials,
        caption: name,
        label,
        hue,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_initials_and_escapes_the_caption() -> Result<(), askama::Error> {
        let svg = placeholder_portrait("Мамраев Мартбек <script>", "Placeholder")?;
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(">ММ<"));
        assert!(svg.contains("&#60;script&#62;") || svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
        Ok(())
    }
}
