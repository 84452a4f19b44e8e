//! What the ids in a path name, loaded for the site and the API alike. An id that cannot be
//! valid is as unknown as one that is not stored: both are a 404 naming it.

use yodnoma_core::{
    Event, EventId, Exhibit, ExhibitId, Exhibition, ExhibitionId, Memorial, MemorialId, Person,
    PersonId,
};

use crate::{AppState, WebError};

fn not_found(kind: &str, id: &str) -> WebError {
    WebError::NotFound(format!("{kind} {id} not found"))
}

pub async fn person(state: &AppState, id: &str) -> Result<Person, WebError> {
    let person_id = PersonId::parse(id).map_err(|_| not_found("person", id))?;
    state
        .store
        .person(&person_id)
        .await?
        .ok_or_else(|| not_found("person", id))
}

pub async fn exhibit(state: &AppState, id: &str) -> Result<Exhibit, WebError> {
    let exhibit_id = ExhibitId::parse(id).map_err(|_| not_found("exhibit", id))?;
    state
        .store
        .exhibit(&exhibit_id)
        .await?
        .ok_or_else(|| not_found("exhibit", id))
}

/// A published exhibition: a draft is not found by visitors.
pub async fn exhibition(state: &AppState, id: &str) -> Result<Exhibition, WebError> {
    exhibition_of(state, id, false).await
}

/// An exhibition, draft or published, for its curators.
pub async fn exhibition_or_draft(state: &AppState, id: &str) -> Result<Exhibition, WebError> {
    exhibition_of(state, id, true).await
}

async fn exhibition_of(state: &AppState, id: &str, drafts: bool) -> Result<Exhibition, WebError> {
    let exhibition_id = ExhibitionId::parse(id).map_err(|_| not_found("exhibition", id))?;
    state
        .store
        .exhibition(&exhibition_id, drafts)
        .await?
        .ok_or_else(|| not_found("exhibition", id))
}

pub async fn event(state: &AppState, id: &str) -> Result<Event, WebError> {
    let event_id = EventId::parse(id).map_err(|_| not_found("event", id))?;
    state
        .store
        .event(&event_id)
        .await?
        .ok_or_else(|| not_found("event", id))
}

pub async fn memorial(state: &AppState, id: &str) -> Result<Memorial, WebError> {
    let memorial_id = MemorialId::parse(id).map_err(|_| not_found("memorial", id))?;
    state
        .store
        .memorial(&memorial_id)
        .await?
        .ok_or_else(|| not_found("memorial", id))
}
