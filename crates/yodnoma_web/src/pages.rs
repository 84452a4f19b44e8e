//! The public site: one handler and one template struct per page.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use yodnoma_core::person::{NameForm, PersonAward};
use yodnoma_core::{Action, Block, Column, Exhibition, ImageId, Person};

use crate::accounts::SignedIn;
use crate::i18n::{LanguageLink, Locale};
use crate::params::Params;
use crate::views::{ExhibitCard, ImageView, Localized};
use crate::{AppState, WebError, assets, contributions, curator, linked_data, load, search};

const PAGE_SIZE: usize = 20;

/// What every page shares: the reader's language and the page title.
pub struct Chrome {
    pub l: Locale,
    pub title: String,
}

impl Chrome {
    pub fn new(l: Locale, title: String) -> Self {
        Self { l, title }
    }

    pub fn switcher(&self) -> Vec<LanguageLink> {
        self.l.switcher()
    }
}

pub fn render(template: &impl Template) -> Result<Response, WebError> {
    Ok(Html(template.render()?).into_response())
}

pub async fn health() -> &'static str {
    "ok"
}

pub async fn not_found() -> WebError {
    WebError::NotFound("no such page".to_owned())
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Chrome,
    status: u16,
    heading: String,
    message: String,
    /// What exactly was wrong, as the server words it (in English), when there is more to say.
    detail: Option<String>,
    /// Where the form that was sent is, to go back to it (its typed text kept by the browser).
    back: Option<String>,
}

/// What was asked when an error is shown: a form sent (a POST), and the page it was sent from.
pub struct Asked {
    pub form: bool,
    pub from: Option<String>,
}

/// The page shown for any error, in the reader's language. The detail the server gives names
/// the field or parameter and value as the request wrote them; it is shown in English, marked
/// so, under a sentence in the reader's language.
pub fn error_page(
    l: &Locale,
    status: StatusCode,
    message: &str,
    asked: &Asked,
) -> Result<Html<String>, askama::Error> {
    let detail = Some(message.to_owned()).filter(|m| !m.is_empty());
    let (heading, message, detail) = match status {
        StatusCode::NOT_FOUND => (
            l.t("error-not-found-title"),
            l.t("error-not-found-text"),
            None,
        ),
        StatusCode::FORBIDDEN => (l.t("error-forbidden-title"), String::new(), detail),
        StatusCode::CONFLICT => (
            l.t("error-conflict-title"),
            l.t("error-conflict-text"),
            detail,
        ),
        StatusCode::TOO_MANY_REQUESTS => (
            l.t("error-too-many-title"),
            l.t("error-too-many-text"),
            detail,
        ),
        s if s.is_client_error() && asked.form => {
            (l.t("error-form-title"), l.t("error-form-text"), detail)
        }
        s if s.is_client_error() => (
            l.t("error-bad-request-title"),
            l.t("error-bad-request-text"),
            detail,
        ),
        _ => (
            l.t("error-internal-title"),
            l.t("error-internal-text"),
            None,
        ),
    };
    let page = ErrorPage {
        page: Chrome::new(l.clone(), heading.clone()),
        status: status.as_u16(),
        heading,
        message,
        detail,
        // Back to a form only when the form was refused for what it held.
        back: asked.from.clone().filter(|_| {
            asked.form
                && status.is_client_error()
                && !matches!(
                    status,
                    StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
                )
        }),
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
    details: String,
    records: String,
    score: String,
    /// How the query matched, one line per word, in the reader's language.
    matched: Vec<String>,
}

/// A value of a facet as a link that narrows the search to it.
struct FacetLink {
    label: String,
    count: u64,
    href: String,
}

struct FacetGroup {
    title: String,
    links: Vec<FacetLink>,
}

/// A choice of a filter's select box.
pub struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Chrome,
    query: String,
    born_from: String,
    born_to: String,
    region: String,
    fates: Vec<FilterOption>,
    awards: Vec<FilterOption>,
    filtered: bool,
    summary: Option<String>,
    suggestion: Option<(String, String)>,
    hits: Vec<SearchHitView>,
    facets: Vec<FacetGroup>,
    previous: Option<String>,
    next: Option<String>,
    position: Option<String>,
}

