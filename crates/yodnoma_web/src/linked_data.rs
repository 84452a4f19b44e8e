//! Linked data: persons as schema.org `Person` and exhibits as `VisualArtwork`, in JSON-LD,
//! embedded in their pages (for search engines and aggregators) and served alone to a client
//! that asks for `application/ld+json`.
//!
//! A record may carry external identifiers in columns of its own: `wikidata` (a QID such as
//! `Q1351546`) and `obd_memorial` (a record number of the OBD Memorial database). They become
//! `sameAs` links, shown on the person page too.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use yodnoma_core::{Exhibit, Language, LanguageMap, Person};

pub const MEDIA_TYPE: &str = "application/ld+json";

/// Whether the client asked for JSON-LD rather than a page.
pub fn wanted(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(MEDIA_TYPE))
}

pub fn respond(document: &Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/ld+json; charset=utf-8"),
            (header::VARY, "Accept"),
        ],
        document.to_string(),
    )
        .into_response()
}

/// A page whose address also answers JSON-LD: caches keep the two apart by `Accept`.
pub fn varies(page: Result<Response, crate::WebError>) -> Result<Response, crate::WebError> {
    page.map(|mut page| {
        page.headers_mut()
            .append(header::VARY, axum::http::HeaderValue::from_static("Accept"));
        page
    })
}

/// An external identifier of a person: where it points, and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalLink {
    pub url: String,
    pub label: String,
}

/// The external identifiers the records of `person` carry, each once.
pub fn external_links(person: &Person) -> Vec<ExternalLink> {
    let mut links: Vec<ExternalLink> = Vec::new();
    for record in &person.records {
        for (column, value) in &record.record.extra {
            let value = value.trim();
            let link = match column.as_str() {
                "wikidata"
                    if value.len() > 1
                        && value.starts_with('Q')
                        && value[1..].bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(ExternalLink {
                        url: format!("https://www.wikidata.org/wiki/{value}"),
                        label: format!("Wikidata {value}"),
                    })
                }
                "obd_memorial"
                    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(ExternalLink {
                        url: format!("https://obd-memorial.ru/html/info.htm?id={value}"),
                        label: format!("ОБД «Мемориал» {value}"),
                    })
                }
                _ => None,
            };
            if let Some(link) = link
                && !links.contains(&link)
            {
                links.push(link);
            }
        }
    }
    links
}

/// A language map as JSON-LD values with their languages.
fn texts(map: &LanguageMap) -> Vec<Value> {
    Language::ALL
        .into_iter()
        .filter_map(|l| {
            map.exact(l)
                .map(|t| json!({ "@value": t, "@language": l.tag() }))
        })
        .collect()
}

fn place(name: Option<&str>) -> Option<Value> {
    name.map(|n| json!({ "@type": "Place", "name": n }))
}

/// A person as schema.org `Person`.
pub fn person(person: &Person, exhibits: &[Exhibit], origin: &str) -> Value {
    let url = format!("{origin}/persons/{}", person.id);
    let forms = person.name_forms();
    let fullest = forms.iter().max_by_key(|f| {
        [&f.surname, &f.given_name, &f.patronymic]
            .iter()
            .filter(|p| p.is_some())
            .count()
    });
    let mut document = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": url,
        "url": url,
        "name": person.display_name(),
        "alternateName": forms.iter().map(|f| f.full.clone()).filter(|n| *n != person.display_name()).collect::<Vec<_>>(),
        "familyName": fullest.and_then(|f| f.surname.clone()),
        "givenName": fullest.and_then(|f| f.given_name.clone()),
        "additionalName": fullest.and_then(|f| f.patronymic.clone()),
        "birthDate": person.birth_date().map(|d| d.to_string()),
        "deathDate": person.death_date().map(|d| d.to_string()),
        "birthPlace": place(person.birth_place()),
        "nationality": person.nationality(),
        "jobTitle": person.rank(),
        "award": person.awards().iter().map(|a| a.text.clone()).collect::<Vec<_>>(),
        "sameAs": external_links(person).into_iter().map(|l| l.url).collect::<Vec<_>>(),
        "subjectOf": exhibits.iter().map(|e| json!({
            "@type": "VisualArtwork",
            "@id": format!("{origin}/exhibits/{}", e.id),
            "name": texts(&e.title),
        })).collect::<Vec<_>>(),
    });
    prune(&mut document);
    document
}

