//! Exhibitions composed in the site, as `yodnoma import exhibition` composes them from a file:
//! an exhibition's texts in each language, its sections in order, the narrative blocks and the
//! exhibits of each section in order, preview of a draft, and publishing, which is refused while
//! an image lacks alt text in one of the exhibition's languages (each missing one is listed).
//! Exhibits are described and their images uploaded on a form of their own.
//!
//! Open to accounts that may curate (admins and curators). Every form that changes something
//! carries the session's form value; every change is written to the audit log with the
//! exhibition or exhibit before and after. Changes are made on the stored exhibition by position
//! (move section 2 up, delete block 1 of section 3), and each form names the position it was
//! drawn for, so a position that no longer exists is refused rather than guessed.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use yodnoma_core::{
    Action, Block, Exhibit, ExhibitId, Exhibition, ExhibitionId, Image, ImageId, Language,
    LanguageMap, PersonId, PublicationStatus, Section, missing_alt,
};
use yodnoma_db::{Edit, Session};

use crate::accounts::{self, SignedIn};
use crate::forms::FormFields;
use crate::i18n::Locale;
use crate::load;
use crate::pages::{Chrome, render};
use crate::views::Localized;
use crate::{AppState, WebError};

/// The longest text of one language (a narrative block, an introduction).
const MAX_TEXT_CHARS: usize = 20_000;
/// The longest one-line field (a creator, a date, an inventory number).
const MAX_LINE_CHARS: usize = 300;
/// The largest exhibit form, image included: a museum's master scan may be large.
pub const MAX_EXHIBIT_REQUEST_BYTES: usize = yodnoma_media::MAX_BYTES + 1024 * 1024;

/// The inputs of one text in every language: `{name}_{tag}`.
pub struct Texts {
    /// Before each input's id: unique on the page where one name appears in several forms.
    pub id_prefix: String,
    pub name: String,
    pub label: String,
    pub multiline: bool,
    pub values: Vec<TextValue>,
}

pub struct TextValue {
    pub tag: &'static str,
    pub language: &'static str,
    pub value: String,
}

impl Texts {
    fn new(name: &str, label: String, multiline: bool, map: &LanguageMap) -> Self {
        Self {
            id_prefix: String::new(),
            name: name.to_owned(),
            label,
            multiline,
            values: Language::ALL
                .into_iter()
                .map(|lang| TextValue {
                    tag: lang.tag(),
                    language: lang.endonym(),
                    value: map.exact(lang).unwrap_or_default().to_owned(),
                })
                .collect(),
        }
    }

    fn ids(mut self, prefix: String) -> Self {
        self.id_prefix = prefix;
        self
    }
}

/// A language map from the fields `{name}_{tag}`; blank ones are left out.
fn texts(form: &FormFields, name: &str) -> Result<LanguageMap, WebError> {
    let mut map = LanguageMap::new();
    for lang in Language::ALL {
        let field = format!("{name}_{}", lang.tag());
        if let Some(text) = form
            .optional(&field)
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(WebError::BadRequest(format!(
                    "form field `{field}`: at most {MAX_TEXT_CHARS} characters"
                )));
            }
            map.insert(lang, text);
        }
    }
    Ok(map)
}

/// [`texts`] that may not be blank in every language: `what` needs it ("an exhibition needs a
/// title").
fn required_texts(form: &FormFields, name: &str, what: &str) -> Result<LanguageMap, WebError> {
    let map = texts(form, name)?;
    if map.is_empty() {
        return Err(WebError::BadRequest(format!(
            "form field `{name}`: {what} in at least one language"
        )));
    }
    Ok(map)
}

/// A one-line field, `None` when blank.
fn line(form: &FormFields, name: &str) -> Result<Option<String>, WebError> {
    match form.optional(name).map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) if text.chars().count() > MAX_LINE_CHARS || text.contains('\n') => {
            Err(WebError::BadRequest(format!(
                "form field `{name}`: one line of at most {MAX_LINE_CHARS} characters"
            )))
        }
        other => Ok(other.map(str::to_owned)),
    }
}

/// A position in a list of `len` from the 0-based field `name`.
fn position(form: &FormFields, name: &str, len: usize) -> Result<usize, WebError> {
    let n = form.number(name)?;
    usize::try_from(n).ok().filter(|&i| i < len).ok_or_else(|| {
        WebError::BadRequest(format!(
            "form field `{name}`: there is no item {n} (the page may be out of date: reload it)"
        ))
    })
}

