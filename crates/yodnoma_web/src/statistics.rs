//! The statistics page: published figures beside what the registry holds, a map of the five
//! republics, bars by region, the timeline of deaths and awards by month of the war, counts by
//! fate, award, birth decade, year of death, nationality and part in the war, and two
//! cross-tabulations, all under the filters of search.
//!
//! Each chart is followed by its numbers as an HTML table (the chart's text alternative), whose
//! bars are native `<meter>` elements; every table links to its CSV download from the API.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use yodnoma_core::memory::Qualifier;
use yodnoma_core::{Category, Fate, Language, Republic};
use yodnoma_search::{CrossTab, Overview, Stats, StatsField, StatsFilters};

use crate::charts::{self, Bar, Caption, thousands};
use crate::i18n::Locale;
use crate::pages::{Chrome, FilterOption, award_options, render};
use crate::params::Params;
use crate::stats_api::{self, Coverage};
use crate::{AppState, WebError};

/// Rows shown per table: the largest groups (regions and nationalities have long tails); the
/// CSV download has all of them.
const ROWS: usize = 15;
/// Columns of a cross-tabulation: the largest groups of its second field.
const COLUMNS: usize = 6;

pub struct Row {
    pub label: String,
    pub count: String,
    pub value: u64,
}

pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<Row>,
    pub max: u64,
    pub csv: String,
    pub chart: Option<String>,
}

pub struct CrossRowView {
    pub label: String,
    pub count: String,
    pub cells: Vec<String>,
}

pub struct CrossView {
    pub id: &'static str,
    pub title: String,
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<CrossRowView>,
    pub csv: String,
}

pub struct FigureView {
    pub label: String,
    pub lang: &'static str,
    pub published: String,
    pub source: String,
    pub source_is_link: bool,
    pub held: String,
    /// The share held, in percent, as read ("0.07 %"), when the registry counts what the
    /// figure counts; `share` is the same for the meter.
    pub percent: Option<String>,
    pub share: f64,
}

pub struct MonthRow {
    pub label: String,
    pub deaths: String,
    pub awards: String,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    page: Chrome,
    total: String,
    filtered: bool,
    born_from: String,
    born_to: String,
    /// Filters the form has no field for (from a link or the API's words), kept on submit.
    kept: Vec<(&'static str, String)>,
    republics: Vec<FilterOption>,
    fates: Vec<FilterOption>,
    awards: Vec<FilterOption>,
    categories: Vec<FilterOption>,
    figures: Vec<FigureView>,
    figures_csv: String,
    map: Option<String>,
    tables: Vec<Table>,
    crosses: Vec<CrossView>,
    timeline_chart: Option<String>,
    months: Vec<MonthRow>,
    timeline_csv: String,
}

/// A group's key as a reader reads it: fates, awards, republics and the like translated.
fn label(field: StatsField, key: &str, l: &Locale) -> String {
    let translated = match field {
        StatsField::Fate => l.try_t(&format!("fate-{key}")),
        StatsField::Award => l.try_t(&format!("award-{key}")),
        StatsField::Republic => l.try_t(&format!("republic-{key}")),
        StatsField::Nationality => l.try_t(&format!("nationality-{key}")),
        StatsField::Category => l.try_t(&format!("category-{key}")),
        StatsField::BirthDecade => Some(l.t_args("stats-decade", &[("decade", key.to_owned())])),
        _ => None,
    };
    translated.unwrap_or_else(|| key.to_owned())
}

/// The filters as a query string (with a leading `&` when any), for the CSV links.
fn filter_query(params: &Params) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    // Every filter the counts read, so that the downloads count what the page shows.
    for name in stats_api::FILTERS {
        if let Some(value) = params.text(name) {
            q.append_pair(name, value);
        }
    }
    let q = q.finish();
    if q.is_empty() { q } else { format!("&{q}") }
}

fn options(l: &Locale, prefix: &str, keys: &[&str], selected: Option<&str>) -> Vec<FilterOption> {
    keys.iter()
        .map(|key| FilterOption {
            value: (*key).to_owned(),
            label: l.t(&format!("{prefix}-{key}")),
            selected: selected == Some(*key),
        })
        .collect()
}