/// The award kinds a search or a count can be narrowed to, in the order of their standing.
pub fn award_options(l: &Locale, selected: Option<&str>) -> Vec<FilterOption> {
    yodnoma_core::AwardKind::ALL
        .iter()
        .map(|kind| FilterOption {
            value: kind.key().to_owned(),
            label: l.t(&format!("award-{}", kind.key())),
            selected: selected == Some(kind.key()),
        })
        .collect()
}

/// A link to the search page for `text` with `filters`, on page `number`.
fn search_link(text: &str, filters: &search::Filters, number: usize) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("q", text);
    for (name, value) in filters.pairs() {
        q.append_pair(name, &value);
    }
    if number > 1 {
        q.append_pair("page", &number.to_string());
    }
    format!("/search?{}", q.finish())
}

/// One word's match in the reader's language: "momyshuly → момышулы: Kazakh Latin 2021".
fn describe_match(l: &Locale, m: &yodnoma_names::WordMatch) -> String {
    use yodnoma_names::MatchKind;
    let how = match m.kind {
        MatchKind::Transliteration {
            standard: Some(standard),
        } => {
            // A standard named in words is named in the reader's language; ICAO 9303, ISO 9
            // and the like are the same in every one.
            let key: String = standard
                .to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let name = l
                .try_t(&format!("standard-{key}"))
                .unwrap_or_else(|| standard.to_owned());
            l.t_args("match-standard", &[("standard", name)])
        }
        MatchKind::Fuzzy { edits } => l.count("match-fuzzy", usize::from(edits)),
        kind => l.t(&format!("match-{}", kind.key())),
    };
    format!("{} → {}: {how}", m.query, m.name)
}