/// A short fingerprint of an item as a page showed it. A form that changes the item at a
/// position carries it (`{name}_was`), and the change is refused when the item there is no
/// longer that one: a second click on "delete", or a page left open while another curator
/// moved things.
fn fingerprint(item: &impl serde::Serialize) -> String {
    use blake2::Digest;
    let json = serde_json::to_vec(item).unwrap_or_default();
    blake2::Blake2b512::digest(&json)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// [`position`], and the item there the one the page showed, when the form says which.
fn position_of<T: serde::Serialize>(
    form: &FormFields,
    name: &str,
    items: &[T],
    identity: impl Fn(&T) -> String,
) -> Result<usize, WebError> {
    let at = position(form, name, items.len())?;
    match form.optional(&format!("{name}_was")) {
        Some(was) if was != identity(&items[at]) => Err(WebError::BadRequest(format!(
            "form field `{name}`: the item at {at} is no longer the one on your page (it was changed or moved since): reload the page"
        ))),
        _ => Ok(at),
    }
}

/// Moves item `at` of `items` one place up or down (`dir`), within the list: where it is now.
fn shift<T>(items: &mut [T], at: usize, form: &FormFields) -> Result<usize, WebError> {
    let to = match form.text("dir")? {
        "up" => at.checked_sub(1),
        "down" => Some(at + 1).filter(|&to| to < items.len()),
        other => {
            return Err(WebError::BadRequest(format!(
                "form field `dir`: `{other}` is neither `up` nor `down`"
            )));
        }
    };
    match to {
        Some(to) => {
            items.swap(at, to);
            Ok(to)
        }
        None => Ok(at),
    }
}

fn curate(signed: &SignedIn, next: &str) -> Result<Session, WebError> {
    accounts::require(signed, Action::Curate, next)
}

fn exhibition_id(text: &str) -> Result<ExhibitionId, WebError> {
    ExhibitionId::parse(text.trim())
        .map_err(|e| WebError::BadRequest(format!("form field `id`: {e}")))
}

/// Saves a curator's change of an exhibition made on revision `seen` of it, with its audit
/// entry: refused (409) when another change was saved since.
async fn save(
    state: &AppState,
    session: &Session,
    action: &str,
    (before, seen): (Option<&Exhibition>, i64),
    after: &Exhibition,
) -> Result<(), WebError> {
    let edit = Edit {
        actor: &session.user.email,
        action,
        seen,
        before,
    };
    Ok(state.store.save_exhibition_over(after, edit).await?)
}

/// An exhibition as stored now, drafts too, and its revision. The revision is read first: a
/// change saved in between leaves it older than what was read, so that a save on it is refused,
/// never let through.
async fn exhibition_at(state: &AppState, id: &str) -> Result<(Exhibition, i64), WebError> {
    let revision = match ExhibitionId::parse(id) {
        Ok(x) => state.store.exhibition_revision(&x).await?,
        Err(_) => 0,
    };
    Ok((load::exhibition_or_draft(state, id).await?, revision))
}

/// The revision a form was shown at (`revision`), or else `stored`, read with the state the
/// change applies to.
fn seen_revision(form: &FormFields, stored: i64) -> Result<i64, WebError> {
    match form.optional("revision") {
        Some(text) => text.trim().parse().map_err(|_| {
            WebError::BadRequest(format!("form field `revision`: `{text}` is not a number"))
        }),
        None => Ok(stored),
    }
}

pub struct ExhibitionRow {
    pub id: String,
    pub title: Localized,
    pub published: bool,
}

#[derive(Template)]
#[template(path = "curate.html")]
struct CuratePage {
    page: Chrome,
    csrf: String,
    exhibitions: Vec<ExhibitionRow>,
    title: Texts,
}

/// `GET /curate`: every exhibition, drafts included, and the form of a new one.
pub async fn list(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
) -> Result<Response, WebError> {
    let session = curate(&signed, "/curate")?;
    let exhibitions = state.store.list_exhibitions(true).await?;
    render(&CuratePage {
        title: Texts::new(
            "title",
            l.t("curate-field-title"),
            false,
            &LanguageMap::new(),
        ),
        page: Chrome::new(l.clone(), l.t("curate-title")),
        csrf: session.csrf,
        exhibitions: exhibitions
            .iter()
            .map(|x| ExhibitionRow {
                id: x.id.to_string(),
                title: Localized::new(&x.title, &l),
                published: x.status == PublicationStatus::Published,
            })
            .collect(),
    })
}

/// `POST /curate/exhibitions`: `id`, `title_{tag}`. A new exhibition, a draft in every language.
pub async fn create(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormFields::parse(&body);
    let session = accounts::require_form(&signed, Action::Curate, &form)?;
    let id = exhibition_id(form.text("id")?)?;
    if state.store.exhibition(&id, true).await?.is_some() {
        return Err(WebError::BadRequest(format!(
            "form field `id`: exhibition {id} exists already; choose another id"
        )));
    }
    let title = required_texts(&form, "title", "an exhibition needs a title")?;
    let exhibition = Exhibition {
        id,
        title,
        introduction: LanguageMap::new(),
        curator: None,
        institution: LanguageMap::new(),
        status: PublicationStatus::Draft,
        languages: Language::ALL.to_vec(),
        sections: Vec::new(),
    };
    save(
        &state,
        &session,
        "create exhibition",
        (None, 0),
        &exhibition,
    )
    .await?;
    Ok(Redirect::to(&format!("/curate/exhibitions/{}", exhibition.id)).into_response())
}

pub struct SectionEditor {
    pub index: usize,
    /// Its [`fingerprint`], by its title.
    pub was: String,
    pub title: Texts,
    pub blocks: Vec<BlockEditor>,
    pub exhibits: Vec<ExhibitRow>,
    /// The inputs of a new block.
    pub new_text: Texts,
    pub new_attribution: Texts,
}

pub struct BlockEditor {
    pub index: usize,
    pub was: String,
    pub quote: bool,
    pub text: Texts,
    pub attribution: Texts,
}

pub struct ExhibitRow {
    pub index: usize,
    pub id: String,
    pub title: Localized,
    /// "2 images".
    pub images: String,
}

pub struct MissingView {
    pub exhibit: String,
    pub text: String,
}

pub struct LanguageChoice {
    pub tag: &'static str,
    pub language: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "curate_exhibition.html")]