/// The filters the page's form has a field for (`templates/statistics.html`).
const FORM_FIELDS: [&str; 6] = [
    "republic",
    "fate",
    "award",
    "category",
    "born_from",
    "born_to",
];

/// The tables of the page, in order: each field, and whether it gets a bar chart.
const TABLES: [(StatsField, &str, bool); 9] = [
    (StatsField::Republic, "republic", false),
    (StatsField::Region, "region", true),
    (StatsField::District, "district", true),
    (StatsField::Fate, "fate", true),
    (StatsField::Award, "award", true),
    (StatsField::BirthDecade, "birth-decade", true),
    (StatsField::DeathYear, "death-year", false),
    (StatsField::Nationality, "nationality", true),
    (StatsField::Category, "category", false),
];

const CROSSES: [(StatsField, StatsField, &str); 2] = [
    (StatsField::Fate, StatsField::Republic, "fate-republic"),
    (
        StatsField::Award,
        StatsField::Nationality,
        "award-nationality",
    ),
];

/// How often the index is looked at for a change after which the statistics are counted again.
const WARM_CHECK: std::time::Duration = std::time::Duration::from_secs(15);

/// The filters a visitor is most likely to choose: none, and each single republic, fate and part
/// in the war.
fn common_filters() -> Vec<StatsFilters> {
    let mut filters = vec![StatsFilters::default()];
    filters.extend(Republic::ALL.iter().map(|r| StatsFilters {
        republic: Some(r.key().to_owned()),
        ..StatsFilters::default()
    }));
    filters.extend(Fate::ALL.iter().map(|f| StatsFilters {
        fate: Some(f.as_str().to_owned()),
        ..StatsFilters::default()
    }));
    filters.extend(Category::ALL.iter().map(|c| StatsFilters {
        category: Some(c.as_str().to_owned()),
        ..StatsFilters::default()
    }));
    filters
}

/// Counts the statistics page under its common filters whenever the index has changed (at
/// start, after an import or a link run), in the background, so that visitors find them ready:
/// at 10 million persons the page's counts take up to about 170 ms (under no filter), and the
/// first count after start decodes the index's columns (about a second).
pub fn keep_warm(state: AppState) {
    tokio::spawn(async move {
        let mut counted = None;
        let mut tick = tokio::time::interval(WARM_CHECK);
        loop {
            tick.tick().await;
            let generation = state.search.generation();
            if counted == Some(generation) {
                continue;
            }
            let started = std::time::Instant::now();
            let fields: Vec<StatsField> = TABLES.iter().map(|(field, _, _)| *field).collect();
            let pairs: Vec<(StatsField, StatsField)> =
                CROSSES.iter().map(|(r, c, _)| (*r, *c)).collect();
            let warmed = stats_api::counted(&state, move |index| {
                for filters in common_filters() {
                    index.count_ahead(&fields, &pairs, &filters)?;
                }
                Ok(())
            })
            .await
            .and(stats_api::coverage(&state).await.map(|_| ()));
            match warmed {
                Ok(()) => {
                    tracing::debug!(ms = started.elapsed().as_millis(), "statistics counted");
                    counted = Some(generation);
                }
                Err(e) => tracing::warn!("statistics could not be counted ahead: {e}"),
            }
        }
    });
}

