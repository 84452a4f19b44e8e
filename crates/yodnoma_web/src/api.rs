//! The JSON API, `/api/v1`. Shapes follow the contract; fields may be added, never renamed.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use yodnoma_core::{Column, Exhibit, Exhibition, Image, Person};

use crate::params::Params;
use crate::views::{all_languages, media_url};
use crate::{AppState, WebError, load, search};

/// Finds persons by any spelling of their name, in any script and word order.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(
        ("q" = String, Query, description = "A name as a family writes it: surname, given name and patronymic in any order, any script or romanization"),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000000, description = "How many persons, 1 to 100 (more is read as 100); default 20"),
        ("offset" = Option<u32>, Query, maximum = 1000, description = "How many to skip, at most 1000"),
        ("born_from" = Option<u32>, Query, minimum = 1800, maximum = 2100, description = "Born in this year or later (1800–2100)"),
        ("born_to" = Option<u32>, Query, minimum = 1800, maximum = 2100, description = "Born in this year or earlier (1800–2100)"),
        ("region" = Option<String>, Query, description = "A region as the records write it"),
        ("fate" = Option<String>, Query, pattern = r"^\s*(survived|killed|missing|died_of_wounds|died_later)?\s*$", description = "survived, killed, missing, died_of_wounds or died_later"),
        ("award" = Option<String>, Query, pattern = r"^\s*(hero|glory-full|lenin|red-banner|glory-1|glory-2|glory-3|patriotic-war-1|patriotic-war-2|red-star|medal-courage|medal-battle-merit|medal|other)?\s*$", description = "An award kind: hero, glory-full, lenin, red-banner, glory-1, glory-2, glory-3, patriotic-war-1, patriotic-war-2, red-star, medal-courage, medal-battle-merit, medal or other"),
        ("facets" = Option<String>, Query, description = "1 to count the persons found by region, fate, award and birth decade"),
    ),
    responses(
        (status = 200, description = "Persons found, best first", body = crate::openapi::SearchResponse),
        (status = 400, description = "A parameter is wrong; the error names it", body = crate::openapi::ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, WebError> {
    let params = Params::parse(query.as_deref());
    params.refuse_repeated()?;
    params.refuse_blank(&["limit", "offset", "born_from", "born_to"])?;
    if !params.present("q") {
        return Err(WebError::BadRequest(
            "q: is required (a name to search for)".to_owned(),
        ));
    }
    // A blank query finds nobody; it is not the client's mistake to ask.
    let text = search::query_text(params.text("q").unwrap_or(""))?;
    // The contract caps `limit` at 100: a larger one is read as "as many as allowed".
    let limit = params.number("limit", 20, 1, 1_000_000)?.min(100);
    // Results beyond the first thousand are not ranked better than by narrowing the search,
    // and reading them costs the server: the filters and facets are the way further.
    let offset = params.number("offset", 0, 0, search::MAX_OFFSET)?;
    let filters = search::Filters::parse(&params)?;
    let facets = params
        .text("facets")
        .is_some_and(|v| v == "1" || v == "true");
    let results = search::run(&state, text, &filters, limit, offset, facets).await?;
    let items: Vec<Value> = results
        .hits
        .iter()
        .map(|h| {
            json!({
                "person_id": h.person_id,
                "name": h.name,
                "score": h.score,
                "url": format!("/persons/{}", h.person_id),
                "records": h.records.iter().map(|(source, record_id)| json!({
                    "source": source, "record_id": record_id
                })).collect::<Vec<_>>(),
                "birth_year": h.birth_year,
                "region": h.region,
                "matched": {
                    "name": h.matched_name,
                    "words": h.matched,
                    "text": h.matched.iter().map(|m| m.describe()).collect::<Vec<_>>().join("; "),
                },
            })
        })
        .collect();
    let mut body = json!({
        "query": text,
        "total": results.total,
        "items": items,
        "stage": results.stage,
        "suggestion": results.suggestion,
    });
    if let Some(facets) = results.facets {
        body["facets"] = json!(facets);
    }
    Ok(Json(body))
}

fn image_json(image: &Image) -> Value {
    json!({
        "id": image.id,
        "url": media_url(image),
        "media_type": image.media_type,
        "width": image.width,
        "height": image.height,
        "alt": all_languages(&image.alt),
        "placeholder": image.placeholder,
    })
}

fn exhibit_json(exhibit: &Exhibit) -> Value {
    json!({
        "id": exhibit.id,
        "url": format!("/exhibits/{}", exhibit.id),
        "title": all_languages(&exhibit.title),
        "description": all_languages(&exhibit.description),
        "creator": exhibit.creator,
        "date": exhibit.date,
        "technique": all_languages(&exhibit.technique),
        "dimensions": exhibit.dimensions,
        "institution": all_languages(&exhibit.institution),
        "inventory_number": exhibit.inventory_number,
        "rights": exhibit.rights,
        "images": exhibit.images.iter().map(image_json).collect::<Vec<_>>(),
        "persons": exhibit.persons,
    })
}

/// A person as the API and `yodnoma export persons` give it.
pub(crate) fn person_json(person: &Person, exhibits: &[Exhibit]) -> Value {
    let records: Vec<Value> = person
        .records
        .iter()
        .map(|r| {
            let mut record = serde_json::Map::new();
            record.insert("source".to_owned(), r.source.as_str().into());
            for column in Column::ALL {
                if let Some(value) = r.record.text(column) {
                    record.insert(column.name().to_owned(), value.into());
                }
            }
            let extra: serde_json::Map<String, Value> = r
                .record
                .extra
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                .collect();
            record.insert("extra".to_owned(), Value::Object(extra));
            Value::Object(record)
        })
        .collect();
    json!({
        "person_id": person.id,
        "url": format!("/persons/{}", person.id),
        "name": person.display_name(),
        "names": person.name_forms(),
        "category": person.category(),
        "fate": person.fate(),
        "birth_date": person.birth_date(),
        "death_date": person.death_date(),
        "birth_place": person.birth_place(),
        "region": person.region(),
        "country": person.country(),
        "nationality": person.nationality(),
        "rank": person.rank(),
        "unit": person.unit(),
        "burial_place": person.burial_place(),
        "awards": person.awards().iter().map(|a| json!({
            "kind": a.kind.key(), "text": a.text, "date": a.date, "source": a.source
        })).collect::<Vec<_>>(),
        "records": records,
        "exhibits": exhibits.iter().map(|e| json!({
            "id": e.id, "url": format!("/exhibits/{}", e.id), "title": all_languages(&e.title)
        })).collect::<Vec<_>>(),
    })
}

/// A person with their records, awards and exhibits.
#[utoipa::path(
    get,
    path = "/api/v1/persons/{id}",
    params(("id" = String, Path, description = "The person's id")),
    responses(
        (status = 200, description = "The person", body = crate::openapi::PersonResponse),
        (status = 302, description = "The person was merged into another: Location names it"),
        (status = 404, description = "No such person", body = crate::openapi::ErrorBody),
    )
)]
pub async fn show_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    if let Some(moved) = crate::curator::redirect_merged(&state, &id, "/api/v1/persons/").await {
        return Ok(moved);
    }
    let person = load::person(&state, &id).await?;
    let exhibits = state.store.exhibits_of_person(&person.id).await?;
    Ok(Json(person_json(&person, &exhibits)).into_response())
}

