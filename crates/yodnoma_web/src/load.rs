//! What the ids in a path name, loaded for the site and the API alike. An id that cannot be
//! valid is as unknown as one that is not stored: both are a 404 naming it.

use yodnoma_core::{Exhibit, ExhibitId, Exhibition, ExhibitionId, Person, PersonId};

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
    let exhibition_id = ExhibitionId::parse(id).map_err(|_| not_found("exhibition", id))?;
    state
        .store
        .exhibition(&exhibition_id, false)
        .await?
        .ok_or_else(|| not_found("exhibition", id))
}