struct EditorPage {
    page: Chrome,
    csrf: String,
    /// The revision shown, which every form sends back.
    revision: i64,
    id: String,
    published: bool,
    /// A publication just refused: the list below says why.
    refused: bool,
    details: Vec<Texts>,
    curator: String,
    languages: Vec<LanguageChoice>,
    sections: Vec<SectionEditor>,
    new_section: Texts,
    choices: Vec<(String, String)>,
    missing: Vec<MissingView>,
}

impl EditorPage {
    fn last_section(&self) -> usize {
        self.sections.len().saturating_sub(1)
    }
}

async fn editor(
    state: &AppState,
    l: &Locale,
    session: &Session,
    (exhibition, revision): (&Exhibition, i64),
    refused: bool,
) -> Result<Response, WebError> {
    let mut sections = Vec::with_capacity(exhibition.sections.len());
    let mut shown = Vec::new();
    for (index, section) in exhibition.sections.iter().enumerate() {
        let exhibits = state.store.exhibits(&section.exhibits).await?;
        let prefix = format!("s{index}");
        sections.push(SectionEditor {
            index,
            was: fingerprint(&section.title),
            title: Texts::new(
                &format!("{prefix}-title"),
                l.t("curate-field-section-title"),
                false,
                &section.title,
            ),
            blocks: section
                .blocks
                .iter()
                .enumerate()
                .map(|(b, block)| {
                    let (quote, text, attribution) = match block {
                        Block::Text { text } => (false, text, LanguageMap::new()),
                        Block::Quote { text, attribution } => (true, text, attribution.clone()),
                    };
                    let name = format!("{prefix}-b{b}");
                    BlockEditor {
                        index: b,
                        was: fingerprint(block),
                        quote,
                        text: Texts::new(
                            &format!("{name}-text"),
                            l.t("curate-field-text"),
                            true,
                            text,
                        ),
                        attribution: Texts::new(
                            &format!("{name}-attribution"),
                            l.t("curate-field-attribution"),
                            false,
                            &attribution,
                        ),
                    }
                })
                .collect(),
            exhibits: exhibits
                .iter()
                .enumerate()
                .map(|(e, x)| ExhibitRow {
                    index: e,
                    id: x.id.to_string(),
                    title: Localized::new(&x.title, l),
                    images: l.count("curate-images", x.images.len()),
                })
                .collect(),
            new_text: Texts::new("text", l.t("curate-field-text"), true, &LanguageMap::new())
                .ids(format!("{prefix}-new-")),
            new_attribution: Texts::new(
                "attribution",
                l.t("curate-field-attribution-quote"),
                false,
                &LanguageMap::new(),
            )
            .ids(format!("{prefix}-new-")),
        });
        shown.extend(exhibits);
    }
    let placed: Vec<&ExhibitId> = exhibition
        .sections
        .iter()
        .flat_map(|s| &s.exhibits)
        .collect();
    let choices = state
        .store
        .exhibit_titles()
        .await?
        .into_iter()
        .filter(|(id, _)| !placed.contains(&id))
        .map(|(id, title)| (id.to_string(), format!("{} ({id})", l.pick(&title))))
        .collect();
    let missing = missing_alt(&shown, &exhibition.languages)
        .into_iter()
        .map(|m| MissingView {
            exhibit: m.exhibit.to_string(),
            text: l.t_args(
                "curate-missing-alt",
                &[
                    ("exhibit", m.exhibit.to_string()),
                    ("image", m.image.to_string()),
                    ("language", m.lang.endonym().to_owned()),
                ],
            ),
        })
        .collect();
    let page = EditorPage {
        page: Chrome::new(
            l.clone(),
            format!("{}: {}", l.t("curate-edit"), l.pick(&exhibition.title)),
        ),
        csrf: session.csrf.clone(),
        revision,
        id: exhibition.id.to_string(),
        published: exhibition.status == PublicationStatus::Published,
        refused,
        details: vec![
            Texts::new("title", l.t("curate-field-title"), false, &exhibition.title),
            Texts::new(
                "introduction",
                l.t("curate-field-introduction"),
                true,
                &exhibition.introduction,
            ),
            Texts::new(
                "institution",
                l.t("curate-field-institution"),
                false,
                &exhibition.institution,
            ),
        ],
        curator: exhibition.curator.clone().unwrap_or_default(),
        languages: Language::ALL
            .into_iter()
            .map(|lang| LanguageChoice {
                tag: lang.tag(),
                language: lang.endonym(),
                checked: exhibition.languages.contains(&lang),
            })
            .collect(),
        sections,
        new_section: Texts::new(
            "title",
            l.t("curate-field-section-title"),
            false,
            &LanguageMap::new(),
        )
        .ids("new-section-".to_owned()),
        choices,
        missing,
    };
    let html = page.render()?;
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = (status, axum::response::Html(html)).into_response();
    // A refusal that is the editor itself, with the reasons: not to be replaced by an error page.
    response.extensions_mut().insert(crate::error::Rendered);
    Ok(response)
}

