//! The public site: one handler and one template struct per page.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use yodnoma_core::person::{NameForm, PersonAward};
use yodnoma_core::{Block, Column, ImageId, Person};

use crate::i18n::{LanguageLink, Locale};
use crate::params::Params;
use crate::views::{ExhibitCard, ImageView, Localized};
use crate::{AppState, WebError, load};

const PAGE_SIZE: usize = 20;

/// What every page shares: the reader's language and the page title.
pub struct Chrome {
    pub l: Locale,
    pub title: String,
}

impl Chrome {
    fn new(l: Locale, title: String) -> Self {
        Self { l, title }
    }

    pub fn switcher(&self) -> Vec<LanguageLink> {
        self.l.switcher()
    }
}

fn render(template: &impl Template) -> Result<Response, WebError> {
    Ok(Html(template.render()?).into_response())
}

pub async fn health() -> &'static str {
    "ok"
}

pub async fn not_found() -> WebError {
    WebError::NotFound("no such page".to_owned())
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/style.css"),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Chrome,
    status: u16,
    heading: String,
    message: String,
}

/// The page shown for any error, in the reader's language.
pub fn error_page(
    l: &Locale,
    status: StatusCode,
    message: &str,
) -> Result<Html<String>, askama::Error> {
    let (heading, message) = match status {
        StatusCode::NOT_FOUND => (l.t("error-not-found-title"), l.t("error-not-found-text")),
        // The detail names the parameter and value as the request wrote them; the sentence
        // around it is in the reader's language.
        s if s.is_client_error() => (
            l.t("error-bad-request-title"),
            format!("{} {message}", l.t("error-bad-request-text")),
        ),
        _ => (l.t("error-internal-title"), l.t("error-internal-text")),
    };
    let page = ErrorPage {
        page: Chrome::new(l.clone(), heading.clone()),
        status: status.as_u16(),
        heading,
        message,
    };
    Ok(Html(page.render()?))
}

struct ExhibitionSummary {
    url: String,
    title: Localized,
    introduction: Localized,
    institution: Localized,
}