/// `GET /statistics[?filters]`
pub async fn show(
    State(state): State<AppState>,
    l: Locale,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    params.refuse_repeated()?;
    let filters: StatsFilters = stats_api::filters(&params)?;
    let query = filter_query(&params);
    let filtered = !query.is_empty();
    let counting = filters.clone();
    let fields: Vec<StatsField> = TABLES.iter().map(|(field, _, _)| *field).collect();
    let pairs: Vec<(StatsField, StatsField)> = CROSSES.iter().map(|(r, c, _)| (*r, *c)).collect();
    let counts: Overview = stats_api::counted(&state, move |index| {
        index.overview(&fields, &pairs, &counting)
    })
    .await?;
    let unit_key = if stats_api::unit(&state).await? == "persons" {
        "count-persons"
    } else {
        "stats-total-records"
    };
    let total = counts.by.first().map_or(0, |s| s.total);
    let figures = figure_views(&stats_api::coverage(&state).await?, &l);

    let republic_stats = counts.by.first();
    let map = republic_stats.and_then(|stats| {
        let counts: Vec<(String, String, u64)> = Republic::ALL
            .iter()
            .map(|r| {
                let n = stats
                    .groups
                    .iter()
                    .find(|g| g.value == r.key())
                    .map_or(0, |g| g.count);
                (r.key().to_owned(), l.t(&format!("republic-{}", r.key())), n)
            })
            .collect();
        charts::map(
            &Caption {
                id: "chart-map",
                title: &l.t("stats-map-title"),
                description: &l.t("stats-map-text"),
            },
            &counts,
            &[],
        )
    });

    let tables = TABLES
        .iter()
        .zip(&counts.by)
        .map(|((field, id, bars), stats)| table(*field, id, *bars, stats, &l, &query))
        .collect();
    let crosses = CROSSES
        .iter()
        .zip(&counts.crosses)
        .map(|((rows, columns, id), cross)| cross_view(*rows, *columns, id, cross, &l, &query))
        .collect();

    let month_label = |year: u16, month: u8| {
        yodnoma_core::PartialDate::new(i32::from(year), Some(month), None)
            .map_or_else(|_| year.to_string(), |date| l.date(&date))
    };
    let months: Vec<MonthRow> = counts
        .timeline
        .months
        .iter()
        .map(|m| MonthRow {
            label: month_label(m.year, m.month),
            deaths: thousands(m.deaths),
            awards: thousands(m.awards),
        })
        .collect();
    let keys: Vec<String> = counts
        .timeline
        .months
        .iter()
        .map(|m| format!("{}-{:02}", m.year, m.month))
        .collect();
    let deaths: Vec<u64> = counts.timeline.months.iter().map(|m| m.deaths).collect();
    let awards: Vec<u64> = counts.timeline.months.iter().map(|m| m.awards).collect();
    let any = deaths.iter().chain(&awards).any(|n| *n > 0);
    let timeline_chart = any
        .then(|| {
            charts::timeline(
                &Caption {
                    id: "chart-timeline",
                    title: &l.t("stats-timeline-title"),
                    description: &l.t("stats-timeline-text"),
                },
                &keys,
                [
                    (&l.t("stats-deaths"), &deaths),
                    (&l.t("stats-awards"), &awards),
                ],
            )
        })
        .flatten();

    let selected = |name: &str| params.text(name);
    let republic_keys: Vec<&str> = Republic::ALL.iter().map(|r| r.key()).collect();
    let fate_keys: Vec<&str> = Fate::ALL.iter().map(|f| f.as_str()).collect();
    let category_keys: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    render(&StatisticsPage {
        page: Chrome::new(l.clone(), l.t("stats-title")),
        total: l.count(unit_key, usize::try_from(total).unwrap_or(0)),
        filtered,
        born_from: filters
            .birth_from
            .map(|y| y.to_string())
            .unwrap_or_default(),
        born_to: filters.birth_to.map(|y| y.to_string()).unwrap_or_default(),
        // Every filter the form has no field for rides along hidden, so that changing one
        // field keeps the rest; a filter added to the API is kept without a change here.
        kept: stats_api::FILTERS
            .into_iter()
            .filter(|name| !FORM_FIELDS.contains(name))
            .filter_map(|name| Some((name, params.text(name)?.to_owned())))
            .collect(),
        republics: options(&l, "republic", &republic_keys, selected("republic")),
        fates: options(&l, "fate", &fate_keys, selected("fate")),
        awards: award_options(&l, selected("award")),
        categories: options(&l, "category", &category_keys, selected("category")),
        figures,
        figures_csv: "/api/v1/stats/figures?format=csv".to_owned(),
        map,
        tables,
        crosses,
        timeline_chart,
        months,
        timeline_csv: format!("/api/v1/stats/timeline?format=csv{query}"),
    })
}

