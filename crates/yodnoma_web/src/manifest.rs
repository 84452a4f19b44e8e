//! IIIF Presentation API 3.0 manifests at `/iiif/3/manifests/{id}`: one per exhibit (a Canvas
//! per image) and one per published exhibition (the Canvases of its exhibits in order, a Range
//! per section), with labels and summaries as language maps in every language written, the
//! holding museum as provider, and each raster image's IIIF Image service, so that any IIIF
//! viewer can show them.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use yodnoma_core::{Exhibit, ExhibitId, ExhibitionId, Image, Language, LanguageMap};

use crate::iiif::origin;
use crate::{AppState, WebError};

const CONTEXT: &str = "http://iiif.io/api/presentation/3/context.json";

/// A language map as IIIF writes it: `{"ru": ["..."], ...}`, written languages only.
fn language_map(map: &LanguageMap) -> Value {
    let mut object = serde_json::Map::new();
    for lang in Language::ALL {
        if let Some(text) = map.exact(lang) {
            object.insert(lang.tag().to_owned(), json!([text]));
        }
    }
    Value::Object(object)
}

/// A label that must not be empty: the text in its languages, else `fallback` (an id).
fn label_or(map: &LanguageMap, fallback: &str) -> Value {
    if map.is_empty() {
        json!({"none": [fallback]})
    } else {
        language_map(map)
    }
}

/// Who holds the works, where a museum is named: the manifest's `requiredStatement` and
/// `provider`, which may not be empty.
fn holder(manifest: &mut Value, origin: &str, institution: &LanguageMap) {
    if institution.is_empty() {
        return;
    }
    manifest["requiredStatement"] = json!({
        "label": label("Держатель", "Ұстаушы", "Saqlovchi", "Held by"),
        "value": language_map(institution),
    });
    manifest["provider"] = provider(origin, institution);
}

/// A label in the four languages of the site.
fn label(ru: &str, kk: &str, uz: &str, en: &str) -> Value {
    json!({"ru": [ru], "kk": [kk], "uz": [uz], "en": [en]})
}

fn text_value(text: &str) -> Value {
    json!({"none": [text]})
}

/// Rights the Presentation API admits: a Creative Commons or RightsStatements.org URI, which
/// it writes with `http` (a museum may have written `https`).
fn rights_uri(rights: Option<&str>) -> Option<String> {
    let rights = rights?.trim();
    let rest = rights
        .strip_prefix("https://")
        .or_else(|| rights.strip_prefix("http://"))?;
    (rest.starts_with("creativecommons.org/") || rest.starts_with("rightsstatements.org/"))
        .then(|| format!("http://{rest}"))
}

/// The painting of one image on its Canvas, and a thumbnail of it.
fn canvas(origin: &str, manifest: &str, n: usize, image: &Image, title: &LanguageMap) -> Value {
    let canvas_id = format!("{manifest}/canvas/{n}");
    let body = if image.placeholder
        || !image.media_type.starts_with("image/")
        || image.media_type == "image/svg+xml"
    {
        json!({
            "id": format!("{origin}/media/{}", image.id),
            "type": "Image",
            "format": image.media_type,
            "width": image.width,
            "height": image.height,
        })
    } else {
        json!({
            "id": format!("{origin}/iiif/3/{}/full/max/0/default.jpg", image.id),
            "type": "Image",
            "format": "image/jpeg",
            "width": image.width,
            "height": image.height,
            "service": [{
                "id": format!("{origin}/iiif/3/{}", image.id),
                "type": "ImageService3",
                "profile": "level2",
            }],
        })
    };
    json!({
        "id": canvas_id,
        "type": "Canvas",
        "label": language_map(title),
        "width": image.width,
        "height": image.height,
        "items": [{
            "id": format!("{canvas_id}/page"),
            "type": "AnnotationPage",
            "items": [{
                "id": format!("{canvas_id}/page/painting"),
                "type": "Annotation",
                "motivation": "painting",
                "body": body,
                "target": canvas_id,
            }],
        }],
    })
}

