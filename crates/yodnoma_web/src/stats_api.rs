//! The statistics as data: `/api/v1/stats` (counts by a field, and cross-tabulations of two),
//! `/api/v1/stats/timeline` (deaths and awards by month of the war) and `/api/v1/stats/figures`
//! (published figures beside the registry's counts). Each answers JSON, or CSV with
//! `format=csv`, so that every table of the statistics page can be downloaded.
//!
//! The filters are those of search (`born_from`, `born_to`, `region`, `fate`, `award`) and
//! `republic`, `district`, `nationality`, `category`, `died_from`, `died_to`; the page reads them
//! too.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use yodnoma_core::{Category, Language, Republic, nationality_key};
use yodnoma_search::{CrossTab, Stats, StatsField, StatsFilters, Timeline};

use crate::params::Params;
use crate::{AppState, WebError, search};

/// The parameters [`filters`] reads.
pub const FILTERS: [&str; 11] = [
    "born_from",
    "born_to",
    "died_from",
    "died_to",
    "republic",
    "region",
    "district",
    "nationality",
    "fate",
    "award",
    "category",
];

/// The years an API caller must give as numbers or leave out. The statistics page's form sends
/// them blank when the reader leaves them so, which reads as not given.
const YEARS: [&str; 4] = ["born_from", "born_to", "died_from", "died_to"];

/// Reads the statistics filters, naming any that is wrong; a blank one is not given.
pub fn filters(params: &Params) -> Result<StatsFilters, WebError> {
    let search = search::Filters::parse(params)?;
    let year = |name: &str| -> Result<Option<u64>, WebError> {
        params
            .text(name)
            .map(|_| params.number(name, 0, 1800, 2100).map(|y| y as u64))
            .transpose()
    };
    let (death_from, death_to) = (year("died_from")?, year("died_to")?);
    if let (Some(from), Some(to)) = (death_from, death_to)
        && from > to
    {
        return Err(WebError::BadRequest(format!(
            "died_from: {from} is after died_to {to}"
        )));
    }
    let one_of = |name: &str, known: &[&str]| -> Result<Option<String>, WebError> {
        match params.text(name) {
            Some(text) if !known.contains(&text) => Err(WebError::BadRequest(format!(
                "{name}: '{}' is not one of {}",
                text.chars().take(30).collect::<String>(),
                known.join(", ")
            ))),
            other => Ok(other.map(str::to_owned)),
        }
    };
    let republics: Vec<&str> = Republic::ALL.iter().map(|r| r.key()).collect();
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
    Ok(StatsFilters {
        birth_from: search.born_from,
        birth_to: search.born_to,
        death_from,
        death_to,
        republic: one_of("republic", &republics)?,
        region: search.region,
        district: search::short(params, "district")?,
        nationality: match search::short(params, "nationality")? {
            // A people's name that reads as none (only marks) would drop the filter silently.
            Some(text) => Some(nationality_key(&text).ok_or_else(|| {
                WebError::BadRequest(format!(
                    "nationality: '{}' names no people",
                    text.chars().take(30).collect::<String>()
                ))
            })?),
            None => None,
        },
        fate: search.fate,
        award: search.award,
        category: one_of("category", &categories)?,
    })
}

/// The field named by parameter `name`, if given.
fn field(params: &Params, name: &str) -> Result<Option<StatsField>, WebError> {
    let Some(text) = params.text(name) else {
        return Ok(None);
    };
    StatsField::parse(text).map(Some).ok_or_else(|| {
        let known: Vec<&str> = StatsField::ALL.iter().map(|f| f.name()).collect();
        WebError::BadRequest(format!(
            "{name}: '{}' is not one of {}",
            text.chars().take(30).collect::<String>(),
            known.join(", ")
        ))
    })
}

/// Whether the answer is CSV (`format=csv`) rather than JSON.
fn wants_csv(params: &Params) -> Result<bool, WebError> {
    params.refuse_blank(&["format"])?;
    match params.text("format") {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(other) => Err(WebError::BadRequest(format!(
            "format: '{}' is not json or csv",
            other.chars().take(30).collect::<String>()
        ))),
    }
}

/// What is counted: persons once records are linked, records before (each its own person).
pub async fn unit(state: &AppState) -> Result<&'static str, WebError> {
    Ok(if state.store.last_link_run().await?.is_some() {
        "persons"
    } else {
        "records"
    })
}

/// Runs a count on the blocking pool: counting walks the index.
pub async fn counted<T: Send + 'static>(
    state: &AppState,
    count: impl FnOnce(&yodnoma_search::SearchIndex) -> yodnoma_search::Result<T> + Send + 'static,
) -> Result<T, WebError> {
    let index = state.search.clone();
    tokio::task::spawn_blocking(move || count(&index))
        .await
        .map_err(|e| WebError::Internal(format!("statistics task: {e}")))?
        .map_err(|e| {
            if e.is_too_many_groups() {
                WebError::BadRequest(
                    "cross: these two fields make too many groups to count at once; narrow \
                     the count with a filter, or cross other fields"
                        .to_owned(),
                )
            } else {
                WebError::Internal(format!("statistics: {e}"))
            }
        })
}

