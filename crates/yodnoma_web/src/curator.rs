//! Curator pages of record linkage: the pairs left for review, side by side with the weight
//! each field added; decisions on them (one person, not one person), a record split off a
//! person, and the undo of any of these.
//!
//! Until accounts exist, a curator signs in with the operator's admin token
//! (`yodnoma serve --admin-token`, or `YODNOMA_ADMIN_TOKEN`). The token is checked once; the
//! browser then holds a session value drawn at start (HttpOnly, SameSite=Strict), so the token
//! is never stored in a cookie and a restart signs everyone out. Every form that changes
//! something carries a second value drawn at start, which another site cannot read.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use yodnoma_core::PersonId;
use yodnoma_db::{LinkDecision, ReviewPair, Store};
use yodnoma_search::SearchIndex;

use crate::i18n::Locale;
use crate::pages::{Chrome, render};
use crate::{AppState, WebError, load};

const COOKIE: &str = "yodnoma_curator";

/// Pairs on one review page.
const REVIEW_PAGE: i64 = 25;

/// What signing in as a curator checks against.
#[derive(Debug)]
pub struct CuratorAuth {
    token: String,
    session: String,
    csrf: String,
}

fn random_hex() -> String {
    format!(
        "{:032x}{:032x}",
        rand::random::<u128>(),
        rand::random::<u128>()
    )
}

/// Equal in time that does not depend on where two values differ.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl CuratorAuth {
    pub fn new(token: String) -> Self {
        Self {
            token,
            session: random_hex(),
            csrf: random_hex(),
        }
    }
}

/// A signed-in curator, with the value their forms must carry.
#[derive(Debug, Clone)]
pub struct Curator {
    pub csrf: String,
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The curator signed in on this request, if any.
pub fn curator(state: &AppState, headers: &HeaderMap) -> Option<Curator> {
    let auth = state.curator.as_deref()?;
    let session = cookie(headers, COOKIE)?;
    same_secret(session, &auth.session).then(|| Curator {
        csrf: auth.csrf.clone(),
    })
}

fn require_curator(state: &AppState, headers: &HeaderMap) -> Result<Curator, WebError> {
    if state.curator.is_none() {
        return Err(WebError::Forbidden(
            "curator pages are switched off: the operator starts the server with an admin token"
                .to_owned(),
        ));
    }
    curator(state, headers).ok_or_else(|| {
        WebError::Forbidden("this page is for curators: sign in at /curator/sign-in".to_owned())
    })
}

/// The fields of a submitted form, with errors that name the field.
struct FormFields(HashMap<String, String>);

impl FormFields {
    fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    fn text(&self, name: &str) -> Result<&str, WebError> {
        self.0
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| WebError::BadRequest(format!("form field `{name}` is missing")))
    }

    fn number(&self, name: &str) -> Result<i64, WebError> {
        let text = self.text(name)?;
        text.parse().map_err(|_| {
            WebError::BadRequest(format!("form field `{name}`: `{text}` is not a number"))
        })
    }

    /// A form that changes something must carry the curator's form value.
    fn check_csrf(&self, curator: &Curator) -> Result<(), WebError> {
        let given = self.0.get("csrf").map_or("", String::as_str);
        if same_secret(given, &curator.csrf) {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "the form has expired or came from another site: reload the page and try again"
                    .to_owned(),
            ))
        }
    }

    /// Where to go afterwards: a path of this site only.
    fn back(&self, default: &str) -> String {
        match self.0.get("back") {
            Some(path)
                if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') =>
            {
                path.clone()
            }
            _ => default.to_owned(),
        }
    }
}

