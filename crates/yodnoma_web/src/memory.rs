//! Events of the war on a timeline, places of memory by republic, a page for each, and both as
//! JSON (`/api/v1/events`, `/api/v1/memorials`). Events and places name source records; the
//! pages show the persons those records belong to now.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use serde_json::{Value, json};
use yodnoma_core::{Event, Memorial, PartialDate, Republic};
use yodnoma_db::LinkedPerson;

use crate::charts;
use crate::i18n::Locale;
use crate::pages::{Chrome, render};
use crate::views::{ImageView, Localized, all_languages};
use crate::{AppState, WebError, load};

/// The dates of an event: one date, or from one to the other.
fn dates_text(start: &PartialDate, end: Option<&PartialDate>, l: &Locale) -> String {
    match end {
        Some(end) if end != start => format!("{} – {}", l.date(start), l.date(end)),
        _ => l.date(start),
    }
}

/// An event in a list.
pub struct EventCard {
    pub url: String,
    pub title: Localized,
    pub dates: String,
    /// `YYYY-MM-DD`-like, for `<time datetime>`.
    pub datetime: String,
    pub kind: String,
    pub place: Option<String>,
    pub description: Localized,
}

impl EventCard {
    pub fn new(event: &Event, l: &Locale) -> Self {
        Self {
            url: format!("/events/{}", event.id),
            title: Localized::new(&event.title, l),
            dates: dates_text(&event.start, event.end.as_ref(), l),
            datetime: event.start.to_string(),
            kind: l.t(&format!("event-kind-{}", event.kind.as_str())),
            place: event.place.clone(),
            description: Localized::new(&event.description, l),
        }
    }
}

/// A place of memory in a list.
pub struct MemorialCard {
    pub url: String,
    pub name: Localized,
    pub kind: String,
    pub place: Option<String>,
}

impl MemorialCard {
    pub fn new(memorial: &Memorial, l: &Locale) -> Self {
        Self {
            url: format!("/memorials/{}", memorial.id),
            name: Localized::new(&memorial.name, l),
            kind: l.t(&format!("memorial-kind-{}", memorial.kind.as_str())),
            place: memorial.place.clone(),
        }
    }
}

struct YearView {
    year: i32,
    events: Vec<EventCard>,
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    page: Chrome,
    years: Vec<YearView>,
}

/// `GET /events`: the timeline, by year of each event's start.
pub async fn list_events(State(state): State<AppState>, l: Locale) -> Result<Response, WebError> {
    let mut years: Vec<YearView> = Vec::new();
    for event in state.store.events().await? {
        let year = event.start.year();
        let card = EventCard::new(&event, &l);
        match years.last_mut() {
            Some(last) if last.year == year => last.events.push(card),
            _ => years.push(YearView {
                year,
                events: vec![card],
            }),
        }
    }
    render(&EventsPage {
        page: Chrome::new(l.clone(), l.t("events-title")),
        years,
    })
}

struct PersonLink {
    url: String,
    name: String,
    record: String,
}

fn person_links(linked: &[LinkedPerson]) -> Vec<PersonLink> {
    linked
        .iter()
        .map(|p| PersonLink {
            url: format!("/persons/{}", p.person),
            name: p.name.clone(),
            record: p.record.to_string(),
        })
        .collect()
}

fn republic_name(republic: Option<Republic>, l: &Locale) -> Option<String> {
    republic.map(|r| l.t(&format!("republic-{}", r.key())))
}

/// A source as a link when it is one.
fn source_link(source: &str) -> Option<String> {
    (source.starts_with("https://") || source.starts_with("http://")).then(|| source.to_owned())
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    page: Chrome,
    card: EventCard,
    republic: Option<String>,
    units: Vec<String>,
    persons: Vec<PersonLink>,
    source: String,
    source_url: Option<String>,
}

/// `GET /events/{id}`
pub async fn show_event(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let event = load::event(&state, &id).await?;
    let persons = state.store.linked_persons(&event.records).await?;
    let card = EventCard::new(&event, &l);
    render(&EventPage {
        page: Chrome::new(l.clone(), card.title.text.clone()),
        republic: republic_name(event.republic, &l),
        units: event.units.clone(),
        persons: person_links(&persons),
        source_url: source_link(&event.source),
        source: event.source,
        card,
    })
}

struct RepublicView {
    name: String,
    memorials: Vec<MemorialCard>,
}

#[derive(Template)]
#[template(path = "memorials.html")]
struct MemorialsPage {
    page: Chrome,
    republics: Vec<RepublicView>,
    /// The places on the map of the five republics, each republic shaded by its number of
    /// places; the lists below are its text.
    map: Option<String>,
}

/// `GET /memorials`: places of memory by republic, in the order of `Republic::ALL`, then those
/// outside the five.
pub async fn list_memorials(
    State(state): State<AppState>,
    l: Locale,
) -> Result<Response, WebError> {
    let memorials = state.store.memorials().await?;
    let mut republics: Vec<RepublicView> = Republic::ALL
        .iter()
        .map(|r| RepublicView {
            name: l.t(&format!("republic-{}", r.key())),
            memorials: memorials
                .iter()
                .filter(|m| m.republic == Some(*r))
                .map(|m| MemorialCard::new(m, &l))
                .collect(),
        })
        .collect();
    republics.push(RepublicView {
        name: l.t("memorials-elsewhere"),
        memorials: memorials
            .iter()
            .filter(|m| m.republic.is_none())
            .map(|m| MemorialCard::new(m, &l))
            .collect(),
    });
    republics.retain(|r| !r.memorials.is_empty());
    let counts: Vec<(String, String, u64)> = Republic::ALL
        .iter()
        .map(|r| {
            let n = memorials.iter().filter(|m| m.republic == Some(*r)).count();
            (
                r.key().to_owned(),
                l.t(&format!("republic-{}", r.key())),
                u64::try_from(n).unwrap_or(0),
            )
        })
        .collect();
    let points: Vec<charts::Point> = memorials
        .iter()
        .filter_map(|m| {
            let (latitude, longitude) = m.coordinates?;
            Some(charts::Point {
                latitude,
                longitude,
                label: Localized::new(&m.name, &l).text,
            })
        })
        .collect();
    let map = (!memorials.is_empty())
        .then(|| {
            charts::map(
                &charts::Caption {
                    id: "chart-memorials",
                    title: &l.t("memorials-map-title"),
                    description: &l.t("memorials-map-text"),
                },
                &counts,
                &points,
            )
        })
        .flatten();
    render(&MemorialsPage {
        page: Chrome::new(l.clone(), l.t("memorials-title")),
        republics,
        map,
    })
}