pub async fn search(
    State(state): State<AppState>,
    l: Locale,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    let number = params.number("page", 1, 1, search::MAX_OFFSET / PAGE_SIZE + 1)?;
    let text = search::query_text(params.text("q").unwrap_or(""))?.to_owned();
    let filters = search::Filters::parse(&params)?;
    let fates = yodnoma_core::Fate::ALL
        .iter()
        .map(|f| FilterOption {
            value: f.as_str().to_owned(),
            label: l.t(&format!("fate-{}", f.as_str())),
            selected: filters.fate.as_deref() == Some(f.as_str()),
        })
        .collect();
    let awards = award_options(&l, filters.award.as_deref());
    let mut page = SearchPage {
        page: Chrome::new(l.clone(), l.t("search-title")),
        query: text.clone(),
        born_from: filters.born_from.map(|y| y.to_string()).unwrap_or_default(),
        born_to: filters.born_to.map(|y| y.to_string()).unwrap_or_default(),
        region: filters.region.clone().unwrap_or_default(),
        fates,
        awards,
        filtered: !filters.is_empty(),
        summary: None,
        suggestion: None,
        hits: Vec::new(),
        facets: Vec::new(),
        previous: None,
        next: None,
        position: None,
    };
    if text.is_empty() {
        page.summary = Some(l.t("search-empty"));
        return render(&page);
    }
    let offset = (number - 1) * PAGE_SIZE;
    let result = search::run(&state, &text, &filters, PAGE_SIZE, offset, true).await?;
    let total = usize::try_from(result.total).unwrap_or(usize::MAX);
    page.summary = Some(if total == 0 {
        l.t_args("search-none", &[("query", text.clone())])
    } else {
        l.count("search-results", total)
    });
    page.suggestion = result
        .suggestion
        .as_ref()
        .filter(|s| yodnoma_names::fold(s) != yodnoma_names::fold(&text))
        .map(|s| (s.clone(), search_link(s, &filters, 1)));
    page.hits = result
        .hits
        .iter()
        .map(|h| {
            let details: Vec<String> = [
                h.birth_year
                    .map(|y| l.t_args("search-born", &[("year", y.to_string())])),
                h.region.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            SearchHitView {
                url: format!("/persons/{}", h.person_id),
                name: h.name.clone(),
                details: details.join(" · "),
                records: l.count("search-records", h.records.len()),
                score: format!("{:.0}%", h.score * 100.0),
                matched: h.matched.iter().map(|m| describe_match(&l, m)).collect(),
            }
        })
        .collect();
    if let Some(facets) = &result.facets {
        let group = |title: &str,
                     values: &[yodnoma_search::Facet],
                     label: &dyn Fn(&str) -> String,
                     set: &dyn Fn(&mut search::Filters, &str)| FacetGroup {
            title: l.t(title),
            links: values
                .iter()
                .map(|f| {
                    let mut narrowed = filters.clone();
                    set(&mut narrowed, &f.value);
                    FacetLink {
                        label: label(&f.value),
                        count: f.count,
                        href: search_link(&text, &narrowed, 1),
                    }
                })
                .collect(),
        };
        page.facets = vec![
            group(
                "search-facet-fate",
                &facets.fate,
                &|v| l.t(&format!("fate-{v}")),
                &|f, v| f.fate = Some(v.to_owned()),
            ),
            group(
                "search-facet-award",
                &facets.award,
                &|v| l.t(&format!("award-{v}")),
                &|f, v| f.award = Some(v.to_owned()),
            ),
            group(
                "search-facet-decade",
                &facets.birth_decade,
                &|v| l.t_args("search-decade", &[("decade", v.to_owned())]),
                &|f, v| {
                    // Within the years already chosen: the count shown is of those.
                    let decade = v.parse::<u64>().unwrap_or(0);
                    f.born_from = Some(f.born_from.map_or(decade, |from| from.max(decade)));
                    let end = (decade + 9).min(2100);
                    f.born_to = Some(f.born_to.map_or(end, |to| to.min(end)));
                },
            ),
            group(
                "search-facet-region",
                &facets.region,
                &|v| v.to_owned(),
                &|f, v| f.region = Some(v.to_owned()),
            ),
        ];
        page.facets.retain(|g| !g.links.is_empty());
    }
    let pages = total
        .div_ceil(PAGE_SIZE)
        .min(search::MAX_OFFSET / PAGE_SIZE + 1);
    if pages > 1 {
        page.position = Some(l.t_args(
            "pagination-page",
            &[("page", number.to_string()), ("pages", pages.to_string())],
        ));
        page.previous = (number > 1).then(|| search_link(&text, &filters, number - 1));
        page.next = (number < pages).then(|| search_link(&text, &filters, number + 1));
    }
    render(&page)
}

struct Fact {
    label: String,
    value: String,
    /// The language of the value when it is content in a language of its own (which may be
    /// another than the page's, by fallback); `None` for names, dates and codes as written.
    lang: Option<&'static str>,
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
    /// schema.org JSON-LD, escaped for a script element.
    linked_data: String,
    elsewhere: Vec<linked_data::ExternalLink>,
    facts: Vec<Fact>,
    awards: Vec<AwardView>,
    names: Vec<NameFormView>,
    records: Vec<RecordView>,
    exhibits: Vec<ExhibitCard>,
    events: Vec<crate::memory::EventCard>,
    memorials: Vec<crate::memory::MemorialCard>,
    person_id: String,
    person_url: String,
    split_possible: bool,
    /// Which records the page shows, sent back by a split: see [`curator::records_shown`].
    records_shown: String,
    linkage: curator::PersonLinkage,
    stories: Vec<contributions::ContributionView>,
    /// The form value of a signed-in moderator, who may delete a story from the page.
    moderator_csrf: Option<String>,
}

fn person_facts(person: &Person, l: &Locale) -> Vec<Fact> {
    let fact = |key: &str, value: Option<String>| {
        value.map(|value| Fact {
            lang: None,
            label: l.t(key),
            value,
        })
    };
    [
        fact(
            "person-category",
            Some(l.t(&format!("category-{}", person.category().as_str()))),
        ),
        fact("person-born", person.birth_date().map(|d| l.date(&d))),
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
        fact("person-died", person.death_date().map(|d| l.date(&d))),
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
        date: award.date.map(|d| l.date(&d)).unwrap_or_default(),
        source: award.source.clone(),
    }
}

pub async fn show_person(
    State(state): State<AppState>,
    l: Locale,
    Extension(signed): Extension<SignedIn>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    if let Some(moved) = curator::redirect_merged(&state, &id, "/persons/").await {
        return Ok(moved);
    }
    let person = load::person(&state, &id).await?;
    let origin = crate::iiif::origin(&headers);
    if linked_data::wanted(&headers) {
        let exhibits = state.store.exhibits_of_person(&person.id).await?;
        return Ok(linked_data::respond(&linked_data::person(
            &person, &exhibits, &origin,
        )));
    }
    let linkage = curator::person_linkage(&state, &signed, &person.id, &l).await?;
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
                        lang: None,
                        label: l.t(&format!("column-{}", c.name())),
                        value,
                    })
                })
                .chain(r.record.extra.iter().map(|(k, v)| Fact {
                    lang: None,
                    label: l.try_t(&format!("column-{k}")).unwrap_or_else(|| k.clone()),
                    value: v.clone(),
                }))
                .collect(),
        })
        .collect();
    let name = person.display_name();
    linked_data::varies(render(&PersonPage {
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
        split_possible: person.records.len() > 1,
        records_shown: curator::records_shown(&person),
        records,
        exhibits: exhibits.iter().map(|e| ExhibitCard::new(e, &l)).collect(),
        events: state
            .store
            .events_of_person(&person.id)
            .await?
            .iter()
            .map(|e| crate::memory::EventCard::new(e, &l))
            .collect(),
        memorials: state
            .store
            .memorials_of_person(&person.id)
            .await?
            .iter()
            .map(|m| crate::memory::MemorialCard::new(m, &l))
            .collect(),
        person_id: person.id.to_string(),
        person_url: format!("/persons/{}", person.id),
        linkage,
        stories: contributions::family_stories(&state, &person.id, &l).await?,
        linked_data: linked_data::embedded(&linked_data::person(&person, &exhibits, &origin)),
        elsewhere: linked_data::external_links(&person),
        moderator_csrf: signed
            .0
            .as_ref()
            .filter(|s| s.user.role.may(Action::Moderate))
            .map(|s| s.csrf.clone()),
        name,
    }))
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
    /// The text, and its Markdown as sanitized HTML.
    Text(Localized, String),
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
    preview: bool,
}

