//! Markdown written by visitors, made safe to show.
//!
//! Raw HTML in the text is shown as text, never passed through; the HTML that Markdown produces
//! is then cleaned by ammonia (its allow-list of tags and attributes, links given
//! `rel="noopener noreferrer nofollow"`, only http, https and mailto links kept). Headings are
//! shifted down, so a story's `#` never competes with the page's own headings.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Safe HTML of `text`, for a story (under its `h3`) or an exhibition section (under its `h2`).
pub fn to_safe_html(text: &str) -> String {
    let shift = |level: HeadingLevel| match level {
        HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
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
        let html = to_safe_html("# Дедушка\n\nОн *вернулся* в 1945 году.\n\n- письма\n- фото");
        assert!(html.contains("<h4>Дедушка</h4>"), "{html}");
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
            let html = to_safe_html(payload);
            // Raw HTML is shown as text (`&lt;script&gt;`): only real tags would be harmful.
            for bad in ["<script", "<a href=\"javascript", "<iframe", "<svg", "<img"] {
                assert!(!html.contains(bad), "{payload} → {html}");
            }
        }
        let link = to_safe_html("[memory](https://example.org/a)");
        assert!(
            link.contains(r#"rel="noopener noreferrer nofollow""#),
            "{link}"
        );
    }
}
