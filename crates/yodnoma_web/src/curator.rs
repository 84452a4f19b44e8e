//! Curator pages of record linkage: the pairs left for review, side by side with the weight
//! each field added; decisions on them (one person, not one person), a record split off a
//! person, and the undo of any of these.
//!
//! Open to accounts whose role may review linkage (admins and curators); every form that
//! changes something carries the session's form value.

use std::collections::HashMap;

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use yodnoma_core::{Action, PersonId};
use yodnoma_db::{LinkDecision, ReviewPair, Session, Store};
use yodnoma_search::SearchIndex;

use crate::accounts::{self, SignedIn};
use crate::forms::FormFields;
use crate::i18n::Locale;
use crate::pages::{Chrome, render};
use crate::{AppState, WebError, load};

/// Pairs on one review page.
const REVIEW_PAGE: i64 = 25;

/// A signed-in curator, with the value their forms must carry.
#[derive(Debug, Clone)]
pub struct Curator {
    pub csrf: String,
}

/// The curator signed in on this request, if any.
pub fn curator(signed: &SignedIn) -> Option<Curator> {
    signed
        .0
        .as_ref()
        .filter(|s| s.user.role.may(Action::ReviewLinkage))
        .map(|s| Curator {
            csrf: s.csrf.clone(),
        })
}

/// Updates of the index made by this process, one at a time: each reads its persons and writes
/// them under the turn, so that two decisions about one person cannot write it in the wrong
/// order, and neither finds the writer taken by the other.
static INDEX_UPDATES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Puts changed persons into the search index again and removes those left without records.
/// The store's change is made already: when the index cannot take it (another process writes
/// it for longer than a few seconds, or it fails), the index is marked stale, to be rebuilt at
/// the next start or by `yodnoma reindex`, and the change stands: `false` says so. The update
/// runs on a task of its own, so that a client going away while it waits its turn does not
/// cancel it.
pub async fn reindex_persons(
    store: &Store,
    index: &SearchIndex,
    changed: &[PersonId],
) -> Result<bool, WebError> {
    let (store, index, changed) = (store.clone(), index.clone(), changed.to_vec());
    let marking = index.clone();
    let updated = tokio::spawn(async move {
        let written = update_index(&store, &index, &changed).await;
        if let Err(e) = &written {
            tracing::warn!(
                "the search index missed a change ({e}); it is rebuilt at the next start"
            );
            index.mark_stale()?;
        }
        Ok::<bool, yodnoma_search::SearchError>(written.is_ok())
    })
    .await;
    match updated {
        Ok(Ok(written)) => Ok(written),
        Ok(Err(e)) => Err(WebError::Internal(format!("search index: {e}"))),
        Err(e) => {
            let _ = marking.mark_stale();
            Err(WebError::Internal(format!("indexing task: {e}")))
        }
    }
}

/// The update itself, under this process's turn.
async fn update_index(
    store: &Store,
    index: &SearchIndex,
    changed: &[PersonId],
) -> Result<(), String> {
    let _turn = INDEX_UPDATES.lock().await;
    // The writer first, then the persons: another process (a `link`) writing the same persons
    // waits for this one, or this one for it, and neither writes what it read before the
    // other's change.
    let writing = index.clone();
    let mut indexer = tokio::task::spawn_blocking(move || writing.writer_patiently())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let mut persons = Vec::with_capacity(changed.len());
    for id in changed {
        persons.push((
            id.clone(),
            store.person(id).await.map_err(|e| e.to_string())?,
        ));
    }
    tokio::task::spawn_blocking(move || -> Result<(), yodnoma_search::SearchError> {
        for (id, person) in &persons {
            match person {
                Some(person) => indexer.put(person)?,
                None => indexer.remove(id),
            }
        }
        // Waiting for the merges the commit starts: a writer dropped before them throws
        // them away, and the small segments of many updates would pile up.
        indexer.finish()
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())
}

/// One field of a pair, as a row of the side-by-side table.
pub struct FieldRow {
    pub label: String,
    pub a: String,
    pub b: String,
    pub level: String,
    pub weight: String,
}

/// A pair as a curator sees it.
pub struct PairView {
    pub a_row: i64,
    pub b_row: i64,
    pub a_person: String,
    pub b_person: String,
    pub a_record: String,
    pub b_record: String,
    pub probability: String,
    /// Why a likely pair was not joined: another record of one side is clearly someone else.
    pub held_apart: bool,
    pub fields: Vec<FieldRow>,
    pub prior: String,
}

#[derive(serde::Deserialize)]
struct Part {
    field: String,
    level: String,
    weight: Option<f64>,
}

/// The message of a level's name: "year ±1" → `level-year-1`.
fn level_key(level: &str) -> String {
    let mut key = String::from("level");
    for word in level
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        key.push('-');
        key.push_str(word);
    }
    key
}