/// A CSV download named `name`, for spreadsheets: a value that a spreadsheet would run as a
/// formula (a region's name written `=HYPERLINK(…)` in a record) is written after an apostrophe,
/// which spreadsheets show as text. Counts and years are left as numbers.
fn csv_download(name: &str, rows: Vec<Vec<String>>) -> Result<Response, WebError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let row: Vec<String> = row.into_iter().map(inert).collect();
        writer
            .write_record(&row)
            .map_err(|e| WebError::Internal(format!("CSV: {e}")))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| WebError::Internal(format!("CSV: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}.csv\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `value`, or `'value` when a spreadsheet would read it as a formula (OWASP's CSV injection
/// rule: a first character of `=`, `+`, `-`, `@`, tab or carriage return, unless a number).
fn inert(value: String) -> String {
    let formula = value
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if formula && value.parse::<f64>().is_err() {
        format!("'{value}")
    } else {
        value
    }
}

/// `GET /api/v1/stats?by=FIELD[&cross=FIELD][&filters][&format=csv]`
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    params(
        ("by" = crate::openapi::StatsBy, Query, description = "What to count by"),
        ("cross" = Option<crate::openapi::StatsBy>, Query, description = "A second field: each group of `by` is counted by it too (a cross-tabulation)"),
        ("format" = Option<crate::openapi::Format>, Query, description = "json (the default) or csv"),
        crate::openapi::StatsFilterParams,
    ),
    responses(
        (status = 200, description = "Counts, largest first (decades and years in order); with `cross`, each group has its own `groups`", content(
            (crate::openapi::StatsResponse = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "A parameter is wrong; the error names it", body = crate::openapi::ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    params.refuse_repeated()?;
    let by = field(&params, "by")?.ok_or_else(|| {
        let known: Vec<&str> = StatsField::ALL.iter().map(|f| f.name()).collect();
        WebError::BadRequest(format!("by: missing; one of {}", known.join(", ")))
    })?;
    params.refuse_blank(&["cross"])?;
    params.refuse_blank(&YEARS)?;
    let cross = field(&params, "cross")?;
    let csv = wants_csv(&params)?;
    let filters = filters(&params)?;
    let unit = unit(&state).await?;
    match cross {
        None => {
            let stats: Stats = counted(&state, move |index| index.stats(by, &filters)).await?;
            if csv {
                let mut rows = vec![vec![by.name().to_owned(), unit.to_owned()]];
                rows.extend(
                    stats
                        .groups
                        .iter()
                        .map(|g| vec![g.value.clone(), g.count.to_string()]),
                );
                return csv_download(&format!("stats-{}", by.name()), rows);
            }
            Ok(Json(json!({
                "by": by.name(),
                "unit": unit,
                "total": stats.total,
                "groups": stats
                    .groups
                    .iter()
                    .map(|g| json!({ "key": g.value, "count": g.count }))
                    .collect::<Vec<_>>(),
            }))
            .into_response())
        }
        Some(cross) => {
            let table: CrossTab =
                counted(&state, move |index| index.crosstab(by, cross, &filters)).await?;
            if csv {
                let mut rows = vec![vec![
                    by.name().to_owned(),
                    cross.name().to_owned(),
                    unit.to_owned(),
                ]];
                for row in &table.rows {
                    rows.extend(
                        row.cells
                            .iter()
                            .map(|c| vec![row.value.clone(), c.value.clone(), c.count.to_string()]),
                    );
                }
                return csv_download(&format!("stats-{}-{}", by.name(), cross.name()), rows);
            }
            Ok(Json(json!({
                "by": by.name(),
                "cross": cross.name(),
                "unit": unit,
                "total": table.total,
                "groups": table
                    .rows
                    .iter()
                    .map(|r| json!({
                        "key": r.value,
                        "count": r.count,
                        "groups": r.cells
                            .iter()
                            .map(|c| json!({ "key": c.value, "count": c.count }))
                            .collect::<Vec<_>>(),
                    }))
                    .collect::<Vec<_>>(),
            }))
            .into_response())
        }
    }
}

/// `GET /api/v1/stats/timeline[?filters][&format=csv]`
#[utoipa::path(
    get,
    path = "/api/v1/stats/timeline",
    params(
        ("format" = Option<crate::openapi::Format>, Query, description = "json (the default) or csv"),
        crate::openapi::StatsFilterParams,
    ),
    responses(
        (status = 200, description = "Persons who died, and persons awarded, in each month from June 1941 to September 1945", content(
            (crate::openapi::TimelineResponse = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "A parameter is wrong; the error names it", body = crate::openapi::ErrorBody),
    )
)]
pub async fn timeline(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    params.refuse_repeated()?;
    let csv = wants_csv(&params)?;
    params.refuse_blank(&YEARS)?;
    let filters = filters(&params)?;
    let unit = unit(&state).await?;
    let timeline: Timeline = counted(&state, move |index| index.timeline(&filters)).await?;
    let month = |m: &yodnoma_search::MonthCount| format!("{}-{:02}", m.year, m.month);
    if csv {
        let mut rows = vec![vec![
            "month".to_owned(),
            "deaths".to_owned(),
            "awards".to_owned(),
        ]];
        rows.extend(
            timeline
                .months
                .iter()
                .map(|m| vec![month(m), m.deaths.to_string(), m.awards.to_string()]),
        );
        return csv_download("stats-timeline", rows);
    }
    Ok(Json(json!({
        "unit": unit,
        "total": timeline.total,
        "months": timeline
            .months
            .iter()
            .map(|m| json!({ "month": month(m), "deaths": m.deaths, "awards": m.awards }))
            .collect::<Vec<_>>(),
    }))
    .into_response())
}

/// A published figure beside the registry's count of the same.
pub struct Coverage {
    pub figure: yodnoma_core::PublishedFigure,
    /// `None` when the registry cannot count what the figure counts.
    pub held: Option<u64>,
}

impl Coverage {
    /// The share of the figure the registry holds, in percent, at most 100.
    pub fn percent(&self) -> Option<f64> {
        let held = self.held?;
        (self.figure.value > 0).then(|| (held as f64 * 100.0 / self.figure.value as f64).min(100.0))
    }
}

/// The published figures, each with the registry's count.
pub async fn coverage(state: &AppState) -> Result<Vec<Coverage>, WebError> {
    let figures = state.store.figures().await?;
    let measures: Vec<_> = figures.iter().map(|f| f.measure.clone()).collect();
    let held = counted(state, move |index| {
        measures
            .iter()
            .map(|m| m.as_ref().map(|m| index.count(m)).transpose())
            .collect::<yodnoma_search::Result<Vec<_>>>()
    })
    .await?;
    Ok(figures
        .into_iter()
        .zip(held)
        .map(|(figure, held)| Coverage { figure, held })
        .collect())
}

/// `GET /api/v1/stats/figures[?format=csv]`
#[utoipa::path(
    get,
    path = "/api/v1/stats/figures",
    params(
        ("format" = Option<crate::openapi::Format>, Query, description = "json (the default) or csv"),
    ),
    responses(
        (status = 200, description = "Published figures with their sources, beside how many such persons the registry holds", content(
            (crate::openapi::FiguresResponse = "application/json"),
            (String = "text/csv")
        )),
        (status = 400, description = "A parameter is wrong; the error names it", body = crate::openapi::ErrorBody),
    )
)]
pub async fn figures(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = Params::parse(query.as_deref());
    params.refuse_repeated()?;
    let csv = wants_csv(&params)?;
    let unit = unit(&state).await?;
    let coverage = coverage(&state).await?;
    if csv {
        // Every language's label, in the columns `import figures` reads.
        let mut header = vec!["id".to_owned()];
        header.extend(Language::ALL.iter().map(|l| format!("label_{}", l.tag())));
        header.extend(["published", "qualifier", "measure", "held", "source"].map(str::to_owned));
        let mut rows = vec![header];
        rows.extend(coverage.iter().map(|c| {
            let f = &c.figure;
            let mut row = vec![f.id.to_string()];
            row.extend(
                Language::ALL
                    .iter()
                    .map(|l| f.label.exact(*l).unwrap_or_default().to_owned()),
            );
            row.extend([
                f.value.to_string(),
                f.qualifier.as_str().to_owned(),
                f.measure
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                c.held.map(|h| h.to_string()).unwrap_or_default(),
                f.source.clone(),
            ]);
            row
        }));
        return csv_download("published-figures", rows);
    }
    Ok(Json(json!({
        "unit": unit,
        "figures": coverage
            .iter()
            .map(|c| {
                let f = &c.figure;
                json!({
                    "id": f.id,
                    "label": f.label,
                    "published": f.value,
                    "qualifier": f.qualifier.as_str(),
                    "measure": f.measure.as_ref().map(ToString::to_string),
                    "held": c.held,
                    "source": f.source,
                })
            })
            .collect::<Vec<_>>(),
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn values_a_spreadsheet_would_run_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(inert("+7 700".into()), "'+7 700");
        assert_eq!(inert("-12".into()), "-12", "a number stays a number");
        assert_eq!(inert("Акмолинская область".into()), "Акмолинская область");
        assert_eq!(inert(String::new()), "");
    }
}