async fn exhibition_summaries(
    state: &AppState,
    l: &Locale,
) -> Result<Vec<ExhibitionSummary>, WebError> {
    Ok(state
        .store
        .list_exhibitions(false)
        .await?
        .iter()
        .map(|x| ExhibitionSummary {
            url: format!("/exhibitions/{}", x.id),
            title: Localized::new(&x.title, l),
            introduction: Localized::new(&x.introduction, l),
            institution: Localized::new(&x.institution, l),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Chrome,
    exhibitions: Vec<ExhibitionSummary>,
    persons: String,
    records: String,
}

pub async fn home(State(state): State<AppState>, l: Locale) -> Result<Response, WebError> {
    let counts = state.counts().await?;
    render(&HomePage {
        exhibitions: exhibition_summaries(&state, &l).await?,
        persons: l.count("count-persons", counts.persons),
        records: l.count("count-records", counts.records),
        page: Chrome::new(l.clone(), l.t("home-title")),
    })
}

struct SearchHitView {
    url: String,
    name: String,
    records: String,
    score: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Chrome,
    query: String,
    summary: Option<String>,
    hits: Vec<SearchHitView>,
    previous: Option<String>,
    next: Option<String>,
    position: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    l: Locale,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    let number = params.number("page", 1, 1, 10_000)?;
    let text = params.text("q").unwrap_or("").to_owned();
    let mut page = SearchPage {
        page: Chrome::new(l.clone(), l.t("search-title")),
        query: text.clone(),
        summary: None,
        hits: Vec::new(),
        previous: None,
        next: None,
        position: None,
    };
    if text.is_empty() {
        page.summary = Some(l.t("search-empty"));
        return render(&page);
    }
    let result = state
        .store
        .search_names(&text, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        .await?;
    page.summary = Some(if result.total == 0 {
        l.t_args("search-none", &[("query", text.clone())])
    } else {
        l.count("search-results", result.total)
    });
    page.hits = result
        .hits
        .iter()
        .map(|h| SearchHitView {
            url: format!("/persons/{}", h.person_id),
            name: h.name.clone(),
            records: l.count("search-records", h.records.len()),
            score: format!("{:.0}%", h.score * 100.0),
        })
        .collect();
    let pages = result.total.div_ceil(PAGE_SIZE);
    let link = |n: usize| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("q", &text)
            .append_pair("page", &n.to_string());
        format!("/search?{}", q.finish())
    };
    if pages > 1 {
        page.position = Some(l.t_args(
            "pagination-page",
            &[("page", number.to_string()), ("pages", pages.to_string())],
        ));
        page.previous = (number > 1).then(|| link(number - 1));
        page.next = (number < pages).then(|| link(number + 1));
    }
    render(&page)
}

struct Fact {
    label: String,
    value: String,
}

struct AwardView {
    label: String,
    text: String,
    date: String,
    source: String,
}

struct NameFormView {
    form: NameForm,
    script: String,
}

struct RecordView {
    source: String,
    record_id: String,
    fields: Vec<Fact>,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    page: Chrome,
    name: String,
    facts: Vec<Fact>,
    awards: Vec<AwardView>,
    names: Vec<NameFormView>,
    records: Vec<RecordView>,
    exhibits: Vec<ExhibitCard>,
}

fn person_facts(person: &Person, l: &Locale) -> Vec<Fact> {
    let fact = |key: &str, value: Option<String>| {
        value.map(|value| Fact {
            label: l.t(key),
            value,
        })
    };
    [
        fact(
            "person-category",
            Some(l.t(&format!("category-{}", person.category().as_str()))),
        ),
        fact("person-born", person.birth_date().map(|d| d.to_string())),
        fact(
            "person-birth-place",
            person.birth_place().map(str::to_owned),
        ),
        fact("person-region", person.region().map(str::to_owned)),
        fact("person-country", person.country().map(str::to_owned)),
        fact(
            "person-nationality",
            person.nationality().map(str::to_owned),
        ),
        fact("person-rank", person.rank().map(str::to_owned)),
        fact("person-unit", person.unit().map(str::to_owned)),
        fact(
            "person-fate",
            person.fate().map(|f| l.t(&format!("fate-{}", f.as_str()))),
        ),
        fact("person-died", person.death_date().map(|d| d.to_string())),
        fact("person-burial", person.burial_place().map(str::to_owned)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn award_view(award: &PersonAward, l: &Locale) -> AwardView {
    AwardView {
        label: l.t(&format!("award-{}", award.kind.key())),
        text: award.text.clone(),
        date: award.date.map(|d| d.to_string()).unwrap_or_default(),
        source: award.source.clone(),
    }
}

pub async fn show_person(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let person = load::person(&state, &id).await?;
    let exhibits = state.store.exhibits_of_person(&person.id).await?;
    let records = person
        .records
        .iter()
        .map(|r| RecordView {
            source: r.source.to_string(),
            record_id: r.record.record_id.clone(),
            fields: Column::ALL
                .into_iter()
                .filter(|c| *c != Column::RecordId)
                .filter_map(|c| {
                    let value = r.record.text(c)?;
                    let value = match c {
                        Column::Category => l.t(&format!("category-{value}")),
                        Column::Fate => l.t(&format!("fate-{value}")),
                        _ => value,
                    };
                    Some(Fact {
                        label: l.t(&format!("column-{}", c.name())),
                        value,
                    })
                })
                .chain(r.record.extra.iter().map(|(k, v)| Fact {
                    label: l.try_t(&format!("column-{k}")).unwrap_or_else(|| k.clone()),
                    value: v.clone(),
                }))
                .collect(),
        })
        .collect();
    let name = person.display_name();
    render(&PersonPage {
        page: Chrome::new(l.clone(), name.clone()),
        facts: person_facts(&person, &l),
        awards: person.awards().iter().map(|a| award_view(a, &l)).collect(),
        names: person
            .name_forms()
            .into_iter()
            .map(|form| NameFormView {
                script: l.t(&format!("script-{}", form.script)),
                form,
            })
            .collect(),
        records,
        exhibits: exhibits.iter().map(|e| ExhibitCard::new(e, &l)).collect(),
        name,
    })
}

#[derive(Template)]
#[template(path = "exhibitions.html")]
struct ExhibitionsPage {
    page: Chrome,
    exhibitions: Vec<ExhibitionSummary>,
}

pub async fn list_exhibitions(
    State(state): State<AppState>,
    l: Locale,
) -> Result<Response, WebError> {
    render(&ExhibitionsPage {
        exhibitions: exhibition_summaries(&state, &l).await?,
        page: Chrome::new(l.clone(), l.t("exhibitions-title")),
    })
}

enum BlockView {
    Text(Localized),
    Quote(Localized, Localized),
}

struct SectionView {
    anchor: String,
    title: Localized,
    blocks: Vec<BlockView>,
    exhibits: Vec<ExhibitCard>,
}

#[derive(Template)]
#[template(path = "exhibition.html")]
struct ExhibitionPage {
    page: Chrome,
    title: Localized,
    introduction: Localized,
    institution: Localized,
    sections: Vec<SectionView>,
}

pub async fn show_exhibition(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let exhibition = load::exhibition(&state, &id).await?;
    let mut sections = Vec::with_capacity(exhibition.sections.len());
    for (index, section) in exhibition.sections.iter().enumerate() {
        let exhibits = state.store.exhibits(&section.exhibits).await?;
        let exhibits = exhibits.iter().map(|e| ExhibitCard::new(e, &l)).collect();
        sections.push(SectionView {
            anchor: format!("section-{}", index + 1),
            title: Localized::new(&section.title, &l),
            blocks: section
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Text { text } => BlockView::Text(Localized::new(text, &l)),
                    Block::Quote { text, attribution } => {
                        BlockView::Quote(Localized::new(text, &l), Localized::new(attribution, &l))
                    }
                })
                .collect(),
            exhibits,
        });
    }
    let title = Localized::new(&exhibition.title, &l);
    render(&ExhibitionPage {
        page: Chrome::new(l.clone(), title.text.clone()),
        introduction: Localized::new(&exhibition.introduction, &l),
        institution: Localized::new(&exhibition.institution, &l),
        title,
        sections,
    })
}

struct PersonLink {
    url: String,
    name: String,
}

struct ExhibitionLink {
    url: String,
    title: Localized,
}

#[derive(Template)]
#[template(path = "exhibit.html")]
struct ExhibitPage {
    page: Chrome,
    title: Localized,
    description: Localized,
    images: Vec<ImageView>,
    facts: Vec<Fact>,
    persons: Vec<PersonLink>,
    exhibitions: Vec<ExhibitionLink>,
}

pub async fn show_exhibit(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let exhibit = load::exhibit(&state, &id).await?;
    let mut persons = Vec::new();
    for person_id in &exhibit.persons {
        if let Some(person) = state.store.person(person_id).await? {
            persons.push(PersonLink {
                url: format!("/persons/{person_id}"),
                name: person.display_name(),
            });
        }
    }
    let exhibitions = state
        .store
        .exhibitions_showing(&exhibit.id)
        .await?
        .iter()
        .map(|x| ExhibitionLink {
            url: format!("/exhibitions/{}", x.id),
            title: Localized::new(&x.title, &l),
        })
        .collect();
    let fact = |key: &str, value: Option<String>| {
        value.filter(|v| !v.is_empty()).map(|value| Fact {
            label: l.t(key),
            value,
        })
    };
    let facts = [
        fact("exhibit-creator", exhibit.creator.clone()),
        fact("exhibit-date", exhibit.date.clone()),
        fact(
            "exhibit-technique",
            Some(l.pick(&exhibit.technique).to_owned()),
        ),
        fact("exhibit-dimensions", exhibit.dimensions.clone()),
        fact(
            "exhibit-institution",
            Some(l.pick(&exhibit.institution).to_owned()),
        ),
        fact("exhibit-inventory", exhibit.inventory_number.clone()),
        fact("exhibit-rights", exhibit.rights.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let title = Localized::new(&exhibit.title, &l);
    render(&ExhibitPage {
        page: Chrome::new(l.clone(), title.text.clone()),
        description: Localized::new(&exhibit.description, &l),
        images: exhibit
            .images
            .iter()
            .map(|i| ImageView::new(i, &l))
            .collect(),
        facts,
        persons,
        exhibitions,
        title,
    })
}

/// An original image. Originals never change under their id, so they are cached for a year.
/// Served with a policy of its own: an SVG opened directly may not run script.
pub async fn show_media(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let missing = || WebError::NotFound(format!("image {id} not found"));
    let image_id = ImageId::parse(&id).map_err(|_| missing())?;
    let image = state.store.image(&image_id).await?.ok_or_else(missing)?;
    let bytes = state.media.original(&image_id).await?.ok_or_else(missing)?;
    Ok((
        [
            (header::CONTENT_TYPE, image.media_type),
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}