pub fn pair_view(pair: &ReviewPair, l: &Locale) -> PairView {
    let parts: Vec<Part> = serde_json::from_str(&pair.explanation).unwrap_or_default();
    let mut prior = String::new();
    let mut fields = Vec::new();
    for part in parts {
        let weight = part.weight.map_or_else(String::new, |w| format!("{w:+.1}"));
        if part.field == "prior" {
            prior = weight;
            continue;
        }
        let at = yodnoma_db::LinkRecord::FIELDS
            .iter()
            .position(|f| *f == part.field);
        // A fate or a part in the war is one of a short list, read in the visitor's language.
        let value = |values: &[String]| {
            let value = at.and_then(|k| values.get(k)).cloned().unwrap_or_default();
            match part.field.as_str() {
                "category" | "fate" if !value.is_empty() => {
                    l.try_t(&format!("{}-{value}", part.field)).unwrap_or(value)
                }
                _ => value,
            }
        };
        fields.push(FieldRow {
            label: l.t(&format!("column-{}", part.field)),
            a: value(&pair.a.values),
            b: value(&pair.b.values),
            level: l.try_t(&level_key(&part.level)).unwrap_or(part.level),
            weight,
        });
    }
    PairView {
        a_row: pair.a.row,
        b_row: pair.b.row,
        a_person: pair.a.person.clone(),
        b_person: pair.b.person.clone(),
        a_record: format!("{} / {}", pair.a.source, pair.a.record_id),
        b_record: format!("{} / {}", pair.b.source, pair.b.record_id),
        probability: format!("{:.3}", pair.probability),
        held_apart: !pair.matched && pair.probability >= 0.5,
        fields,
        prior,
    }
}

/// A decision as the undo list shows it.
pub struct DecisionView {
    pub id: i64,
    pub text: String,
    pub undone: bool,
    /// When the undo left records that had moved again since: how many.
    pub stayed: Option<String>,
}

pub fn decision_view(d: &LinkDecision, l: &Locale) -> DecisionView {
    let key = if d.same_person {
        "review-decided-same"
    } else {
        "review-decided-apart"
    };
    // "2026-11-26T05:17:02.0373Z" → "2026-11-26 05:17"
    let when: String = d
        .decided_at
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ");
    DecisionView {
        id: d.id,
        text: format!("{} · {} · {} · {when}", d.names.0, d.names.1, l.t(key)),
        undone: d.undone_at.is_some(),
        stayed: (d.undo_stayed > 0).then(|| {
            l.count(
                "review-undo-stayed",
                usize::try_from(d.undo_stayed).unwrap_or(0),
            )
        }),
    }
}

#[derive(Template)]
#[template(path = "review.html")]
struct ReviewPage {
    page: Chrome,
    csrf: String,
    pairs: Vec<PairView>,
    waiting: String,
    offset: i64,
    next: Option<i64>,
    previous: Option<i64>,
    decisions: Vec<DecisionView>,
}