fn table(
    field: StatsField,
    id: &'static str,
    bars: bool,
    stats: &Stats,
    l: &Locale,
    query: &str,
) -> Table {
    let rows: Vec<Row> = stats
        .groups
        .iter()
        .take(ROWS)
        .map(|g| Row {
            label: label(field, &g.value, l),
            count: thousands(g.count),
            value: g.count,
        })
        .collect();
    let title = l.t(&format!("stats-by-{id}"));
    let chart = if bars {
        let bars: Vec<Bar> = rows
            .iter()
            .map(|r| Bar {
                label: r.label.clone(),
                value: r.value,
            })
            .collect();
        charts::bars(
            &Caption {
                id: &format!("chart-{id}"),
                title: &title,
                description: &l.t("stats-chart-text"),
            },
            &bars,
        )
    } else {
        None
    };
    Table {
        id,
        max: rows.iter().map(|r| r.value).max().unwrap_or(1).max(1),
        rows,
        csv: format!("/api/v1/stats?by={}&format=csv{query}", field.name()),
        chart,
        title,
    }
}

fn cross_view(
    rows: StatsField,
    columns: StatsField,
    id: &'static str,
    cross: &CrossTab,
    l: &Locale,
    query: &str,
) -> CrossView {
    // The largest groups of the second field across all rows become the columns.
    let mut totals: Vec<(String, u64)> = Vec::new();
    for row in &cross.rows {
        for cell in &row.cells {
            match totals.iter_mut().find(|(k, _)| *k == cell.value) {
                Some((_, n)) => *n += cell.count,
                None => totals.push((cell.value.clone(), cell.count)),
            }
        }
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let keys: Vec<String> = totals.into_iter().take(COLUMNS).map(|(k, _)| k).collect();
    CrossView {
        id,
        title: l.t(&format!("stats-cross-{id}")),
        corner: l.t(&format!("stats-by-{}", rows.name().replace('_', "-"))),
        columns: keys.iter().map(|k| label(columns, k, l)).collect(),
        rows: cross
            .rows
            .iter()
            .take(ROWS)
            .map(|row| CrossRowView {
                label: label(rows, &row.value, l),
                count: thousands(row.count),
                cells: keys
                    .iter()
                    .map(|k| {
                        thousands(
                            row.cells
                                .iter()
                                .find(|c| c.value == *k)
                                .map_or(0, |c| c.count),
                        )
                    })
                    .collect(),
            })
            .collect(),
        csv: format!(
            "/api/v1/stats?by={}&cross={}&format=csv{query}",
            rows.name(),
            columns.name()
        ),
    }
}

fn figure_views(coverage: &[Coverage], l: &Locale) -> Vec<FigureView> {
    coverage
        .iter()
        .map(|c| {
            let f = &c.figure;
            let value = thousands(f.value);
            let published = match f.qualifier {
                Qualifier::Exact => value,
                Qualifier::About => l.t_args("stats-about", &[("value", value)]),
                Qualifier::MoreThan => l.t_args("stats-more-than", &[("value", value)]),
            };
            FigureView {
                label: f.label.get(l.lang).to_owned(),
                lang: l.lang_of(&f.label),
                published,
                source_is_link: f.source.starts_with("https://") || f.source.starts_with("http://"),
                source: f.source.clone(),
                held: c.held.map_or_else(|| l.t("stats-not-counted"), thousands),
                percent: c.percent().map(|p| percent_text(p, l.lang)),
                share: c.percent().unwrap_or(0.0),
            }
        })
        .collect()
}

/// A share in percent with two significant digits below 10 (coverage of a national figure by a
/// young registry is small, and "0 %" would hide that anything is there).
/// The decimal sign is the reader's: a comma in Russian, Kazakh and Uzbek.
fn percent_text(p: f64, lang: Language) -> String {
    let text = if p == 0.0 || p >= 10.0 {
        format!("{p:.0} %")
    } else {
        let decimals = (1.0 - p.log10().floor()).max(0.0) as usize;
        format!("{p:.decimals$} %")
    };
    match lang {
        Language::En => text,
        Language::Ru | Language::Kk | Language::Uz => text.replace('.', ","),
    }
}
