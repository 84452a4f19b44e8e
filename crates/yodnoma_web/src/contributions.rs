//! Families' contributions under moderation: sign-up (when the operator opens it), a story with
//! a photo about a person, a report of a problem on any person page, the contributor's own list
//! with each decision and reason, the moderators' queue, and the admins' audit log.
//!
//! Contributions never touch source records. Approved stories are shown on the person page as a
//! separate family layer under the contributor's display name; their e-mail and a report's
//! contact are never shown to visitors. Photos go through the same image ingest as exhibits
//! (checked by content, size limits, EXIF orientation) and, unlike a museum's originals, are
//! kept re-encoded without any metadata: a family's GPS position is not even stored.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{Extensions, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use yodnoma_core::{Action, Image, ImageId, LanguageMap, Role, normalize_email};
use yodnoma_db::{Contribution, ContributionKind, Moderation, NewContribution, Session};

use crate::accounts::{self, SignedIn};
use crate::forms::FormFields;
use crate::i18n::Locale;
use crate::markdown::to_safe_html;
use crate::pages::{Chrome, render};
use crate::{AppState, WebError, load};

/// Stories one account may send per hour.
pub const STORIES_PER_HOUR: i64 = 10;
/// Reports one address (or account) may send per hour.
pub const REPORTS_PER_HOUR: i64 = 5;
/// How many accounts' worth of submissions one address may send per hour: a family shares a
/// connection, and so do the visitors of a museum, but with sign-up open anyone may make
/// accounts, and each account's own limit alone would bound nothing.
pub const ACCOUNTS_PER_ADDRESS: i64 = 3;
/// Accounts one address may make at sign-up per hour.
pub const SIGN_UPS_PER_HOUR: i64 = 10;
/// A photo's largest file.
pub const MAX_PHOTO_BYTES: usize = 20 * 1024 * 1024;
/// The largest story form, photo included.
pub const MAX_STORY_REQUEST_BYTES: usize = MAX_PHOTO_BYTES + 256 * 1024;
const MAX_TEXT_CHARS: usize = 20_000;
const MAX_LINE_CHARS: usize = 300;

/// A contribution as a page shows it.
pub struct ContributionView {
    pub id: i64,
    pub title: String,
    pub lang: &'static str,
    /// Sanitized HTML of the Markdown text.
    pub html: String,
    pub contributor: String,
    pub relation: String,
    pub dates: String,
    pub places: String,
    pub rights: String,
    pub photos: Vec<PhotoView>,
    pub status: String,
    pub reason: String,
    pub note: String,
    pub person_url: String,
    pub kind: &'static str,
    pub contact: String,
    pub body: String,
    pub sent: String,
    /// The person a story proposes, as (label, value).
    pub proposed: Vec<(String, String)>,
}

pub struct PhotoView {
    pub src: String,
    pub alt: String,
    pub alt_lang: &'static str,
    pub width: u32,
    pub height: u32,
}

impl ContributionView {
    /// The message naming its kind.
    pub fn kind_key(&self) -> String {
        format!("contribution-kind-{}", self.kind)
    }
}