pub async fn review(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let curator = accounts::require(&signed, Action::ReviewLinkage, "/review")?;
    let query: HashMap<String, String> =
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let offset = match query.get("offset") {
        None => 0,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=1_000_000).contains(n))
            .ok_or_else(|| {
                WebError::BadRequest(format!(
                    "offset: `{text}` is not a number from 0 to 1000000"
                ))
            })?,
    };
    let waiting = state.store.review_count().await?;
    let pairs = state.store.review_pairs(REVIEW_PAGE, offset).await?;
    let decisions = state.store.recent_link_decisions(20).await?;
    render(&ReviewPage {
        page: Chrome::new(l.clone(), l.t("review-title")),
        csrf: curator.csrf,
        pairs: pairs.iter().map(|p| pair_view(p, &l)).collect(),
        waiting: l.count("review-waiting", usize::try_from(waiting).unwrap_or(0)),
        offset,
        next: (offset + REVIEW_PAGE < waiting).then_some(offset + REVIEW_PAGE),
        previous: (offset > 0).then(|| (offset - REVIEW_PAGE).max(0)),
        decisions: decisions.iter().map(|d| decision_view(d, &l)).collect(),
    })
}

/// The fields of a form a signed-in curator sent from this site.
fn curator_form(signed: &SignedIn, body: &[u8]) -> Result<(Session, FormFields), WebError> {
    let form = FormFields::parse(body);
    let session = accounts::require_form(signed, Action::ReviewLinkage, &form)?;
    Ok((session, form))
}

/// `POST /review/decide`: `a`, `b` (record row ids), `same` (`yes` or `no`), `note`.
pub async fn decide(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (session, form) = curator_form(&signed, &body)?;
    let (a, b) = (form.number("a")?, form.number("b")?);
    let same = match form.text("same")? {
        "yes" => true,
        "no" => false,
        other => {
            return Err(WebError::BadRequest(format!(
                "form field `same`: `{other}` is neither `yes` nor `no`"
            )));
        }
    };
    let note = form
        .optional("note")
        .map(|n| n.trim())
        .filter(|n| !n.is_empty());
    // The persons the curator saw the records in, when the form says (the review's does).
    let person = |field: &str| -> Result<Option<PersonId>, WebError> {
        form.optional(field)
            .map(|p| {
                PersonId::parse(p)
                    .map_err(|e| WebError::BadRequest(format!("form field `{field}`: {e}")))
            })
            .transpose()
    };
    let (seen_a, seen_b) = (person("a_person")?, person("b_person")?);
    let (_, changed) = state
        .store
        .decide_link(
            (a, b),
            same,
            (&session.user.email, note),
            seen_a.as_ref().zip(seen_b.as_ref()),
            state.store.new_person_id(),
        )
        .await?;
    reindex_persons(&state.store, &state.search, &changed).await?;
    Ok(Redirect::to(&form.back("/review")).into_response())
}

/// `POST /review/undo`: `decision`.
pub async fn undo(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (session, form) = curator_form(&signed, &body)?;
    let undone = state
        .store
        .undo_link_decision(form.number("decision")?, &session.user.email)
        .await?;
    reindex_persons(&state.store, &state.search, &undone.changed).await?;
    Ok(Redirect::to(&form.back("/review")).into_response())
}