/// `GET /curate/exhibitions/{id}`: the editor of an exhibition.
pub async fn edit(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let session = curate(&signed, &format!("/curate/exhibitions/{id}"))?;
    let (exhibition, revision) = exhibition_at(&state, &id).await?;
    editor(&state, &l, &session, (&exhibition, revision), false).await
}

/// `GET /curate/exhibitions/{id}/preview`: the exhibition as visitors will see it, draft or not.
pub async fn preview(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    curate(&signed, &format!("/curate/exhibitions/{id}/preview"))?;
    let exhibition = load::exhibition_or_draft(&state, &id).await?;
    crate::pages::exhibition_page(&state, &l, &exhibition, true).await
}

/// A narrative block from `{prefix}text_{tag}` (and `{prefix}attribution_{tag}` for a quote).
fn block(form: &FormFields, prefix: &str) -> Result<Block, WebError> {
    let text = required_texts(form, &format!("{prefix}text"), "a block needs its text")?;
    Ok(match form.optional("kind") {
        Some("quote") => Block::Quote {
            text,
            attribution: texts(form, &format!("{prefix}attribution"))?,
        },
        Some("text") | None => Block::Text { text },
        Some(other) => {
            return Err(WebError::BadRequest(format!(
                "form field `kind`: `{other}` is neither `text` nor `quote`"
            )));
        }
    })
}

/// Every alt text missing from the images `exhibition` shows, in its languages.
async fn missing(
    state: &AppState,
    exhibition: &Exhibition,
) -> Result<Vec<yodnoma_core::MissingAlt>, WebError> {
    let shown: Vec<ExhibitId> = exhibition
        .sections
        .iter()
        .flat_map(|s| s.exhibits.clone())
        .collect();
    let exhibits = state.store.exhibits(&shown).await?;
    Ok(missing_alt(&exhibits, &exhibition.languages))
}

/// Refuses a change of a published exhibition that leaves alt text missing, listing each.
fn refuse_incomplete(
    exhibition: &Exhibition,
    missing: &[yodnoma_core::MissingAlt],
) -> Result<(), WebError> {
    if missing.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
    Err(WebError::BadRequest(format!(
        "exhibition {} is published, and this change would leave alt text missing: {}. Write \
         the alt text first, or withdraw the exhibition to draft",
        exhibition.id,
        list.join("; ")
    )))
}

