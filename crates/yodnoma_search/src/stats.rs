//! Statistics of the registry, counted in the index: one document per person, with the facts
//! of all its records in fast columns, so a count by republic, region, nationality, fate, award,
//! birth decade or year of death is one aggregation, whatever the registry's size.
//!
//! A person whose records disagree (two regions, two years of death) is counted in each group
//! its records name; `total` counts each person once.

use std::ops::Bound;

use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::Count;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Term, schema::Field};

use crate::{Facet, Result, SearchIndex};

/// What persons can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsField {
    Republic,
    Region,
    Nationality,
    Fate,
    Award,
    BirthDecade,
    DeathYear,
}

impl StatsField {
    pub const ALL: [StatsField; 7] = [
        Self::Republic,
        Self::Region,
        Self::Nationality,
        Self::Fate,
        Self::Award,
        Self::BirthDecade,
        Self::DeathYear,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Republic => "republic",
            Self::Region => "region",
            Self::Nationality => "nationality",
            Self::Fate => "fate",
            Self::Award => "award",
            Self::BirthDecade => "birth_decade",
            Self::DeathYear => "death_year",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == text)
    }
}

/// Which persons to count: the filters of search, and the keys of the statistics.
#[derive(Debug, Clone, Default)]
pub struct StatsFilters {
    pub birth_from: Option<u64>,
    pub birth_to: Option<u64>,
    pub death_from: Option<u64>,
    pub death_to: Option<u64>,
    pub republic: Option<String>,
    pub region: Option<String>,
    pub nationality: Option<String>,
    pub fate: Option<String>,
    pub award: Option<String>,
}

/// Persons counted: all that match, and by group, largest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub total: u64,
    pub groups: Vec<Facet>,
}

/// More groups than any field has among the five republics' registries (regions are the most
/// numerous, about a hundred with their spellings); beyond it the smallest are left out.
const MAX_GROUPS: u32 = 1000;

impl SearchIndex {
    /// Counts the persons matching `filters` by `by`.
    pub fn stats(&self, by: StatsField, filters: &StatsFilters) -> Result<Stats> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(AllQuery))];
        let range = |field: Field, from: Option<u64>, to: Option<u64>| -> Option<Box<dyn Query>> {
            if from.is_none() && to.is_none() {
                return None;
            }
            let bound = |year: Option<u64>| match year {
                Some(year) => Bound::Included(Term::from_field_u64(field, year)),
                None => Bound::Unbounded,
            };
            Some(Box::new(RangeQuery::new(bound(from), bound(to))))
        };
        clauses.extend(
            [
                range(f.birth_year, filters.birth_from, filters.birth_to),
                range(f.death_year, filters.death_from, filters.death_to),
            ]
            .into_iter()
            .flatten()
            .map(|q| (Occur::Must, q)),
        );
        for (field, value) in [
            (f.republic, &filters.republic),
            (f.region, &filters.region),
            (f.nationality, &filters.nationality),
            (f.fate, &filters.fate),
            (f.award, &filters.award),
        ] {
            if let Some(value) = value {
                clauses.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, value),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        let query = BooleanQuery::new(clauses);
        let aggregation = match by {
            StatsField::BirthDecade => {
                serde_json::json!({ "histogram": { "field": "birth_year", "interval": 10 } })
            }
            StatsField::DeathYear => {
                serde_json::json!({ "histogram": { "field": "death_year", "interval": 1 } })
            }
            other => {
                serde_json::json!({ "terms": { "field": other.name(), "size": MAX_GROUPS } })
            }
        };
        let aggregations: Aggregations =
            serde_json::from_value(serde_json::json!({ "groups": aggregation }))
                .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let collector = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
        let searcher = self.reader.searcher();
        let (total, results) = searcher.search(&query, &(Count, collector))?;
        let json = serde_json::to_value(&results)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let mut groups = crate::query::buckets(&json, "groups");
        // Largest first; years and decades in their own order.
        if !matches!(by, StatsField::BirthDecade | StatsField::DeathYear) {
            groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        }
        Ok(Stats {
            total: total as u64,
            groups,
        })
    }
}
