//! The statistics page: persons counted by republic, fate, award, birth decade, year of death
//! and nationality, each as a table whose bars are native `<meter>` elements, so the numbers are
//! read out as numbers and the page needs neither script nor style attributes.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use yodnoma_search::{StatsField, StatsFilters};

use crate::i18n::Locale;
use crate::pages::{Chrome, render};
use crate::{AppState, WebError};

/// Rows shown per table: the largest groups (regions and nationalities have long tails).
const ROWS: usize = 15;

pub struct Row {
    pub label: String,
    pub count: u64,
}

pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub rows: Vec<Row>,
    pub max: u64,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    page: Chrome,
    total: String,
    tables: Vec<Table>,
}

/// A group's key as a reader reads it: fates, awards and republics translated.
fn label(field: StatsField, key: &str, l: &Locale) -> String {
    let translated = match field {
        StatsField::Fate => l.try_t(&format!("fate-{key}")),
        StatsField::Award => l.try_t(&format!("award-{key}")),
        StatsField::Republic => l.try_t(&format!("republic-{key}")),
        StatsField::Nationality => l.try_t(&format!("nationality-{key}")),
        StatsField::BirthDecade => Some(l.t_args("stats-decade", &[("decade", key.to_owned())])),
        _ => None,
    };
    translated.unwrap_or_else(|| key.to_owned())
}

/// `GET /statistics`
pub async fn show(State(state): State<AppState>, l: Locale) -> Result<Response, WebError> {
    let fields = [
        (StatsField::Republic, "republic"),
        (StatsField::Fate, "fate"),
        (StatsField::Award, "award"),
        (StatsField::BirthDecade, "birth-decade"),
        (StatsField::DeathYear, "death-year"),
        (StatsField::Nationality, "nationality"),
    ];
    let index = state.search.clone();
    let counted = tokio::task::spawn_blocking(move || {
        fields
            .iter()
            .map(|(field, _)| index.stats(*field, &StatsFilters::default()))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| WebError::Internal(format!("statistics task: {e}")))?
    .map_err(|e| WebError::Internal(format!("statistics: {e}")))?;
    let total = counted.first().map_or(0, |s| s.total);
    let unit_key = if state.store.last_link_run().await?.is_some() {
        "count-persons"
    } else {
        "count-records"
    };
    let tables = fields
        .iter()
        .zip(counted)
        .map(|((field, id), stats)| {
            let rows: Vec<Row> = stats
                .groups
                .iter()
                .take(ROWS)
                .map(|g| Row {
                    label: label(*field, &g.value, &l),
                    count: g.count,
                })
                .collect();
            Table {
                id,
                title: l.t(&format!("stats-by-{id}")),
                max: rows.iter().map(|r| r.count).max().unwrap_or(1),
                rows,
            }
        })
        .collect();
    render(&StatisticsPage {
        page: Chrome::new(l.clone(), l.t("stats-title")),
        total: l.count(unit_key, usize::try_from(total).unwrap_or(0)),
        tables,
    })
}