fn exhibition_summary(x: &Exhibition) -> Value {
    json!({
        "id": x.id,
        "url": format!("/exhibitions/{}", x.id),
        "title": all_languages(&x.title),
        "introduction": all_languages(&x.introduction),
        "institution": all_languages(&x.institution),
        "curator": x.curator,
        "status": x.status,
        "languages": x.languages,
    })
}

/// The published exhibitions.
#[utoipa::path(
    get,
    path = "/api/v1/exhibitions",
    responses((status = 200, description = "The published exhibitions", body = crate::openapi::ExhibitionList))
)]
pub async fn list_exhibitions(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    let items: Vec<Value> = state
        .store
        .list_exhibitions(false)
        .await?
        .iter()
        .map(exhibition_summary)
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// A published exhibition with its sections in order.
#[utoipa::path(
    get,
    path = "/api/v1/exhibitions/{id}",
    params(("id" = String, Path, description = "The exhibition's id")),
    responses(
        (status = 200, description = "The exhibition", body = crate::openapi::ExhibitionResponse),
        (status = 404, description = "No such published exhibition", body = crate::openapi::ErrorBody),
    )
)]
pub async fn show_exhibition(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let exhibition = load::exhibition(&state, &id).await?;
    let mut sections = Vec::with_capacity(exhibition.sections.len());
    for section in &exhibition.sections {
        let exhibits = state.store.exhibits(&section.exhibits).await?;
        sections.push(json!({
            "title": all_languages(&section.title),
            "blocks": section.blocks,
            "exhibits": exhibits.iter().map(exhibit_json).collect::<Vec<_>>(),
        }));
    }
    let mut body = exhibition_summary(&exhibition);
    if let Value::Object(map) = &mut body {
        map.insert("sections".to_owned(), Value::Array(sections));
    }
    Ok(Json(body))
}

/// An exhibit with its images and the persons it depicts.
#[utoipa::path(
    get,
    path = "/api/v1/exhibits/{id}",
    params(("id" = String, Path, description = "The exhibit's id")),
    responses(
        (status = 200, description = "The exhibit", body = crate::openapi::ExhibitResponse),
        (status = 404, description = "No such exhibit", body = crate::openapi::ErrorBody),
    )
)]
pub async fn show_exhibit(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let exhibit = load::exhibit(&state, &id).await?;
    Ok(Json(exhibit_json(&exhibit)))
}
