//! The name search as the site and the API ask it: the parameters, checked and named in every
//! error, and the call into the index off the request threads.

use yodnoma_core::{AwardKind, Fate};
use yodnoma_search::{SearchRequest, SearchResults};

use crate::params::Params;
use crate::{AppState, WebError};

/// The deepest result a search pages to.
pub const MAX_OFFSET: usize = 1_000;

/// A query longer than this is refused: no name is, and each word costs several lookups.
pub const MAX_QUERY_CHARS: usize = 200;

/// The text of parameter `name`, refused when longer than [`MAX_QUERY_CHARS`].
pub fn short(params: &Params, name: &str) -> Result<Option<String>, WebError> {
    match params.text(name) {
        Some(v) if v.chars().count() > MAX_QUERY_CHARS => Err(WebError::BadRequest(format!(
            "{name}: is longer than {MAX_QUERY_CHARS} characters"
        ))),
        v => Ok(v.map(str::to_owned)),
    }
}

/// The filters of a search, as given in the query string.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub born_from: Option<u64>,
    pub born_to: Option<u64>,
    pub region: Option<String>,
    pub fate: Option<String>,
    pub award: Option<String>,
}

impl Filters {
    pub fn parse(params: &Params) -> Result<Self, WebError> {
        let year = |name: &str| -> Result<Option<u64>, WebError> {
            params
                .text(name)
                .map(|_| params.number(name, 0, 1800, 2100).map(|y| y as u64))
                .transpose()
        };
        let born_from = year("born_from")?;
        let born_to = year("born_to")?;
        if let (Some(from), Some(to)) = (born_from, born_to)
            && from > to
        {
            return Err(WebError::BadRequest(format!(
                "born_from: {from} is after born_to {to}"
            )));
        }
        let fate = params.text("fate").map(str::to_owned);
        if let Some(fate) = &fate
            && Fate::parse(fate).is_none()
        {
            let known: Vec<&str> = Fate::ALL.iter().map(|f| f.as_str()).collect();
            return Err(WebError::BadRequest(format!(
                "fate: '{}' is not one of {}",
                fate.chars().take(30).collect::<String>(),
                known.join(", ")
            )));
        }
        let award = params.text("award").map(str::to_owned);
        if let Some(award) = &award
            && !AwardKind::ALL.iter().any(|kind| kind.key() == award)
        {
            let known: Vec<&str> = AwardKind::ALL.iter().map(|k| k.key()).collect();
            return Err(WebError::BadRequest(format!(
                "award: '{}' is not one of {}",
                award.chars().take(30).collect::<String>(),
                known.join(", ")
            )));
        }
        Ok(Self {
            born_from,
            born_to,
            region: short(params, "region")?,
            fate,
            award,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.born_from.is_none()
            && self.born_to.is_none()
            && self.region.is_none()
            && self.fate.is_none()
            && self.award.is_none()
    }

    /// The filters as query-string pairs, for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(y) = self.born_from {
            pairs.push(("born_from", y.to_string()));
        }
        if let Some(y) = self.born_to {
            pairs.push(("born_to", y.to_string()));
        }
        for (name, value) in [
            ("region", &self.region),
            ("fate", &self.fate),
            ("award", &self.award),
        ] {
            if let Some(v) = value {
                pairs.push((name, v.clone()));
            }
        }
        pairs
    }
}

/// Checks the query text: a clear error for one too long, else the text as given.
pub fn query_text(text: &str) -> Result<&str, WebError> {
    if text.chars().count() > MAX_QUERY_CHARS {
        return Err(WebError::BadRequest(format!(
            "q: is longer than {MAX_QUERY_CHARS} characters"
        )));
    }
    Ok(text)
}

/// Runs a search on a blocking thread: the index reads memory-mapped files.
pub async fn run(
    state: &AppState,
    text: &str,
    filters: &Filters,
    limit: usize,
    offset: usize,
    facets: bool,
) -> Result<SearchResults, WebError> {
    let request = SearchRequest {
        text: text.to_owned(),
        limit,
        offset,
        birth_from: filters.born_from,
        birth_to: filters.born_to,
        region: filters.region.clone(),
        fate: filters.fate.clone(),
        award: filters.award.clone(),
        facets,
    };
    let index = state.search.clone();
    tokio::task::spawn_blocking(move || index.search(&request))
        .await
        .map_err(|e| WebError::Internal(format!("the search task failed: {e}")))?
        .map_err(|e| WebError::Internal(e.to_string()))
}