/// Puts changed persons into the search index again and removes those left without records.
pub async fn reindex_persons(
    store: &Store,
    index: &SearchIndex,
    changed: &[PersonId],
) -> Result<(), WebError> {
    let mut persons = Vec::with_capacity(changed.len());
    for id in changed {
        persons.push((id.clone(), store.person(id).await?));
    }
    let index = index.clone();
    tokio::task::spawn_blocking(move || -> Result<(), yodnoma_search::SearchError> {
        let mut indexer = index.writer()?;
        for (id, person) in &persons {
            match person {
                Some(person) => indexer.put(person)?,
                None => indexer.remove(id),
            }
        }
        indexer.commit()
    })
    .await
    .map_err(|e| WebError::Internal(format!("indexing task: {e}")))?
    .map_err(|e| WebError::Internal(format!("search index: {e}")))
}

#[derive(Template)]
#[template(path = "curator_sign_in.html")]
struct SignInPage {
    page: Chrome,
    enabled: bool,
}

pub async fn sign_in_page(State(state): State<AppState>, l: Locale) -> Result<Response, WebError> {
    render(&SignInPage {
        page: Chrome::new(l.clone(), l.t("curator-sign-in")),
        enabled: state.curator.is_some(),
    })
}

pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormFields::parse(&body);
    let Some(auth) = state.curator.as_deref() else {
        return Err(WebError::Forbidden(
            "curator pages are switched off: the operator starts the server with an admin token"
                .to_owned(),
        ));
    };
    if !same_secret(form.text("token")?, &auth.token) {
        return Err(WebError::Forbidden(
            "the admin token is not right".to_owned(),
        ));
    }
    // Behind a TLS proxy the cookie is never sent in clear.
    let secure = headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes() == b"https");
    let cookie = format!(
        "{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict{}",
        auth.session,
        if secure { "; Secure" } else { "" }
    );
    let mut response = Redirect::to("/review").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| WebError::Internal(e.to_string()))?,
    );
    Ok(response)
}

pub async fn sign_out() -> Response {
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("yodnoma_curator=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
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
        let value = |values: &[String]| at.and_then(|k| values.get(k)).cloned().unwrap_or_default();
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
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let curator = require_curator(&state, &headers)?;
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
fn curator_form(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<FormFields, WebError> {
    let curator = require_curator(state, headers)?;
    let form = FormFields::parse(body);
    form.check_csrf(&curator)?;
    Ok(form)
}

/// A decision the store cannot take (a record with itself, a decision undone twice) is the
/// curator's request at fault, not the server.
fn refused(error: yodnoma_db::DbError) -> WebError {
    match error {
        yodnoma_db::DbError::Invalid(m) => WebError::BadRequest(m),
        other => other.into(),
    }
}

/// `POST /review/decide`: `a`, `b` (record row ids), `same` (`yes` or `no`), `note`.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = curator_form(&state, &headers, &body)?;
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
        .0
        .get("note")
        .map(|n| n.trim())
        .filter(|n| !n.is_empty());
    let (_, changed) = state
        .store
        .decide_link(a, b, same, "curator", note, state.store.new_person_id())
        .await
        .map_err(refused)?;
    reindex_persons(&state.store, &state.search, &changed).await?;
    Ok(Redirect::to(&form.back("/review")).into_response())
}

/// `POST /review/undo`: `decision`.
pub async fn undo(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = curator_form(&state, &headers, &body)?;
    let changed = state
        .store
        .undo_link_decision(form.number("decision")?, "curator")
        .await
        .map_err(refused)?;
    reindex_persons(&state.store, &state.search, &changed).await?;
    Ok(Redirect::to(&form.back("/review")).into_response())
}

/// `POST /persons/{id}/split`: `source` and `record_id` of the record to split off.
pub async fn split(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = curator_form(&state, &headers, &body)?;
    let person = load::person(&state, &id).await?;
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
            other_row,
            row,
            false,
            "curator",
            None,
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
    headers: &HeaderMap,
    person: &PersonId,
    l: &Locale,
) -> Result<PersonLinkage, WebError> {
    let pairs = state.store.pairs_of_person(person).await?;
    let curator = curator(state, headers);
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