/// `POST /curate/exhibitions/{id}`: one change, named by `op`, to the stored exhibition.
/// `details` (texts, `curator`, `lang_{tag}`); `add-section`, `section`, `move-section`,
/// `delete-section` (`section`, `dir`); `add-block`, `block`, `move-block`, `delete-block`
/// (`section`, `block`, `kind`); `add-exhibit` (`exhibit`), `move-exhibit`,
/// `remove-exhibit` (`section`, `item`); `publish`, `unpublish`.
pub async fn change(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormFields::parse(&body);
    let session = accounts::require_form(&signed, Action::Curate, &form)?;
    let (before, stored) = exhibition_at(&state, &id).await?;
    let seen = seen_revision(&form, stored)?;
    let mut x = before.clone();
    let op = form.text("op")?;
    let sections = x.sections.len();
    let mut anchor = String::new();
    match op {
        "details" => {
            x.title = required_texts(&form, "title", "an exhibition needs a title")?;
            x.introduction = texts(&form, "introduction")?;
            x.institution = texts(&form, "institution")?;
            x.curator = line(&form, "curator")?;
            x.languages = Language::ALL
                .into_iter()
                .filter(|lang| form.optional(&format!("lang_{}", lang.tag())).is_some())
                .collect();
            if x.languages.is_empty() {
                return Err(WebError::BadRequest(
                    "form field `lang`: publish the exhibition in at least one language".to_owned(),
                ));
            }
        }
        "add-section" => {
            let title = required_texts(&form, "title", "a section needs a title")?;
            x.sections.push(Section {
                title,
                blocks: Vec::new(),
                exhibits: Vec::new(),
            });
            anchor = format!("section-{}", x.sections.len() - 1);
        }
        "section" | "move-section" | "delete-section" => {
            let s = position_of(&form, "section", &x.sections, |s| fingerprint(&s.title))?;
            anchor = format!("section-{s}");
            match op {
                "section" => {
                    x.sections[s].title =
                        required_texts(&form, &format!("s{s}-title"), "a section needs a title")?;
                }
                "move-section" => {
                    let to = shift(&mut x.sections, s, &form)?;
                    anchor = format!("section-{to}");
                }
                _ => {
                    x.sections.remove(s);
                    anchor.clear();
                }
            }
        }
        "add-block" | "block" | "move-block" | "delete-block" => {
            let s = position(&form, "section", sections)?;
            anchor = format!("section-{s}");
            let blocks = &mut x.sections[s].blocks;
            match op {
                "add-block" => blocks.push(block(&form, "")?),
                _ => {
                    let b = position_of(&form, "block", blocks, fingerprint)?;
                    match op {
                        "block" => blocks[b] = block(&form, &format!("s{s}-b{b}-"))?,
                        "move-block" => {
                            shift(blocks, b, &form)?;
                        }
                        _ => {
                            blocks.remove(b);
                        }
                    }
                }
            }
        }
        "add-exhibit" => {
            let s = position(&form, "section", sections)?;
            anchor = format!("section-{s}");
            let exhibit = ExhibitId::parse(form.text("exhibit")?.trim())
                .map_err(|e| WebError::BadRequest(format!("form field `exhibit`: {e}")))?;
            if state.store.exhibit(&exhibit).await?.is_none() {
                return Err(WebError::BadRequest(format!(
                    "form field `exhibit`: no exhibit {exhibit} is stored"
                )));
            }
            if x.sections.iter().any(|s| s.exhibits.contains(&exhibit)) {
                return Err(WebError::BadRequest(format!(
                    "exhibit {exhibit} is shown in this exhibition already"
                )));
            }
            x.sections[s].exhibits.push(exhibit);
        }
        "move-exhibit" | "remove-exhibit" => {
            let s = position(&form, "section", sections)?;
            anchor = format!("section-{s}");
            let exhibits = &mut x.sections[s].exhibits;
            let e = position_of(&form, "item", exhibits, ToString::to_string)?;
            if op == "move-exhibit" {
                shift(exhibits, e, &form)?;
            } else {
                exhibits.remove(e);
            }
        }
        "publish" => {
            if !missing(&state, &x).await?.is_empty() {
                return editor(&state, &l, &session, (&x, seen), true).await;
            }
            x.status = PublicationStatus::Published;
        }
        "unpublish" => x.status = PublicationStatus::Draft,
        other => {
            return Err(WebError::BadRequest(format!(
                "form field `op`: `{other}` is not a change of an exhibition"
            )));
        }
    }
    // A published exhibition stays complete: a change that would leave an image without alt text
    // in one of its languages (a new exhibit, a new language) waits until it is withdrawn.
    if x.status == PublicationStatus::Published && op != "publish" {
        refuse_incomplete(&x, &missing(&state, &x).await?)?;
    }
    save(
        &state,
        &session,
        &format!("edit exhibition: {op}"),
        (Some(&before), seen),
        &x,
    )
    .await?;
    let to = if anchor.is_empty() {
        format!("/curate/exhibitions/{}", x.id)
    } else {
        format!("/curate/exhibitions/{}#{anchor}", x.id)
    };
    Ok(Redirect::to(&to).into_response())
}

pub struct ImageEditor {
    pub id: String,
    pub thumbnail: String,
    /// The thumbnail's alt text: what is written so far, in the reader's language if it can.
    pub alt_text: String,
    pub alt: Texts,
}