fn thumbnail(origin: &str, image: &Image) -> Value {
    if image.placeholder || image.media_type == "image/svg+xml" {
        json!([{"id": format!("{origin}/media/{}", image.id), "type": "Image", "format": image.media_type}])
    } else {
        json!([{
            "id": format!(
                "{origin}/iiif/3/{}/full/{}/0/default.jpg",
                image.id,
                yodnoma_media::iiif::fitting_size(image.width, image.height, 400)
            ),
            "type": "Image",
            "format": "image/jpeg",
            "service": [{"id": format!("{origin}/iiif/3/{}", image.id), "type": "ImageService3", "profile": "level2"}],
        }])
    }
}

fn provider(origin: &str, institution: &LanguageMap) -> Value {
    json!([{
        "id": format!("{origin}/"),
        "type": "Agent",
        "label": language_map(institution),
        "homepage": [{
            "id": format!("{origin}/"),
            "type": "Text",
            "label": language_map(institution),
            "format": "text/html",
        }],
    }])
}

fn exhibit_metadata(exhibit: &Exhibit) -> Vec<Value> {
    let mut metadata = Vec::new();
    let mut add = |l: Value, v: Value| metadata.push(json!({"label": l, "value": v}));
    if let Some(creator) = &exhibit.creator {
        add(
            label("Автор", "Авторы", "Muallif", "Creator"),
            text_value(creator),
        );
    }
    if let Some(date) = &exhibit.date {
        add(label("Дата", "Күні", "Sana", "Date"), text_value(date));
    }
    if !exhibit.technique.is_empty() {
        add(
            label("Техника", "Техникасы", "Texnika", "Technique"),
            language_map(&exhibit.technique),
        );
    }
    // Rights in words ("© the museum, 1967") are no URI for the manifest's `rights`: they are
    // shown here instead of being lost.
    if let Some(rights) = exhibit.rights.as_deref().map(str::trim)
        && !rights.is_empty()
        && rights_uri(Some(rights)).is_none()
    {
        add(
            label("Права", "Құқықтар", "Huquqlar", "Rights"),
            text_value(rights),
        );
    }
    if let Some(dimensions) = &exhibit.dimensions {
        add(
            label("Размеры", "Өлшемдері", "Oʻlchamlari", "Dimensions"),
            text_value(dimensions),
        );
    }
    if let Some(number) = &exhibit.inventory_number {
        add(
            label(
                "Инвентарный номер",
                "Түгендеу нөмірі",
                "Inventar raqami",
                "Inventory number",
            ),
            text_value(number),
        );
    }
    metadata
}

fn exhibit_manifest(origin: &str, exhibit: &Exhibit) -> Value {
    let id = format!("{origin}/iiif/3/manifests/{}", exhibit.id);
    let mut manifest = json!({
        "@context": CONTEXT,
        "id": id,
        "type": "Manifest",
        "label": label_or(&exhibit.title, exhibit.id.as_str()),
        "metadata": exhibit_metadata(exhibit),
        "homepage": [{
            "id": format!("{origin}/exhibits/{}", exhibit.id),
            "type": "Text",
            "label": label_or(&exhibit.title, exhibit.id.as_str()),
            "format": "text/html",
        }],
        "items": exhibit.images.iter().enumerate()
            .map(|(n, image)| canvas(origin, &id, n, image, &exhibit.title))
            .collect::<Vec<_>>(),
    });
    holder(&mut manifest, origin, &exhibit.institution);
    if let Some(first) = exhibit.images.first() {
        manifest["thumbnail"] = thumbnail(origin, first);
    }
    if let Some(rights) = rights_uri(exhibit.rights.as_deref()) {
        manifest["rights"] = json!(rights);
    }
    if !exhibit.description.is_empty() {
        manifest["summary"] = language_map(&exhibit.description);
    }
    manifest
}