#[derive(Template)]
#[template(path = "memorial.html")]
struct MemorialPage {
    page: Chrome,
    card: MemorialCard,
    republic: Option<String>,
    description: Localized,
    image: Option<ImageView>,
    /// Latitude and longitude as written, and a link to the place on OpenStreetMap.
    coordinates: Option<(String, String)>,
    persons: Vec<PersonLink>,
    source: String,
    source_url: Option<String>,
}

/// `GET /memorials/{id}`
pub async fn show_memorial(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let memorial = load::memorial(&state, &id).await?;
    let persons = state.store.linked_persons(&memorial.records).await?;
    let image = match &memorial.image {
        Some(id) => state.store.image(id).await?,
        None => None,
    };
    let card = MemorialCard::new(&memorial, &l);
    render(&MemorialPage {
        page: Chrome::new(l.clone(), card.name.text.clone()),
        republic: republic_name(memorial.republic, &l),
        description: Localized::new(&memorial.description, &l),
        image: image.as_ref().map(|i| ImageView::new(i, &l)),
        coordinates: memorial.coordinates.map(|(lat, lon)| {
            (
                format!("{lat:.4}, {lon:.4}"),
                format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}"),
            )
        }),
        persons: person_links(&persons),
        source_url: source_link(&memorial.source),
        source: memorial.source,
        card,
    })
}

fn event_json(event: &Event, persons: &[LinkedPerson]) -> Value {
    json!({
        "id": event.id,
        "url": format!("/events/{}", event.id),
        "kind": event.kind,
        "start": event.start.to_string(),
        "end": event.end.as_ref().map(ToString::to_string),
        "place": event.place,
        "republic": event.republic.map(Republic::key),
        "title": all_languages(&event.title),
        "description": all_languages(&event.description),
        "units": event.units,
        "persons": persons_json(persons),
        "source": event.source,
    })
}

fn memorial_json(memorial: &Memorial, persons: &[LinkedPerson]) -> Value {
    json!({
        "id": memorial.id,
        "url": format!("/memorials/{}", memorial.id),
        "kind": memorial.kind,
        "name": all_languages(&memorial.name),
        "place": memorial.place,
        "republic": memorial.republic.map(Republic::key),
        "latitude": memorial.coordinates.map(|c| c.0),
        "longitude": memorial.coordinates.map(|c| c.1),
        "description": all_languages(&memorial.description),
        "image": memorial.image.as_ref().map(|i| format!("/iiif/3/{i}/info.json")),
        "persons": persons_json(persons),
        "source": memorial.source,
    })
}

fn persons_json(persons: &[LinkedPerson]) -> Vec<Value> {
    persons
        .iter()
        .map(|p| json!({ "id": p.person, "name": p.name, "record": p.record.to_string() }))
        .collect()
}

/// `GET /api/v1/events`
#[utoipa::path(
    get,
    path = "/api/v1/events",
    responses((status = 200, description = "Every event, in the order of their start", body = crate::openapi::EventList))
)]
pub async fn api_events(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    let mut events = Vec::new();
    for event in state.store.events().await? {
        let persons = state.store.linked_persons(&event.records).await?;
        events.push(event_json(&event, &persons));
    }
    Ok(Json(json!({ "events": events })))
}

/// `GET /api/v1/events/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/events/{id}",
    params(("id" = String, Path, description = "The event's id")),
    responses(
        (status = 200, description = "The event, with the persons of its records", body = crate::openapi::EventResponse),
        (status = 404, description = "No such event", body = crate::openapi::ErrorBody),
    )
)]
pub async fn api_event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let event = load::event(&state, &id).await?;
    let persons = state.store.linked_persons(&event.records).await?;
    Ok(Json(event_json(&event, &persons)))
}

/// `GET /api/v1/memorials`
#[utoipa::path(
    get,
    path = "/api/v1/memorials",
    responses((status = 200, description = "Every place of memory, by republic", body = crate::openapi::MemorialList))
)]
pub async fn api_memorials(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    let mut memorials = Vec::new();
    for memorial in state.store.memorials().await? {
        let persons = state.store.linked_persons(&memorial.records).await?;
        memorials.push(memorial_json(&memorial, &persons));
    }
    Ok(Json(json!({ "memorials": memorials })))
}

/// `GET /api/v1/memorials/{id}`
#[utoipa::path(
    get,
    path = "/api/v1/memorials/{id}",
    params(("id" = String, Path, description = "The place's id")),
    responses(
        (status = 200, description = "The place of memory, with the persons of its records", body = crate::openapi::MemorialResponse),
        (status = 404, description = "No such place", body = crate::openapi::ErrorBody),
    )
)]
pub async fn api_memorial(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    let memorial = load::memorial(&state, &id).await?;
    let persons = state.store.linked_persons(&memorial.records).await?;
    Ok(Json(memorial_json(&memorial, &persons)))
}