/// A short fingerprint of the records of a person as a page shows them. A split sends it back
/// (`shown`), and is refused when the person holds other records now: another curator merged
/// a person into it meanwhile, and the split would part the record from records nobody saw.
pub fn records_shown(person: &yodnoma_core::Person) -> String {
    use blake2::Digest;
    let mut names: Vec<String> = person
        .records
        .iter()
        .map(|r| format!("{}\u{0}{}", r.source, r.record.record_id))
        .collect();
    names.sort();
    blake2::Blake2b512::digest(names.join("\u{1}").as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `POST /persons/{id}/split`: `source` and `record_id` of the record to split off; `shown`,
/// the page's [`records_shown`].
pub async fn split(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let (session, form) = curator_form(&signed, &body)?;
    let person = load::person(&state, &id).await?;
    if form
        .optional("shown")
        .is_some_and(|shown| shown != records_shown(&person))
    {
        return Err(WebError::Conflict(format!(
            "person {id} holds other records than your page showed (a merge meanwhile): \
             look at the page again before splitting"
        )));
    }
    let (source, record_id) = (form.text("source")?, form.text("record_id")?);
    let (row, _) = state
        .store
        .record_row(source, record_id)
        .await?
        .filter(|(_, p)| *p == person.id)
        .ok_or_else(|| {
            WebError::BadRequest(format!(
                "record {source} / {record_id} is not one of person {id}"
            ))
        })?;
    let other = person
        .records
        .iter()
        .find(|r| !(r.source.as_str() == source && r.record.record_id == record_id))
        .ok_or_else(|| WebError::BadRequest("a person of one record cannot be split".to_owned()))?;
    let (other_row, _) = state
        .store
        .record_row(other.source.as_str(), &other.record.record_id)
        .await?
        .ok_or_else(|| WebError::Internal("a record of the person vanished".to_owned()))?;
    let (_, changed) = state
        .store
        .decide_link(
            (other_row, row),
            false,
            (&session.user.email, None),
            Some((&person.id, &person.id)),
            state.store.new_person_id(),
        )
        .await?;
    reindex_persons(&state.store, &state.search, &changed).await?;
    Ok(Redirect::to(&format!("/persons/{}", person.id)).into_response())
}

/// For the person page: why its records are one person, and what curators decided.
pub struct PersonLinkage {
    pub pairs: Vec<PairView>,
    pub decisions: Vec<DecisionView>,
    pub curator: Option<Curator>,
}

pub async fn person_linkage(
    state: &AppState,
    signed: &SignedIn,
    person: &PersonId,
    l: &Locale,
) -> Result<PersonLinkage, WebError> {
    let pairs = state.store.pairs_of_person(person).await?;
    let curator = curator(signed);
    let decisions = match curator {
        Some(_) => state.store.link_decisions_of(person).await?,
        None => Vec::new(),
    };
    Ok(PersonLinkage {
        pairs: pairs.iter().map(|p| pair_view(p, l)).collect(),
        decisions: decisions.iter().map(|d| decision_view(d, l)).collect(),
        curator,
    })
}

/// A person id merged into another: a redirect there. Not a permanent one: a curator may
/// undo the merge, and browsers keep permanent redirects.
pub async fn redirect_merged(state: &AppState, id: &str, prefix: &str) -> Option<Response> {
    let id = PersonId::parse(id).ok()?;
    let new = state.store.person_redirect(&id).await.ok()??;
    Some(
        (
            StatusCode::FOUND,
            [
                (header::LOCATION, format!("{prefix}{new}")),
                (header::CACHE_CONTROL, "no-store".to_owned()),
            ],
        )
            .into_response(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use yodnoma_core::Language;

    #[test]
    fn an_undo_that_left_records_says_so() {
        let mut d = LinkDecision {
            id: 7,
            record_a: 1,
            record_b: 2,
            same_person: true,
            actor: "curator".into(),
            note: None,
            decided_at: "2026-11-26T05:17:02.0373Z".into(),
            undone_at: Some("2026-11-26T06:00:00Z".into()),
            undo_stayed: 2,
            names: ("draft / 1".into(), "losses / 9".into()),
        };
        let en = Locale::new(Language::En, Vec::new());
        let view = decision_view(&d, &en);
        assert!(view.undone);
        assert_eq!(
            view.stayed.as_deref(),
            Some("2 records had moved again since and stayed where they were")
        );
        assert!(view.text.contains("2026-11-26 05:17"), "{}", view.text);
        let ru = Locale::new(Language::Ru, Vec::new());
        assert!(
            decision_view(&d, &ru)
                .stayed
                .is_some_and(|s| s.starts_with("2 записи"))
        );
        d.undo_stayed = 0;
        assert_eq!(decision_view(&d, &en).stayed, None);
    }
}
