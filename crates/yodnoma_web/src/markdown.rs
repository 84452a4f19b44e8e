//! Markdown written by visitors, made safe to show.
//!
//! Raw HTML in the text is shown as text, never passed through; the HTML that Markdown produces
//! is then cleaned by ammonia (its allow-list of tags and attributes, links given
//! `rel="noopener noreferrer nofollow"`, only http, https and mailto links kept). Headings are
//! shifted down, so a story's `#` never competes with the page's own headings.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Where Markdown's headings go: under a story's `h3`, or an exhibition section's `h2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Under {
    H2,
    H3,
}

/// Safe HTML of `text`, its headings one level below `under` and on (`#`, `##` and `###` the
/// first level, `####` the next, the rest the one after), so that no level is skipped.
pub fn to_safe_html(text: &str, under: Under) -> String {
    let levels = match under {
        Under::H2 => [HeadingLevel::H3, HeadingLevel::H4, HeadingLevel::H5],
        Under::H3 => [HeadingLevel::H4, HeadingLevel::H5, HeadingLevel::H6],
    };
    let shift = |level: HeadingLevel| match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => levels[0],
        HeadingLevel::H4 => levels[1],
        _ => levels[2],
    };
    let events = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        // Pictures come through the image ingest, with alt text; not from links in the text.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Event::Text("".into()),
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_and_script_never_does() {
        let html = to_safe_html(
            "# Дедушка\n\nОн *вернулся* в 1945 году.\n\n- письма\n- фото",
            Under::H3,
        );
        assert!(html.contains("<h4>Дедушка</h4>"), "{html}");
        // In an exhibition, under the section's h2: no level skipped.
        let section = to_safe_html("# Эвакуация\n\n#### Заводы", Under::H2);
        assert!(
            section.contains("<h3>Эвакуация</h3>") && section.contains("<h4>Заводы</h4>"),
            "{section}"
        );
        assert!(html.contains("<em>вернулся</em>"), "{html}");
        assert!(html.contains("<li>письма</li>"), "{html}");
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![x](http://evil.example/track.png)",
            "<iframe src=//evil.example></iframe>",
            "<svg onload=alert(1)>",
        ] {
            let html = to_safe_html(payload, Under::H3);
            // Raw HTML is shown as text (`&lt;script&gt;`): only real tags would be harmful.
            for bad in ["<script", "<a href=\"javascript", "<iframe", "<svg", "<img"] {
                assert!(!html.contains(bad), "{payload} → {html}");
            }
        }
        let link = to_safe_html("[memory](https://example.org/a)", Under::H3);
        assert!(
            link.contains(r#"rel="noopener noreferrer nofollow""#),
            "{link}"
        );
    }
}