pub async fn show_exhibition(
    State(state): State<AppState>,
    l: Locale,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let exhibition = load::exhibition(&state, &id).await?;
    exhibition_page(&state, &l, &exhibition, false).await
}

/// The page of an exhibition; a `preview` (of a draft, for its curators) says so at its top.
pub async fn exhibition_page(
    state: &AppState,
    l: &Locale,
    exhibition: &Exhibition,
    preview: bool,
) -> Result<Response, WebError> {
    let mut sections = Vec::with_capacity(exhibition.sections.len());
    for (index, section) in exhibition.sections.iter().enumerate() {
        let exhibits = state.store.exhibits(&section.exhibits).await?;
        let exhibits = exhibits.iter().map(|e| ExhibitCard::new(e, l)).collect();
        sections.push(SectionView {
            anchor: format!("section-{}", index + 1),
            title: Localized::new(&section.title, l),
            blocks: section
                .blocks
                .iter()
                .map(|b| match b {
                    Block::Text { text } => {
                        let text = Localized::new(text, l);
                        let html =
                            crate::markdown::to_safe_html(&text.text, crate::markdown::Under::H2);
                        BlockView::Text(text, html)
                    }
                    Block::Quote { text, attribution } => {
                        BlockView::Quote(Localized::new(text, l), Localized::new(attribution, l))
                    }
                })
                .collect(),
            exhibits,
        });
    }
    let title = Localized::new(&exhibition.title, l);
    render(&ExhibitionPage {
        page: Chrome::new(l.clone(), title.text.clone()),
        introduction: Localized::new(&exhibition.introduction, l),
        institution: Localized::new(&exhibition.institution, l),
        title,
        sections,
        preview,
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
    /// Whether the page loads the deep-zoom viewer: some image has tiles, and the build has it.
    viewer: bool,
    /// schema.org JSON-LD, escaped for a script element.
    linked_data: String,
    zoom_label: String,
}

pub async fn show_exhibit(
    State(state): State<AppState>,
    l: Locale,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let exhibit = load::exhibit(&state, &id).await?;
    let origin = crate::iiif::origin(&headers);
    if linked_data::wanted(&headers) {
        return Ok(linked_data::respond(&linked_data::exhibit(
            &exhibit, &origin,
        )));
    }
    let mut persons = Vec::new();
    for person_id in &exhibit.persons {
        // A person merged into another since the exhibit was made is shown as that one.
        let person_id = match state.store.person_redirect(person_id).await? {
            Some(merged_into) => merged_into,
            None => person_id.clone(),
        };
        if let Some(person) = state.store.person(&person_id).await? {
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
    let fact = |key: &str, value: Option<String>, lang: Option<&'static str>| {
        value.filter(|v| !v.is_empty()).map(|value| Fact {
            label: l.t(key),
            value,
            lang,
        })
    };
    let text =
        |map: &yodnoma_core::LanguageMap| (Some(l.pick(map).to_owned()), Some(l.lang_of(map)));
    let (technique, technique_lang) = text(&exhibit.technique);
    let (institution, institution_lang) = text(&exhibit.institution);
    let facts = [
        fact("exhibit-creator", exhibit.creator.clone(), None),
        fact("exhibit-date", exhibit.date.clone(), None),
        fact("exhibit-technique", technique, technique_lang),
        fact("exhibit-dimensions", exhibit.dimensions.clone(), None),
        fact("exhibit-institution", institution, institution_lang),
        fact("exhibit-inventory", exhibit.inventory_number.clone(), None),
        fact("exhibit-rights", exhibit.rights.clone(), None),
    ]
    .into_iter()
    .flatten()
    .collect();
    let title = Localized::new(&exhibit.title, &l);
    let images: Vec<ImageView> = exhibit
        .images
        .iter()
        .map(|i| ImageView::new(i, &l))
        .collect();
    linked_data::varies(render(&ExhibitPage {
        page: Chrome::new(l.clone(), title.text.clone()),
        description: Localized::new(&exhibit.description, &l),
        viewer: assets::viewer_available() && images.iter().any(|i| i.zoomable),
        linked_data: linked_data::embedded(&linked_data::exhibit(&exhibit, &origin)),
        zoom_label: l.t_args("viewer-zoom-status", &[("percent", "{percent}".to_owned())]),
        images,
        facts,
        persons,
        exhibitions,
        title,
    }))
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
    // An uploaded photo's original may carry EXIF (where it was taken, the camera's owner): it
    // is kept, never served. Visitors get the IIIF rendering, encoded afresh from its pixels.
    if !image.placeholder && image.media_type != "image/svg+xml" {
        let size = yodnoma_media::iiif::fitting_size(image.width, image.height, 1600);
        return Ok(
            Redirect::to(&format!("/iiif/3/{image_id}/full/{size}/0/default.jpg")).into_response(),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use yodnoma_core::Language;
    use yodnoma_names::{MatchKind, WordMatch};

    #[test]
    fn a_match_names_its_standard_in_the_reader_language() {
        let word = |standard| WordMatch {
            query: "momyshuly".into(),
            name: "момышулы".into(),
            kind: MatchKind::Transliteration {
                standard: Some(standard),
            },
            grade: 1.0,
        };
        let ru = Locale::new(Language::Ru, Vec::new());
        assert_eq!(
            describe_match(&ru, &word("Kazakh Latin 2021")),
            "momyshuly → момышулы: записано по системе казахской латиницы 2021 года"
        );
        assert_eq!(
            describe_match(&ru, &word("ICAO 9303")),
            "momyshuly → момышулы: записано по системе ICAO 9303"
        );
        let uz = Locale::new(Language::Uz, Vec::new());
        assert!(describe_match(&uz, &word("Soviet passport")).contains("sovet pasporti"));
        // Every standard a match may name has its words in every language, or is an acronym.
        for standard in yodnoma_names::romanize::Standard::ALL {
            let label = standard.label();
            let named = describe_match(&ru, &word(label));
            let acronym = label.chars().all(|c| !c.is_lowercase());
            assert!(acronym || !named.contains(label), "{label}: {named}");
        }
    }
}