#[derive(Template)]
#[template(path = "curate_exhibit.html")]
struct ExhibitForm {
    page: Chrome,
    csrf: String,
    /// The revision shown (0 for a new exhibit), which the form sends back.
    revision: i64,
    new: bool,
    id: String,
    exhibition: String,
    section: String,
    texts: Vec<Texts>,
    lines: Vec<(&'static str, String, String)>,
    depicts: String,
    images: Vec<ImageEditor>,
    new_alt: Texts,
}

#[derive(serde::Deserialize)]
pub struct ExhibitPlace {
    exhibition: Option<String>,
    section: Option<String>,
}

/// `GET /curate/exhibits/new?exhibition=…&section=…`: the form of a new exhibit, to be placed
/// at the end of that section once saved.
pub async fn new_exhibit(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Query(place): Query<ExhibitPlace>,
) -> Result<Response, WebError> {
    let session = curate(&signed, "/curate")?;
    let empty = Exhibit {
        id: ExhibitId::parse("new").map_err(|e| WebError::Internal(e.to_string()))?,
        title: LanguageMap::new(),
        description: LanguageMap::new(),
        creator: None,
        date: None,
        technique: LanguageMap::new(),
        dimensions: None,
        institution: LanguageMap::new(),
        inventory_number: None,
        rights: None,
        images: Vec::new(),
        persons: Vec::new(),
    };
    exhibit_form(&state, &l, &session, (&empty, 0), true, place).await
}

/// `GET /curate/exhibits/{id}`: the form of a stored exhibit.
pub async fn edit_exhibit(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    Path(id): Path<String>,
    Query(place): Query<ExhibitPlace>,
) -> Result<Response, WebError> {
    let session = curate(&signed, &format!("/curate/exhibits/{id}"))?;
    let missing = || WebError::NotFound(format!("no exhibit {id}"));
    let exhibit_id = exhibit_id(&id).map_err(|_| missing())?;
    // Read before the exhibit: see `exhibition_at`.
    let revision = state.store.exhibit_revision(&exhibit_id).await?;
    let exhibit = state
        .store
        .exhibit(&exhibit_id)
        .await?
        .ok_or_else(missing)?;
    exhibit_form(&state, &l, &session, (&exhibit, revision), false, place).await
}

fn exhibit_id(text: &str) -> Result<ExhibitId, WebError> {
    ExhibitId::parse(text.trim()).map_err(|e| WebError::BadRequest(format!("form field `id`: {e}")))
}

async fn exhibit_form(
    state: &AppState,
    l: &Locale,
    session: &Session,
    (exhibit, revision): (&Exhibit, i64),
    new: bool,
    place: ExhibitPlace,
) -> Result<Response, WebError> {
    // Depicted persons are shown as one of their records, the form in which they are written;
    // one merged into another since as that one, and one without records by its id, so that
    // saving the form keeps every person it had.
    let mut depicts = Vec::with_capacity(exhibit.persons.len());
    for person in &exhibit.persons {
        let person = state
            .store
            .person_redirect(person)
            .await?
            .unwrap_or_else(|| person.clone());
        let record = state.store.person(&person).await?.and_then(|p| {
            p.records
                .first()
                .map(|r| format!("{}:{}", r.source, r.record.record_id))
        });
        depicts.push(record.unwrap_or_else(|| person.to_string()));
    }
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    render(&ExhibitForm {
        page: Chrome::new(
            l.clone(),
            if new {
                l.t("curate-new-exhibit")
            } else {
                format!("{}: {}", l.t("curate-edit"), l.pick(&exhibit.title))
            },
        ),
        csrf: session.csrf.clone(),
        revision,
        new,
        id: if new {
            String::new()
        } else {
            exhibit.id.to_string()
        },
        exhibition: place.exhibition.unwrap_or_default(),
        section: place.section.unwrap_or_default(),
        texts: vec![
            Texts::new("title", l.t("curate-field-title"), false, &exhibit.title),
            Texts::new(
                "description",
                l.t("curate-field-description"),
                true,
                &exhibit.description,
            ),
            Texts::new(
                "technique",
                l.t("curate-field-technique"),
                false,
                &exhibit.technique,
            ),
            Texts::new(
                "institution",
                l.t("curate-field-museum"),
                false,
                &exhibit.institution,
            ),
        ],
        lines: vec![
            (
                "creator",
                l.t("curate-field-creator"),
                text(&exhibit.creator),
            ),
            ("date", l.t("curate-field-date"), text(&exhibit.date)),
            (
                "dimensions",
                l.t("curate-field-dimensions"),
                text(&exhibit.dimensions),
            ),
            (
                "inventory_number",
                l.t("curate-field-inventory"),
                text(&exhibit.inventory_number),
            ),
            ("rights", l.t("curate-field-rights"), text(&exhibit.rights)),
        ],
        depicts: depicts.join("\n"),
        images: exhibit
            .images
            .iter()
            .enumerate()
            .map(|(index, image)| ImageEditor {
                id: image.id.to_string(),
                thumbnail: format!(
                    "/iiif/3/{}/full/{}/0/default.jpg",
                    image.id,
                    yodnoma_media::iiif::fitting_size(image.width, image.height, 240)
                ),
                alt_text: l.pick(&image.alt).to_owned(),
                alt: Texts::new(
                    &format!("alt{index}"),
                    l.t("curate-field-alt"),
                    false,
                    &image.alt,
                ),
            })
            .collect(),
        new_alt: Texts::new(
            "image_alt",
            l.t("curate-field-alt"),
            false,
            &LanguageMap::new(),
        ),
    })
}

/// The exhibit form's fields, and the bytes of the image it uploads, if any.
async fn read_exhibit_form(
    mut multipart: Multipart,
) -> Result<(FormFields, Option<Vec<u8>>), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("the form could not be read: {e}"))
    };
    let (mut fields, mut image) = (Vec::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "image" {
            let bytes = field.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                image = Some(Vec::from(bytes));
            }
        } else {
            fields.push((name, field.text().await.map_err(bad)?));
        }
    }
    Ok((FormFields::from_pairs(fields), image))
}