/// `GET /iiif/3/manifests/{id}`: the manifest of a published exhibition or of an exhibit.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let origin = origin(&headers);
    let missing = || WebError::NotFound(format!("no exhibition or exhibit {id}"));
    let manifest = if let Some(exhibition) = match ExhibitionId::parse(&id) {
        Ok(exhibition_id) => state.store.exhibition(&exhibition_id, false).await?,
        Err(_) => None,
    } {
        let manifest_id = format!("{origin}/iiif/3/manifests/{}", exhibition.id);
        let all: Vec<ExhibitId> = exhibition
            .sections
            .iter()
            .flat_map(|s| s.exhibits.iter().cloned())
            .collect();
        let exhibits = state.store.exhibits(&all).await?;
        let mut items = Vec::new();
        let mut structures = Vec::new();
        let mut n = 0;
        for (k, section) in exhibition.sections.iter().enumerate() {
            let mut range_items = Vec::new();
            for exhibit in section
                .exhibits
                .iter()
                .filter_map(|e| exhibits.iter().find(|x| &x.id == e))
            {
                for image in &exhibit.images {
                    let canvas = canvas(&origin, &manifest_id, n, image, &exhibit.title);
                    range_items.push(json!({"id": canvas["id"], "type": "Canvas"}));
                    items.push(canvas);
                    n += 1;
                }
            }
            // A range holds at least one canvas: a section of text only has none.
            if !range_items.is_empty() {
                structures.push(json!({
                    "id": format!("{manifest_id}/range/{k}"),
                    "type": "Range",
                    "label": label_or(&section.title, &format!("{}", k + 1)),
                    "items": range_items,
                }));
            }
        }
        let mut manifest = json!({
            "@context": CONTEXT,
            "id": manifest_id,
            "type": "Manifest",
            "label": label_or(&exhibition.title, exhibition.id.as_str()),
            "metadata": exhibition.curator.as_ref().map(|c| vec![json!({
                "label": label("Куратор", "Куратор", "Kurator", "Curator"),
                "value": text_value(c),
            })]).unwrap_or_default(),
            "homepage": [{
                "id": format!("{origin}/exhibitions/{}", exhibition.id),
                "type": "Text",
                "label": label_or(&exhibition.title, exhibition.id.as_str()),
                "format": "text/html",
            }],
            "items": items,
            "structures": structures,
        });
        holder(&mut manifest, &origin, &exhibition.institution);
        if let Some(first) = exhibits.iter().flat_map(|e| e.images.first()).next() {
            manifest["thumbnail"] = thumbnail(&origin, first);
        }
        if !exhibition.introduction.is_empty() {
            manifest["summary"] = language_map(&exhibition.introduction);
        }
        manifest
    } else {
        let exhibit_id = ExhibitId::parse(&id).map_err(|_| missing())?;
        let exhibit = state
            .store
            .exhibit(&exhibit_id)
            .await?
            .ok_or_else(missing)?;
        exhibit_manifest(&origin, &exhibit)
    };
    // A manifest shows at least one canvas.
    if manifest["items"].as_array().is_none_or(Vec::is_empty) {
        return Err(WebError::NotFound(format!(
            "{id} has no image to show, so it has no IIIF manifest"
        )));
    }
    let mut response = (
        [(
            header::CONTENT_TYPE,
            "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
        )],
        manifest.to_string(),
    )
        .into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    Ok(response)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use yodnoma_core::LanguageMap;

    use super::*;

    use crate::test_support::bare_exhibit as exhibit;

    #[test]
    fn rights_in_words_are_shown_among_the_metadata_and_a_licence_as_rights() {
        let words = exhibit_manifest("http://x", &exhibit("© Карагандинский музей, 1967"));
        assert!(words.get("rights").is_none());
        let shown: Vec<&Value> = words["metadata"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["label"]["en"][0] == "Rights")
            .collect();
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0]["value"]["none"][0], "© Карагандинский музей, 1967");

        let licence = exhibit_manifest(
            "http://x",
            &exhibit("https://creativecommons.org/licenses/by/4.0/"),
        );
        assert_eq!(
            licence["rights"],
            "http://creativecommons.org/licenses/by/4.0/"
        );
        let metadata = licence["metadata"].as_array().map_or(0, Vec::len);
        assert_eq!(metadata, 0);
    }

    #[test]
    fn no_required_property_is_left_empty() {
        // Untitled, and no museum named: the id labels it, and nobody is said to hold it.
        let bare = exhibit_manifest("http://x", &exhibit("© семья"));
        assert_eq!(bare["label"], json!({"none": ["e1"]}));
        assert_eq!(bare["homepage"][0]["label"], json!({"none": ["e1"]}));
        assert!(bare.get("provider").is_none() && bare.get("requiredStatement").is_none());
        let mut held = exhibit("© семья");
        held.institution = LanguageMap::new().with(Language::Ru, "Карагандинский музей");
        let held = exhibit_manifest("http://x", &held);
        assert_eq!(
            held["provider"][0]["label"]["ru"][0],
            "Карагандинский музей"
        );
        assert_eq!(
            held["requiredStatement"]["value"]["ru"][0],
            "Карагандинский музей"
        );
    }
}