fn view(c: &Contribution, l: &Locale) -> ContributionView {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    ContributionView {
        id: c.id,
        title: c.title.clone(),
        lang: c.lang.tag(),
        html: to_safe_html(&c.body, crate::markdown::Under::H3),
        contributor: c
            .contributor
            .clone()
            .unwrap_or_else(|| l.t("contribution-by-staff")),
        relation: text(&c.relation),
        dates: text(&c.dates),
        places: text(&c.places),
        rights: text(&c.rights),
        photos: c
            .images
            .iter()
            .map(|i| PhotoView {
                src: format!(
                    "/iiif/3/{}/full/{}/0/default.jpg",
                    i.id,
                    yodnoma_media::iiif::fitting_size(i.width, i.height, 1200)
                ),
                alt: l.pick(&i.alt).to_owned(),
                alt_lang: l.lang_of(&i.alt),
                width: i.width,
                height: i.height,
            })
            .collect(),
        status: l.t(&format!("contribution-status-{}", c.status.as_str())),
        reason: text(&c.reason),
        note: text(&c.moderator_note),
        person_url: c
            .person
            .as_ref()
            .map(|p| format!("/persons/{p}"))
            .unwrap_or_default(),
        kind: c.kind.as_str(),
        contact: text(&c.contact),
        body: c.body.clone(),
        sent: c
            .created_at
            .chars()
            .take(16)
            .collect::<String>()
            .replace('T', " "),
        proposed: c
            .proposed
            .as_deref()
            .and_then(|p| {
                serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(p).ok()
            })
            .map(|map| {
                PROPOSED_COLUMNS
                    .iter()
                    .filter_map(|c| {
                        let value = map.get(*c)?.as_str()?;
                        Some((l.t(&format!("column-{c}")), value.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The approved stories of a person, for the person page.
pub async fn family_stories(
    state: &AppState,
    person: &yodnoma_core::PersonId,
    l: &Locale,
) -> Result<Vec<ContributionView>, WebError> {
    Ok(state
        .store
        .approved_stories_of(person)
        .await?
        .iter()
        .map(|c| view(c, l))
        .collect())
}

/// A field of a form, trimmed, within `max` characters; `None` when empty.
fn field(form_value: Option<&str>, name: &str, max: usize) -> Result<Option<String>, WebError> {
    let text = form_value.unwrap_or("").trim();
    if text.chars().count() > max {
        return Err(WebError::BadRequest(format!(
            "form field `{name}` is longer than {max} characters"
        )));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

fn required(form_value: Option<&str>, name: &str, max: usize) -> Result<String, WebError> {
    field(form_value, name, max)?
        .ok_or_else(|| WebError::BadRequest(format!("form field `{name}` is empty")))
}

// ---------------------------------------------------------------------------------------------
// Sign-up

#[derive(Template)]
#[template(path = "signup.html")]
struct SignUpPage {
    page: Chrome,
    next: String,
    /// What was typed, when the form comes back refused (never the passwords).
    name: String,
    email: String,
    /// Why the form came back, in the reader's language.
    problem: Option<String>,
}

/// The sign-up form, refused: what was typed (but the passwords) is kept, and the problem said
/// in the reader's language.
fn sign_up_again(l: &Locale, form: &FormFields, problem_key: &str) -> Result<Response, WebError> {
    let mut response = render(&SignUpPage {
        page: Chrome::new(l.clone(), l.t("signup-title")),
        next: accounts::local_path(form.optional("next")),
        name: form.optional("name").unwrap_or_default().to_owned(),
        email: form.optional("email").unwrap_or_default().to_owned(),
        problem: Some(l.t(problem_key)),
    })?;
    *response.status_mut() = axum::http::StatusCode::BAD_REQUEST;
    response.extensions_mut().insert(crate::error::Rendered);
    Ok(response)
}

fn sign_up_open(state: &AppState) -> Result<(), WebError> {
    if state.sign_up_open {
        Ok(())
    } else {
        Err(WebError::NotFound(
            "sign-up is closed on this site: the museum makes accounts".to_owned(),
        ))
    }
}

/// `GET /signup[?next=PATH]`
pub async fn show_sign_up(
    State(state): State<AppState>,
    l: Locale,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    sign_up_open(&state)?;
    let next = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned());
    render(&SignUpPage {
        page: Chrome::new(l.clone(), l.t("signup-title")),
        next: accounts::local_path(next.as_deref()),
        name: String::new(),
        email: String::new(),
        problem: None,
    })
}

/// `POST /signup` with `name`, `email`, `password`, `password2`, `next`: a contributor account,
/// signed in at once.
pub async fn sign_up(
    State(state): State<AppState>,
    l: Locale,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    sign_up_open(&state)?;
    accounts::refuse_cross_site(&headers)?;
    let form = FormFields::parse(&body);
    // What the visitor can mend comes back on the form, with what they typed.
    let Ok(name) = required(form.optional("name"), "name", 80) else {
        return sign_up_again(&l, &form, "signup-problem-name");
    };
    let Some(email) = form.optional("email").and_then(normalize_email) else {
        return sign_up_again(&l, &form, "signup-problem-email");
    };
    let password = form.optional("password").unwrap_or_default();
    if form.optional("password2") != Some(password) {
        return sign_up_again(&l, &form, "signup-problem-passwords");
    }
    if accounts::check_password(password).is_err() {
        return sign_up_again(&l, &form, "signup-problem-password");
    }
    // Counted before the password is hashed and the account made, so that attempts sent at
    // once see each other; an attempt that makes no account is not counted.
    let (sign_up, made) = state
        .store
        .record_sign_up(&accounts::client_address(&extensions, &headers), 3600)
        .await?;
    if made > SIGN_UPS_PER_HOUR {
        state.store.forget_sign_up(sign_up).await?;
        return Err(WebError::TooMany(format!(
            "at most {SIGN_UPS_PER_HOUR} sign-ups an hour from one connection: please wait and \
             try again later"
        )));
    }
    let password = password.to_owned();
    let made = async {
        let hash = accounts::hashing(move || accounts::hash_password(&password))
            .await?
            .map_err(|e| WebError::BadRequest(e.to_string()))?;
        // The same answer whether or not the address has an account would need mail; without
        // it, saying so is the only way forward for the visitor.
        state
            .store
            .add_user(&email, &hash, Role::Contributor, Some(&name), "sign-up")
            .await
            .map_err(|e| match e {
                yodnoma_db::DbError::Invalid(m) => WebError::BadRequest(m),
                other => other.into(),
            })
    }
    .await;
    let id = match made {
        Ok(id) => id,
        Err(refused) => {
            state.store.forget_sign_up(sign_up).await?;
            // The only refusal of the store here: the address has an account already.
            if matches!(refused, WebError::BadRequest(_)) {
                return sign_up_again(&l, &form, "signup-problem-taken");
            }
            return Err(refused);
        }
    };
    let next = accounts::local_path(form.optional("next"));
    accounts::open_session(&state, id, &headers, &next).await
}

// ---------------------------------------------------------------------------------------------
// A story about a person

#[derive(Template)]
#[template(path = "contribute.html")]
struct ContributePage {
    page: Chrome,
    csrf: String,
    /// Empty when the story proposes a person the registry lacks.
    person_name: String,
    person_url: String,
    action: String,
    max_photo_mb: usize,
    /// The source-record fields of a proposed person, as (name, label).
    person_fields: Vec<(&'static str, String)>,
}

/// The columns a family fills in for a person the registry lacks.
const PROPOSED_COLUMNS: [&str; 9] = [
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "death_date",
    "birth_place",
    "region",
    "nationality",
    "fate",
];

/// How the ids of families' photos begin: served only as their stories allow (see `iiif`).
pub const FAMILY_PHOTO_PREFIX: &str = yodnoma_core::ImageId::FAMILY_PREFIX;

/// The source of the records made from approved proposals.
pub const FAMILIES_SOURCE: &str = yodnoma_core::SourceName::FAMILIES;

/// `GET /persons/{id}/contribute`
pub async fn show_contribute(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let session = accounts::require(
        &signed,
        Action::Contribute,
        &format!("/persons/{id}/contribute"),
    )?;
    let person = load::person(&state, &id).await?;
    let person_url = format!("/persons/{}", person.id);
    render(&ContributePage {
        page: Chrome::new(l.clone(), l.t("contribute-title")),
        csrf: session.csrf,
        person_name: person.display_name(),
        action: format!("{person_url}/contribute"),
        person_url,
        max_photo_mb: MAX_PHOTO_BYTES / (1024 * 1024),
        person_fields: Vec::new(),
    })
}

/// `GET /contribute`: a story about a person the registry lacks, proposing them.
pub async fn show_propose(
    l: Locale,
    Extension(signed): Extension<SignedIn>,
) -> Result<Response, WebError> {
    let session = accounts::require(&signed, Action::Contribute, "/contribute")?;
    render(&ContributePage {
        page: Chrome::new(l.clone(), l.t("propose-title")),
        csrf: session.csrf,
        person_name: String::new(),
        person_url: String::new(),
        action: "/contribute".to_owned(),
        max_photo_mb: MAX_PHOTO_BYTES / (1024 * 1024),
        person_fields: PROPOSED_COLUMNS
            .iter()
            .map(|c| (*c, l.t(&format!("column-{c}"))))
            .collect(),
    })
}

/// The person columns a form filled in, trimmed.
fn proposed_fields(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .filter(|(k, v)| PROPOSED_COLUMNS.contains(&k.as_str()) && !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.trim()))
        .collect()
}

/// The proposed person's record, checked as an import checks a CSV row.
fn proposed_record(
    fields: &[(String, String)],
    record_id: &str,
) -> Result<yodnoma_core::SourceRecord, WebError> {
    let given = proposed_fields(fields);
    let header = std::iter::once("record_id").chain(given.iter().map(|(k, _)| *k));
    let schema = yodnoma_core::RecordSchema::from_header(header).map_err(|_| {
        WebError::BadRequest("the proposed person needs a surname or a given name".to_owned())
    })?;
    let values: Vec<&str> = std::iter::once(record_id)
        .chain(given.iter().map(|(_, v)| *v))
        .collect();
    schema.parse_row(values.into_iter()).map_err(|problems| {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        WebError::BadRequest(format!("the proposed person: {}", text.join("; ")))
    })
}

/// The fields of the story form; the photo's bytes kept apart.
#[derive(Default)]
struct StoryForm {
    fields: Vec<(String, String)>,
    photo: Option<Vec<u8>>,
}

impl StoryForm {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

async fn read_story_form(mut multipart: Multipart) -> Result<StoryForm, WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("the form could not be read: {e}"))
    };
    let mut form = StoryForm::default();
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "photo" {
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.len() > MAX_PHOTO_BYTES {
                return Err(WebError::BadRequest(format!(
                    "the photo has {} bytes; at most {MAX_PHOTO_BYTES} are accepted",
                    bytes.len()
                )));
            }
            if !bytes.is_empty() {
                // The buffer itself, not a copy: it is the only reference.
                form.photo = Some(Vec::from(bytes));
            }
        } else {
            let text = field.text().await.map_err(bad)?;
            form.fields.push((name, text));
        }
    }
    Ok(form)
}

/// `POST /persons/{id}/contribute` (multipart): `title`, `body` (Markdown), `relation`,
/// `dates`, `places`, `rights`, `consent`, `photo` with `photo_alt`, `csrf`.
pub async fn contribute(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    extensions: Extensions,
    headers: HeaderMap,
    Path(id): Path<String>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let person = load::person(&state, &id).await?;
    let story = Story {
        signed: &signed,
        address: accounts::client_address(&extensions, &headers),
        person: Some(person.id),
    };
    send_story(&state, &l, story, multipart).await
}

/// `POST /contribute` (multipart): a story as above, with the columns of the person it proposes
/// (`surname`, `given_name`, `patronymic`, `birth_date`, `death_date`, `birth_place`, `region`,
/// `nationality`, `fate`), checked as an import checks a row.
pub async fn propose(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    extensions: Extensions,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let story = Story {
        signed: &signed,
        address: accounts::client_address(&extensions, &headers),
        person: None,
    };
    send_story(&state, &l, story, multipart).await
}

/// Who sends a story, from where, about whom (`None`: a person it proposes).
struct Story<'a> {
    signed: &'a SignedIn,
    address: String,
    person: Option<yodnoma_core::PersonId>,
}

/// Stories received at once, each holding its photo (up to 20 MB) in memory until stored; the
/// others are asked to send again.
static STORIES_RECEIVED: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// How long a story's form (a photo of up to 20 MB: 35 KB a second) may take to arrive.
const STORY_ARRIVAL: std::time::Duration = std::time::Duration::from_secs(600);

/// The accounts and addresses a story is being received from: one at a time each, so that
/// one sender (whose accounts may be many where sign-up is open) cannot hold every place of
/// [`STORIES_RECEIVED`] with slow uploads.
static RECEIVING_FROM: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// A sender's place while its story is received; given back when dropped.
struct Receiving(Vec<String>);

impl Receiving {
    /// The places of an account and an address, or none when either is taken.
    fn take(user: i64, address: &str) -> Option<Self> {
        let keys = vec![format!("account {user}"), format!("address {address}")];
        let mut busy = RECEIVING_FROM.lock().unwrap_or_else(|e| e.into_inner());
        if keys.iter().any(|k| busy.contains(k)) {
            return None;
        }
        busy.extend(keys.iter().cloned());
        Some(Self(keys))
    }
}

impl Drop for Receiving {
    fn drop(&mut self) {
        let mut busy = RECEIVING_FROM.lock().unwrap_or_else(|e| e.into_inner());
        busy.retain(|k| !self.0.contains(k));
    }
}

async fn send_story(
    state: &AppState,
    l: &Locale,
    story: Story<'_>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // Who may send is settled before the body is read.
    let Some(signed_in) = &story.signed.0 else {
        return Err(WebError::Forbidden(
            "sign in with an account that may do this first".to_owned(),
        ));
    };
    // Over the limit, while the account sends another, and while as many stories are being
    // received as memory allows, the body (a photo of up to 20 MB) is not read at all.
    limit(
        state,
        Some(signed_in),
        &story.address,
        ContributionKind::Story,
    )
    .await?;
    let _own_place = Receiving::take(signed_in.user.id, &story.address).ok_or_else(|| {
        WebError::TooMany(
            "another story from you is being received: send this one when it is".to_owned(),
        )
    })?;
    let _receiving = STORIES_RECEIVED.try_acquire().map_err(|_| {
        WebError::Unavailable(
            "many stories are being sent just now: please send yours again in a minute".to_owned(),
        )
    })?;
    let multipart = multipart
        .map_err(|e| WebError::BadRequest(format!("the form is not a multipart upload: {e}")))?;
    // A body trickled in keeps its place from others: it has ten minutes to arrive.
    let mut form = tokio::time::timeout(STORY_ARRIVAL, read_story_form(multipart))
        .await
        .map_err(|_| {
            WebError::BadRequest(
                "the form took more than ten minutes to arrive: please send it again".to_owned(),
            )
        })??;
    let session = accounts::require_csrf(story.signed, Action::Contribute, form.get("csrf"))?;
    if form.get("consent") != Some("yes") {
        return Err(WebError::BadRequest(
            "form field `consent`: the story can only be published with your consent".to_owned(),
        ));
    }
    let proposed = match &story.person {
        Some(_) => None,
        None => {
            proposed_record(&form.fields, "proposed")?;
            let map: serde_json::Map<String, serde_json::Value> = proposed_fields(&form.fields)
                .into_iter()
                .map(|(k, v)| (k.to_owned(), serde_json::Value::from(v)))
                .collect();
            Some(serde_json::Value::Object(map).to_string())
        }
    };
    // Every field is checked before the photo is stored: a refused form leaves nothing behind.
    let title = required(form.get("title"), "title", MAX_LINE_CHARS)?;
    let body = required(form.get("body"), "body", MAX_TEXT_CHARS)?;
    let relation = field(form.get("relation"), "relation", MAX_LINE_CHARS)?;
    let dates = field(form.get("dates"), "dates", MAX_LINE_CHARS)?;
    let places = field(form.get("places"), "places", MAX_LINE_CHARS)?;
    let rights = field(form.get("rights"), "rights", MAX_LINE_CHARS)?;
    let mut images = Vec::new();
    let mut unsaved = crate::unsaved::Unsaved::new(&state.store, &state.media);
    if let Some(bytes) = form.photo.take() {
        let alt = required(form.get("photo_alt"), "photo_alt", MAX_LINE_CHARS).map_err(|_| {
            WebError::BadRequest(
                "form field `photo_alt`: say what the photo shows, for those who cannot see it"
                    .to_owned(),
            )
        })?;
        let image_id = ImageId::parse(&format!(
            "{FAMILY_PHOTO_PREFIX}{:016x}",
            rand::random::<u64>()
        ))
        .map_err(|e| WebError::Internal(e.to_string()))?;
        let stored = unsaved.store(&image_id, bytes, true).await?;
        images.push(Image {
            id: image_id,
            media_type: stored.media_type.to_owned(),
            width: stored.width,
            height: stored.height,
            alt: LanguageMap::new().with(l.lang, alt),
            rights: rights.clone(),
            placeholder: false,
        });
    }
    let new = NewContribution {
        kind: ContributionKind::Story,
        person: story.person,
        user_id: Some(session.user.id),
        contact: None,
        address: story.address,
        lang: l.lang,
        title,
        body,
        relation,
        dates,
        places,
        rights,
        consent: true,
        images: images.iter().map(|image| image.id.clone()).collect(),
        proposed,
    };
    // Counted again as it is stored, under the write lock: stories sent at once all passed the
    // first count before any of them was saved. A story refused then, or not saved, leaves no
    // photo.
    let saved = async {
        for image in &images {
            state.store.save_image(image).await?;
        }
        state
            .store
            .add_contribution_within(
                &new,
                &session.user.email,
                Some(quota(ContributionKind::Story)),
            )
            .await?;
        Ok::<_, WebError>(())
    }
    .await;
    if let Err(refused) = saved {
        unsaved.discard().await;
        return Err(refused);
    }
    unsaved.keep();
    Ok(Redirect::to("/contributions?sent=1").into_response())
}

/// The hourly limits of `kind`, checked again as a contribution is stored (see
/// [`yodnoma_db::Store::add_contribution_within`]): those of [`limit`], which refuses early.
fn quota(kind: ContributionKind) -> yodnoma_db::Quota {
    let most = match kind {
        ContributionKind::Story => STORIES_PER_HOUR,
        ContributionKind::Report => REPORTS_PER_HOUR,
    };
    yodnoma_db::Quota {
        // A visitor without an account is counted by the address as its sender; the address
        // as a whole, whoever is signed in, as `limit` counts it.
        per_sender: most,
        per_address: most * ACCOUNTS_PER_ADDRESS,
        window_seconds: 3600,
    }
}

/// Refuses a submission past the hourly limit of its kind.
async fn limit(
    state: &AppState,
    session: Option<&Session>,
    address: &str,
    kind: ContributionKind,
) -> Result<(), WebError> {
    let recent = state
        .store
        .recent_contributions(session.map(|s| s.user.id), address, kind, 3600)
        .await?;
    let most = match kind {
        ContributionKind::Story => STORIES_PER_HOUR,
        ContributionKind::Report => REPORTS_PER_HOUR,
    };
    let refused = || {
        WebError::TooMany(format!(
            "at most {most} submissions an hour: please wait and send again later"
        ))
    };
    if recent >= most {
        return Err(refused());
    }
    if session.is_some()
        && state
            .store
            .recent_contributions_from(address, kind, 3600)
            .await?
            >= most * ACCOUNTS_PER_ADDRESS
    {
        return Err(refused());
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reporting a problem

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    page: Chrome,
    csrf: String,
    person_name: String,
    person_url: String,
    sent: bool,
}

/// `GET /persons/{id}/report[?sent=1]`: open to everyone.
pub async fn show_report(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let person = load::person(&state, &id).await?;
    render(&ReportPage {
        page: Chrome::new(l.clone(), l.t("report-title")),
        csrf: signed.0.map(|s| s.csrf).unwrap_or_default(),
        person_name: person.display_name(),
        person_url: format!("/persons/{}", person.id),
        sent: query.is_some_and(|q| q.contains("sent=1")),
    })
}

/// `POST /persons/{id}/report` with `body`, `contact` and (when signed in) `csrf`.
pub async fn report(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    extensions: Extensions,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    // Another site's page posting here for its visitors would fill the queue from their
    // addresses: a report comes from this site's own form.
    accounts::refuse_cross_site(&headers)?;
    let form = FormFields::parse(&body);
    let session = match &signed.0 {
        Some(_) => Some(accounts::require_form(&signed, Action::Contribute, &form)?),
        None => None,
    };
    let person = load::person(&state, &id).await?;
    let address = accounts::client_address(&extensions, &headers);
    limit(&state, session.as_ref(), &address, ContributionKind::Report).await?;
    let text = required(form.optional("body"), "body", MAX_TEXT_CHARS)?;
    let new = NewContribution {
        kind: ContributionKind::Report,
        person: Some(person.id.clone()),
        user_id: session.as_ref().map(|s| s.user.id),
        contact: field(form.optional("contact"), "contact", MAX_LINE_CHARS)?,
        address,
        lang: l.lang,
        title: format!("{}: {}", l.t("report-title"), person.display_name()),
        body: text,
        relation: None,
        dates: None,
        places: None,
        rights: None,
        consent: false,
        images: Vec::new(),
        proposed: None,
    };
    let actor = session
        .as_ref()
        .map_or("visitor".to_owned(), |s| s.user.email.clone());
    state
        .store
        .add_contribution_within(&new, &actor, Some(quota(ContributionKind::Report)))
        .await?;
    Ok(Redirect::to(&format!("/persons/{}/report?sent=1", person.id)).into_response())
}

// ---------------------------------------------------------------------------------------------
// A contributor's own list

#[derive(Template)]
#[template(path = "my_contributions.html")]
struct MyContributionsPage {
    page: Chrome,
    items: Vec<ContributionView>,
    sent: bool,
}

/// `GET /contributions`: what the signed-in account sent, with each decision.
pub async fn list_mine(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, WebError> {
    let session = accounts::require(&signed, Action::Contribute, "/contributions")?;
    let items = state.store.contributions_of_user(session.user.id).await?;
    render(&MyContributionsPage {
        page: Chrome::new(l.clone(), l.t("mine-title")),
        items: items.iter().map(|c| view(c, &l)).collect(),
        sent: query.is_some_and(|q| q.contains("sent=1")),
    })
}

// ---------------------------------------------------------------------------------------------
// Moderation

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage {
    page: Chrome,
    csrf: String,
    waiting: String,
    items: Vec<ContributionView>,
    deleted: Vec<ContributionView>,
}

/// `GET /moderation`: the queue, oldest first, and what was deleted (to restore).
pub async fn show_queue(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
) -> Result<Response, WebError> {
    let session = accounts::require(&signed, Action::Moderate, "/moderation")?;
    let waiting = state.store.pending_count().await?;
    let items = state.store.pending_contributions(50, 0).await?;
    let deleted = state.store.deleted_contributions(20).await?;
    render(&ModerationPage {
        page: Chrome::new(l.clone(), l.t("moderation-title")),
        csrf: session.csrf,
        waiting: l.count("moderation-waiting", usize::try_from(waiting).unwrap_or(0)),
        items: items.iter().map(|c| view(c, &l)).collect(),
        deleted: deleted.iter().map(|c| view(c, &l)).collect(),
    })
}

/// `POST /moderation/{id}` with `action` (`approve`, `reject`, `delete`, `restore`), and for
/// approval the `title` and `body` as the moderator leaves them with a `note` on any edit, for
/// rejection the `reason` the contributor will read; and `csrf`.
pub async fn moderate(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormFields::parse(&body);
    let session = accounts::require_form(&signed, Action::Moderate, &form)?;
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::NotFound(format!("contribution {id} not found")))?;
    let contribution = state
        .store
        .contribution(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("contribution {id} not found")))?;
    let moderator = session.user.email.as_str();
    let refused = |e: yodnoma_db::DbError| match e {
        yodnoma_db::DbError::Invalid(m) => WebError::BadRequest(m),
        other => other.into(),
    };
    match form.text("action")? {
        "approve" => {
            let title = field(form.optional("title"), "title", MAX_LINE_CHARS)?
                .unwrap_or(contribution.title);
            let body =
                field(form.optional("body"), "body", MAX_TEXT_CHARS)?.unwrap_or(contribution.body);
            let note = field(form.optional("note"), "note", MAX_LINE_CHARS)?;
            // The decision is claimed first: of two moderators at once, only the one whose
            // approval stands makes the person a proposal describes, never one another
            // moderator rejected meanwhile. Should making it fail, the story waits again.
            state
                .store
                .moderate(id, Moderation::Approve { title, body, note }, moderator)
                .await
                .map_err(refused)?;
            if contribution.person.is_none()
                && let Some(proposed) = &contribution.proposed
                && let Err(e) = create_proposed_person(&state, id, proposed, moderator).await
            {
                state.store.reopen_contribution(id, moderator).await?;
                return Err(e);
            }
        }
        "reject" => {
            let reason = required(form.optional("reason"), "reason", MAX_TEXT_CHARS)?;
            state
                .store
                .moderate(id, Moderation::Reject { reason }, moderator)
                .await
                .map_err(refused)?;
        }
        "delete" => state
            .store
            .set_contribution_deleted(id, true, moderator)
            .await
            .map_err(refused)?,
        "restore" => state
            .store
            .set_contribution_deleted(id, false, moderator)
            .await
            .map_err(refused)?,
        other => {
            return Err(WebError::BadRequest(format!(
                "form field `action`: `{other}` is none of approve, reject, delete, restore"
            )));
        }
    }
    Ok(Redirect::to("/moderation").into_response())
}

/// Makes the person a story proposed: a record of the `families` source, its own person until
/// linkage finds it elsewhere, put into the search index.
async fn create_proposed_person(
    state: &AppState,
    id: i64,
    proposed: &str,
    moderator: &str,
) -> Result<(), WebError> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(proposed)
        .map_err(|e| WebError::Internal(format!("contribution {id}: proposed person: {e}")))?;
    let fields: Vec<(String, String)> = map
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
        .collect();
    let record_id = format!("contribution-{id}");
    let record = proposed_record(&fields, &record_id)?;
    let source = yodnoma_core::SourceName::parse(FAMILIES_SOURCE)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let batch = state
        .store
        .begin_import(&source, &format!("contribution {id}"))
        .await?;
    state.store.upsert_records(&batch, &[record]).await?;
    state.store.finish_import(&batch, moderator, 1, 0).await?;
    let person = state
        .store
        .person_of_record(&source, &record_id)
        .await?
        .ok_or_else(|| WebError::Internal(format!("the record of contribution {id} vanished")))?;
    state.store.set_contribution_person(id, &person).await?;
    crate::curator::reindex_persons(&state.store, &state.search, &[person])
        .await
        .map(|_| ())
}

// ---------------------------------------------------------------------------------------------
// The audit log

pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Chrome,
    entries: Vec<AuditView>,
}

/// `GET /admin/audit`: the latest 200 changes, by anyone, with the state before and after.
pub async fn show_audit(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
) -> Result<Response, WebError> {
    accounts::require(&signed, Action::Administer, "/admin/audit")?;
    let entries = state.store.audit_log(200).await?;
    let short = |text: Option<String>| {
        let text = text.unwrap_or_default();
        if text.chars().count() > 400 {
            format!("{}…", text.chars().take(400).collect::<String>())
        } else {
            text
        }
    };
    render(&AuditPage {
        page: Chrome::new(l.clone(), l.t("audit-title")),
        entries: entries
            .into_iter()
            .map(|e| AuditView {
                at: e.at.chars().take(19).collect::<String>().replace('T', " "),
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                before: short(e.before),
                after: short(e.after),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_and_an_address_send_one_story_at_a_time() {
        let first = Receiving::take(41, "198.51.100.7");
        assert!(first.is_some());
        let same_account = Receiving::take(41, "203.0.113.9");
        assert!(same_account.is_none(), "the same account waits");
        let same_address = Receiving::take(42, "198.51.100.7");
        assert!(
            same_address.is_none(),
            "another account at the address waits"
        );
        let other = Receiving::take(42, "203.0.113.9");
        assert!(other.is_some(), "another sender does not");
        drop((first, other));
        let again = Receiving::take(41, "198.51.100.7");
        assert!(again.is_some(), "its place is given back");
    }
}