/// `POST /curate/exhibits` (multipart): an exhibit created (`new=1`) or changed. `id`;
/// `title_{tag}`, `description_{tag}`, `technique_{tag}`, `institution_{tag}`; `creator`,
/// `date`, `dimensions`, `inventory_number`, `rights`; `depicts` (a line each: `SOURCE:RECORD_ID`
/// or a person's id); `alt{n}_{tag}` for its stored images; `image` with `image_alt_{tag}` and
/// `image_rights` for one more; `exhibition` and `section` to place a new exhibit at the end of
/// that section. Every field is checked before the image is stored, and an image stored by a
/// request that then fails is removed again.
pub async fn save_exhibit(
    State(state): State<AppState>,
    Extension(signed): Extension<SignedIn>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // Who may send is settled before the body is read.
    curate(&signed, "/curate").map_err(|_| {
        WebError::Forbidden("sign in with an account that may curate exhibitions first".to_owned())
    })?;
    let multipart = multipart
        .map_err(|e| WebError::BadRequest(format!("the form is not a multipart upload: {e}")))?;
    let (form, upload) = read_exhibit_form(multipart).await?;
    let session = accounts::require_form(&signed, Action::Curate, &form)?;
    let id = exhibit_id(form.text("id")?)?;
    // Read before the exhibit: see `exhibition_at`.
    let stored = state.store.exhibit_revision(&id).await?;
    let seen = seen_revision(&form, stored)?;
    let before = state.store.exhibit(&id).await?;
    // Its images take its id, and images named so would be families' photos.
    if id.as_str().starts_with(ImageId::FAMILY_PREFIX) {
        return Err(WebError::BadRequest(format!(
            "form field `id`: ids beginning with `{}` are kept for families' photos; choose another",
            ImageId::FAMILY_PREFIX
        )));
    }
    if id.as_str() == "new" {
        return Err(WebError::BadRequest(
            "form field `id`: `new` is the address of the form of a new exhibit; choose another id"
                .to_owned(),
        ));
    }
    if let Some(why) = state.store.id_clash(id.as_str(), true).await? {
        return Err(WebError::BadRequest(format!("form field `id`: {why}")));
    }
    if form.optional("new") == Some("1") && before.is_some() {
        return Err(WebError::BadRequest(format!(
            "form field `id`: exhibit {id} exists already; choose another id, or open it to change it"
        )));
    }
    let exhibition = match form.optional("exhibition").filter(|x| !x.is_empty()) {
        Some(text) => Some(
            ExhibitionId::parse(text)
                .map_err(|e| WebError::BadRequest(format!("form field `exhibition`: {e}")))?,
        ),
        None => None,
    };
    let mut exhibit = exhibit_from_form(&state, &form, &id, before.as_ref()).await?;
    // A new exhibit is placed at the end of the section it was made from.
    let placement = match (&exhibition, &before) {
        (Some(x), None) => {
            let x = load::exhibition_or_draft(&state, x.as_str()).await?;
            let s = position(&form, "section", x.sections.len())?;
            Some((x, s))
        }
        _ => None,
    };
    let new_image = match upload {
        Some(bytes) => {
            let alt = texts(&form, "image_alt")?;
            if alt.is_empty() {
                return Err(WebError::BadRequest(
                    "form field `image_alt`: say what the image shows, for those who cannot see it"
                        .to_owned(),
                ));
            }
            let image = Image {
                id: new_image_id(&state, &exhibit).await?,
                media_type: String::new(),
                width: 0,
                height: 0,
                alt,
                rights: line(&form, "image_rights")?.or_else(|| exhibit.rights.clone()),
                placeholder: false,
            };
            Some((bytes, image))
        }
        None => None,
    };
    // The published exhibitions that show it (or will) stay complete, new image included.
    let mut published = state.store.exhibitions_showing(&id).await?;
    if let Some((x, _)) = &placement
        && x.status == PublicationStatus::Published
    {
        published.push(x.clone());
    }
    let mut with_new = exhibit.clone();
    with_new
        .images
        .extend(new_image.iter().map(|(_, image)| image.clone()));
    for x in &published {
        refuse_incomplete(
            x,
            &missing_alt(std::slice::from_ref(&with_new), &x.languages),
        )?;
    }
    let mut unsaved = crate::unsaved::Unsaved::new(&state.store, &state.media);
    if let Some((bytes, mut image)) = new_image {
        let stored = unsaved.store(&image.id, bytes, false).await?;
        image.media_type = stored.media_type.to_owned();
        (image.width, image.height) = (stored.width, stored.height);
        exhibit.images.push(image);
    }
    // The exhibit and its audit entry are saved together, or neither is: a new image stays
    // only with it.
    let saved = describe(&state, &session, &exhibit, (before.as_ref(), seen)).await;
    match saved {
        Ok(()) => unsaved.keep(),
        Err(_) => unsaved.discard().await,
    }
    saved?;
    let to = match (&exhibition, placement.map(|(_, s)| s)) {
        (Some(x), Some(s)) => {
            place(&state, &session, x, s, &id).await?;
            format!("/curate/exhibitions/{x}#section-{s}")
        }
        (Some(x), None) => format!("/curate/exhibitions/{x}"),
        (None, _) => format!("/curate/exhibits/{id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The exhibit the form describes: its texts, its persons, and the alt texts of the images it
/// has already (`before`).
async fn exhibit_from_form(
    state: &AppState,
    form: &FormFields,
    id: &ExhibitId,
    before: Option<&Exhibit>,
) -> Result<Exhibit, WebError> {
    let title = required_texts(form, "title", "an exhibit needs a title")?;
    let mut persons: Vec<PersonId> = Vec::new();
    let references = form.optional("depicts").unwrap_or_default();
    for (n, reference) in references
        .lines()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .enumerate()
    {
        let kept = before
            .into_iter()
            .flat_map(|b| &b.persons)
            .find(|p| p.as_str() == reference);
        let person = match (reference.contains(':'), kept) {
            (true, _) => state.store.depicted_person(reference).await?,
            // A person the exhibit had, named by id: kept as it was.
            (false, Some(person)) => Ok(person.clone()),
            (false, None) => known_person(state, reference).await?,
        }
        .map_err(|why| {
            WebError::BadRequest(format!("form field `depicts`, line {}: {why}", n + 1))
        })?;
        if !persons.contains(&person) {
            persons.push(person);
        }
    }
    let mut images = before.map(|b| b.images.clone()).unwrap_or_default();
    for (index, image) in images.iter_mut().enumerate() {
        let alt = texts(form, &format!("alt{index}"))?;
        if alt.is_empty() {
            return Err(WebError::BadRequest(format!(
                "form field `alt{index}`: image {} needs alt text, for those who cannot see it",
                image.id
            )));
        }
        image.alt = alt;
    }
    Ok(Exhibit {
        id: id.clone(),
        title,
        description: texts(form, "description")?,
        creator: line(form, "creator")?,
        date: line(form, "date")?,
        technique: texts(form, "technique")?,
        dimensions: line(form, "dimensions")?,
        institution: texts(form, "institution")?,
        inventory_number: line(form, "inventory_number")?,
        rights: line(form, "rights")?,
        images,
        persons,
    })
}

/// A person named by id (as the exhibit's form writes one it cannot name by a record): the
/// person it was merged into, if it was.
async fn known_person(
    state: &AppState,
    text: &str,
) -> Result<std::result::Result<PersonId, String>, WebError> {
    let Ok(id) = PersonId::parse(text) else {
        return Ok(Err(format!(
            "{text:?}: write SOURCE:RECORD_ID, the source record of the person shown"
        )));
    };
    let id = state.store.person_redirect(&id).await?.unwrap_or(id);
    Ok(match state.store.person(&id).await? {
        Some(_) => Ok(id),
        None => Err(format!("{text:?}: no such person")),
    })
}

/// Saves an exhibit made on revision `seen` of it, and its images, with the audit entry:
/// refused (409) when another change was saved since.
async fn describe(
    state: &AppState,
    session: &Session,
    exhibit: &Exhibit,
    (before, seen): (Option<&Exhibit>, i64),
) -> Result<(), WebError> {
    // The images' rows are written with the exhibit, in its transaction.
    let action = if before.is_some() {
        "edit exhibit"
    } else {
        "create exhibit"
    };
    let edit = Edit {
        actor: &session.user.email,
        action,
        seen,
        before,
    };
    Ok(state.store.save_exhibit_over(exhibit, edit).await?)
}

/// Places a saved exhibit at the end of section `s`, on the exhibition as stored now (an upload
/// may have taken a while, and another curator may have changed it meanwhile).
async fn place(
    state: &AppState,
    session: &Session,
    exhibition: &ExhibitionId,
    s: usize,
    exhibit: &ExhibitId,
) -> Result<(), WebError> {
    let (before, seen) = exhibition_at(state, exhibition.as_str()).await?;
    if before
        .sections
        .iter()
        .any(|sec| sec.exhibits.contains(exhibit))
    {
        return Ok(());
    }
    let mut x = before.clone();
    let Some(section) = x.sections.get_mut(s) else {
        return Err(WebError::BadRequest(format!(
            "exhibit {exhibit} is saved, but section {s} of exhibition {exhibition} is gone: add the exhibit to a section from the exhibition's page"
        )));
    };
    section.exhibits.push(exhibit.clone());
    if x.status == PublicationStatus::Published {
        refuse_incomplete(&x, &missing(state, &x).await?)?;
    }
    save(
        state,
        session,
        "edit exhibition: add-exhibit",
        (Some(&before), seen),
        &x,
    )
    .await
}

/// The id of an exhibit's next image: the exhibit's own for its first, then `-2`, `-3`… as
/// `yodnoma import exhibition` names them, skipping any taken.
async fn new_image_id(state: &AppState, exhibit: &Exhibit) -> Result<ImageId, WebError> {
    for n in exhibit.images.len() + 1.. {
        let text = if n == 1 {
            exhibit.id.to_string()
        } else {
            format!("{}-{n}", exhibit.id)
        };
        let id = ImageId::parse(&text)
            .map_err(|e| WebError::BadRequest(format!("form field `id`: {e}")))?;
        if state.store.image(&id).await?.is_none() && !state.media.has_original(&id).await? {
            return Ok(id);
        }
    }
    Err(WebError::Internal("no image id is free".to_owned()))
}