/// An exhibit as schema.org `VisualArtwork`.
pub fn exhibit(exhibit: &Exhibit, origin: &str) -> Value {
    let url = format!("{origin}/exhibits/{}", exhibit.id);
    // schema.org's `license` is a link; rights in words ("© the museum") are a notice.
    let rights = exhibit
        .rights
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let is_link = |r: &&str| r.starts_with("https://") || r.starts_with("http://");
    // `dateCreated` is a date: "1967" or "1967-05" is one; "1940-е" or "c. 1970" is not, and
    // stays on the page and in the API only.
    let created = exhibit
        .date
        .as_deref()
        .and_then(|d| d.trim().parse::<yodnoma_core::PartialDate>().ok())
        .map(|d| d.to_string());
    let mut document = json!({
        "@context": "https://schema.org",
        "@type": "VisualArtwork",
        "@id": url,
        "url": url,
        "name": texts(&exhibit.title),
        "description": texts(&exhibit.description),
        "creator": exhibit.creator.as_ref().map(|c| json!({ "@type": "Person", "name": c })),
        "dateCreated": created,
        "artMedium": texts(&exhibit.technique),
        "size": exhibit.dimensions,
        "identifier": exhibit.inventory_number,
        "license": rights.filter(is_link),
        "copyrightNotice": rights.filter(|r| !is_link(r)),
        "sourceOrganization": texts(&exhibit.institution),
        "image": exhibit.images.iter().map(|i| {
            let info = format!("{origin}/iiif/3/{}", i.id);
            json!({
                "@type": "ImageObject",
                "contentUrl": format!("{origin}/media/{}", i.id),
                "width": i.width,
                "height": i.height,
                "caption": texts(&i.alt),
                "isBasedOn": info,
            })
        }).collect::<Vec<_>>(),
        "about": exhibit.persons.iter().map(|p| json!({
            "@type": "Person", "@id": format!("{origin}/persons/{p}")
        })).collect::<Vec<_>>(),
        // Only what has an image has a IIIF manifest.
        "subjectOf": (!exhibit.images.is_empty()).then(|| json!({
            "@type": "CreativeWork",
            "@id": format!("{origin}/iiif/3/manifests/{}", exhibit.id),
            "encodingFormat": "application/ld+json",
        })),
    });
    prune(&mut document);
    document
}

/// Leaves out what is unknown: nulls and empty lists say nothing in linked data.
fn prune(document: &mut Value) {
    if let Value::Object(map) = document {
        map.retain(|_, v| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)));
    }
}

/// The document as it is embedded in a page's script element: `<`, `>` and `&` (which occur
/// only inside strings) written as JSON escapes, so that no text can end the element early.
pub fn embedded(document: &Value) -> String {
    document
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use yodnoma_core::LanguageMap;

    use super::*;

    fn exhibit_with(rights: &str, date: &str) -> Exhibit {
        let mut exhibit = crate::test_support::bare_exhibit(rights);
        exhibit.date = Some(date.to_owned());
        exhibit
    }

    #[test]
    fn each_property_holds_what_schema_org_expects() {
        let licensed = exhibit(
            &exhibit_with("https://creativecommons.org/licenses/by/4.0/", "1967-05"),
            "http://x",
        );
        assert_eq!(
            licensed["license"],
            "https://creativecommons.org/licenses/by/4.0/"
        );
        assert!(licensed.get("copyrightNotice").is_none());
        assert_eq!(licensed["dateCreated"], "1967-05");
        // No image, no manifest to point to.
        assert!(licensed.get("subjectOf").is_none());

        let mut held = exhibit_with("© Карагандинский музей", "1940-е");
        held.images.push(yodnoma_core::Image {
            id: yodnoma_core::ImageId::parse("p1").unwrap(),
            media_type: "image/jpeg".to_owned(),
            width: 10,
            height: 10,
            alt: LanguageMap::new().with(yodnoma_core::Language::En, "A portrait"),
            rights: None,
            placeholder: false,
        });
        let held = exhibit(&held, "http://x");
        assert!(held.get("license").is_none());
        assert_eq!(held["copyrightNotice"], "© Карагандинский музей");
        assert!(held.get("dateCreated").is_none());
        assert_eq!(held["subjectOf"]["@type"], "CreativeWork");
        assert_eq!(held["subjectOf"]["@id"], "http://x/iiif/3/manifests/e1");
    }
}
