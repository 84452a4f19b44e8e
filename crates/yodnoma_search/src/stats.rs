//! Statistics of the registry, counted in the index: one document per person, with the facts
//! of all its records in fast columns. The filters select persons through the index's terms,
//! and the selected persons are counted by republic, region, nationality, fate, award, birth
//! decade or year of death from those columns decoded in memory ([`crate::tally`]).
//!
//! A person whose records disagree (two regions, two years of death) is counted in each group
//! its records name; `total` counts each person once.
//!
//! Besides counts by one field: cross-tabulations of two fields (fate × republic), and the
//! timeline of deaths and awards by month of the war, all in one pass over the matching persons.

use std::ops::Bound;

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, EnableScoring, ExistsQuery, InvertedIndexRangeQuery, Occur, Query,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Term, schema::Field};
use yodnoma_core::Measure;

use crate::tally::{Ask, Counted, Tally};
use crate::{Facet, Result, SearchError, SearchIndex};

/// What persons can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsField {
    Republic,
    Region,
    District,
    Nationality,
    Fate,
    Award,
    BirthDecade,
    DeathYear,
    Category,
}

impl StatsField {
    pub const ALL: [StatsField; 9] = [
        Self::Republic,
        Self::Region,
        Self::District,
        Self::Nationality,
        Self::Fate,
        Self::Award,
        Self::BirthDecade,
        Self::DeathYear,
        Self::Category,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Republic => "republic",
            Self::Region => "region",
            Self::District => "district",
            Self::Nationality => "nationality",
            Self::Fate => "fate",
            Self::Award => "award",
            Self::BirthDecade => "birth_decade",
            Self::DeathYear => "death_year",
            Self::Category => "category",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == text)
    }

    /// Whether groups follow the calendar (decades, years) rather than size.
    pub fn is_ordinal(self) -> bool {
        matches!(self, Self::BirthDecade | Self::DeathYear)
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
    pub district: Option<String>,
    pub nationality: Option<String>,
    pub fate: Option<String>,
    pub award: Option<String>,
    pub category: Option<String>,
}

/// Persons counted: all that match, and by group, largest first.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub total: u64,
    pub groups: Vec<Facet>,
}

/// Persons counted by two fields: each group of the first, with its counts by the second.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CrossTab {
    pub total: u64,
    pub rows: Vec<CrossRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CrossRow {
    pub value: String,
    pub count: u64,
    pub cells: Vec<Facet>,
}

/// Persons who died, and persons awarded, in each month of the war, every month present.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Timeline {
    pub total: u64,
    pub months: Vec<MonthCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MonthCount {
    pub year: u16,
    pub month: u8,
    pub deaths: u64,
    pub awards: u64,
}

/// The months of the timeline: from the invasion of 22 June 1941 to the end of the war with
/// Japan on 2 September 1945, in which divisions formed in Central Asia fought too.
pub const WAR_MONTHS: ((u16, u8), (u16, u8)) = ((1941, 6), (1945, 9));

fn month_index((year, month): (u16, u8)) -> u64 {
    u64::from(year) * 12 + u64::from(month) - 1
}

/// The months of the war, numbered as the index numbers months.
pub(crate) fn war_months() -> std::ops::RangeInclusive<u64> {
    month_index(WAR_MONTHS.0)..=month_index(WAR_MONTHS.1)
}

/// The timeline's two counts, after those asked beside it.
const MONTHS: [Counted; 2] = [Counted::DEATH_MONTH, Counted::AWARD_MONTH];

/// What counting shares between calls: threads to walk segments in parallel, the counted
/// fields decoded, and the answers already given for the index as it is now. Counts change only
/// when the index does, and the statistics page asks the same counts on every visit; a commit
/// starts the cache afresh.
pub(crate) struct Counting {
    executor: tantivy::Executor,
    columns: crate::tally::Columns,
    cache: std::sync::Mutex<Cache>,
    flights: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<Flight>>>,
}

/// A count being made now. Whoever asks for the same count meanwhile waits for its answer
/// instead of walking the index beside it: after a change, the page's first visitors and the
/// counting ahead ask the same counts at once, and two walks on two cores take twice as long.
#[derive(Default)]
struct Flight {
    /// `None` while counting; then the answer, or `Some(None)` if the count failed.
    answer: std::sync::Mutex<Option<Option<Arc<Tally>>>>,
    landed: std::sync::Condvar,
}

impl Flight {
    /// The answer once counted, or `None` if the count failed (the waiter then counts itself).
    fn wait(&self) -> Option<Arc<Tally>> {
        let mut answer = self.answer.lock().ok()?;
        loop {
            if let Some(answer) = answer.as_ref() {
                return answer.clone();
            }
            answer = self.landed.wait(answer).ok()?;
        }
    }
}

/// The first asker of a count: lands its answer for those waiting, or, dropped without one
/// (an error, a panic), lets them count themselves.
struct Leading<'a> {
    counting: &'a Counting,
    key: String,
    /// Taken when the answer lands.
    flight: Option<std::sync::Arc<Flight>>,
}

impl Leading<'_> {
    fn land(mut self, answer: &Arc<Tally>) {
        self.finish(Some(answer.clone()));
    }

    fn finish(&mut self, answer: Option<Arc<Tally>>) {
        let Some(flight) = self.flight.take() else {
            return;
        };
        if let Ok(mut flights) = self.counting.flights.lock()
            && flights
                .get(&self.key)
                .is_some_and(|f| std::sync::Arc::ptr_eq(f, &flight))
        {
            flights.remove(&self.key);
        }
        if let Ok(mut slot) = flight.answer.lock() {
            *slot = Some(answer);
        }
        flight.landed.notify_all();
    }
}

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        self.finish(None);
    }
}

/// Answers of one index generation. Those counted ahead for the statistics page stay until the
/// index changes; the others are bounded by their size (their groups, and their key, which
/// holds the caller's filters), and forgotten together when the bound is passed.
#[derive(Default)]
struct Cache {
    generation: u64,
    ahead: std::collections::HashMap<String, Arc<Tally>>,
    recent: std::collections::HashMap<String, Arc<Tally>>,
    recent_bytes: usize,
}

/// What one group of an answer takes in memory, about.
const GROUP_BYTES: usize = 200;

/// Bytes kept among the recent answers: about a hundred statistics pages of a large registry.
/// Counted with the keys, or many answers that select nobody under long filters would pile up.
const CACHED_BYTES: usize = 40 << 20;

impl Counting {
    pub(crate) fn new() -> tantivy::Result<Self> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        Ok(Self {
            executor: tantivy::Executor::multi_thread(threads, "yodnoma-stats-")?,
            columns: crate::tally::Columns::default(),
            cache: std::sync::Mutex::new(Cache::default()),
            flights: std::sync::Mutex::default(),
        })
    }

    /// Joins the count of `key` in flight, or leads it when none is.
    fn join(&self, key: String) -> Result<Leading<'_>, std::sync::Arc<Flight>> {
        let Ok(mut flights) = self.flights.lock() else {
            // A poisoned list of flights: count alone, as if first.
            return Ok(Leading {
                counting: self,
                key,
                flight: None,
            });
        };
        if let Some(flight) = flights.get(&key) {
            return Err(flight.clone());
        }
        let flight = std::sync::Arc::<Flight>::default();
        flights.insert(key.clone(), flight.clone());
        Ok(Leading {
            counting: self,
            key,
            flight: Some(flight),
        })
    }

    fn cached(&self, generation: u64, key: &str) -> Option<Arc<Tally>> {
        let cache = self.cache.lock().ok()?;
        if cache.generation != generation {
            return None;
        }
        cache
            .ahead
            .get(key)
            .or_else(|| cache.recent.get(key))
            .cloned()
    }

    fn keep(&self, generation: u64, key: String, answer: &Arc<Tally>, ahead: bool) {
        let Ok(mut cache) = self.cache.lock() else {
            return;
        };
        // A slow request that began on an older index must not empty the newer answers.
        if generation < cache.generation {
            return;
        }
        if generation > cache.generation {
            *cache = Cache {
                generation,
                ..Cache::default()
            };
        }
        if ahead {
            cache.ahead.insert(key, answer.clone());
            return;
        }
        let bytes = answer
            .groups()
            .max(1)
            .saturating_mul(GROUP_BYTES)
            .saturating_add(key.len());
        if cache.recent_bytes.saturating_add(bytes) > CACHED_BYTES {
            cache.recent.clear();
            cache.recent_bytes = 0;
        }
        if bytes <= CACHED_BYTES {
            cache.recent_bytes += bytes;
            cache.recent.insert(key, answer.clone());
        }
    }
}

/// More groups than any field has among the five republics' registries (regions are the most
/// numerous, about a hundred with their spellings); beyond it the smallest are left out.
const MAX_GROUPS: u32 = 1000;

/// What the statistics page shows, counted in one pass over the matching persons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overview {
    /// One per field asked, in order.
    pub by: Vec<Stats>,
    /// One per pair of fields asked, in order.
    pub crosses: Vec<CrossTab>,
    pub timeline: Timeline,
}

/// An answer, or the refusal of one that has too many groups.
fn refused_if_too_many(answer: Arc<Tally>) -> Result<Arc<Tally>> {
    if answer.too_many {
        Err(SearchError::TooManyGroups)
    } else {
        Ok(answer)
    }
}

/// The groups of one count, ordered, the largest [`MAX_GROUPS`] kept.
fn facets(counts: &HashMap<String, u64>, by: StatsField) -> Vec<Facet> {
    let mut groups: Vec<Facet> = counts
        .iter()
        .map(|(value, count)| Facet {
            value: value.clone(),
            count: *count,
        })
        .collect();
    if groups.len() > MAX_GROUPS as usize {
        groups.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        groups.truncate(MAX_GROUPS as usize);
    }
    order(by, &mut groups);
    groups
}

/// A group of a count: its name and its number of persons.
trait Grouped {
    fn value(&self) -> &str;
    fn count(&self) -> u64;
}

/// Groups by one field, and the rows of a cross-tabulation, are both groups.
macro_rules! grouped {
    ($($group:ty),*) => {$(
        impl Grouped for $group {
            fn value(&self) -> &str { &self.value }
            fn count(&self) -> u64 { self.count }
        }
    )*};
}

grouped!(Facet, CrossRow);

/// The rows of a cross-tabulation: each group of `rows` (counted by `by_rows`) with its cells.
fn cross_rows(
    by_rows: &HashMap<String, u64>,
    cells: &HashMap<(String, String), u64>,
    rows: StatsField,
    columns: StatsField,
) -> Vec<CrossRow> {
    let mut by_row: HashMap<&str, HashMap<String, u64>> = HashMap::new();
    for ((row, column), count) in cells {
        by_row
            .entry(row.as_str())
            .or_default()
            .insert(column.clone(), *count);
    }
    let mut out: Vec<CrossRow> = facets(by_rows, rows)
        .into_iter()
        .map(|row| CrossRow {
            cells: by_row
                .get(row.value.as_str())
                .map_or_else(Vec::new, |cells| facets(cells, columns)),
            value: row.value,
            count: row.count,
        })
        .collect();
    order(rows, &mut out);
    out
}

/// Every month of the war with its deaths and awards, months without either included.
fn read_months(deaths: &HashMap<String, u64>, awards: &HashMap<String, u64>) -> Vec<MonthCount> {
    let by_month = |counts: &HashMap<String, u64>| -> HashMap<u64, u64> {
        counts
            .iter()
            .filter_map(|(month, count)| Some((month.parse().ok()?, *count)))
            .collect()
    };
    let (deaths, awards) = (by_month(deaths), by_month(awards));
    war_months()
        .map(|m| MonthCount {
            year: u16::try_from(m / 12).unwrap_or(u16::MAX),
            month: u8::try_from(m % 12 + 1).unwrap_or(1),
            deaths: deaths.get(&m).copied().unwrap_or(0),
            awards: awards.get(&m).copied().unwrap_or(0),
        })
        .collect()
}

impl SearchIndex {
    /// Counts the persons matching `filters` by `by`.
    pub fn stats(&self, by: StatsField, filters: &StatsFilters) -> Result<Stats> {
        let ask = Ask {
            by: vec![Counted::of(by)],
            crosses: Vec::new(),
        };
        let tally = self.tally(filters, &ask, false)?;
        Ok(Stats {
            total: tally.total,
            groups: facets(&tally.by[0], by),
        })
    }

    /// Counts the persons matching `filters` by `rows` and, within each row, by `columns`.
    pub fn crosstab(
        &self,
        rows: StatsField,
        columns: StatsField,
        filters: &StatsFilters,
    ) -> Result<CrossTab> {
        let ask = Ask {
            by: vec![Counted::of(rows)],
            crosses: vec![(Counted::of(rows), Counted::of(columns))],
        };
        let tally = self.tally(filters, &ask, false)?;
        Ok(CrossTab {
            total: tally.total,
            rows: cross_rows(&tally.by[0], &tally.crosses[0], rows, columns),
        })
    }

    /// Deaths and awards of the persons matching `filters`, by month of the war.
    pub fn timeline(&self, filters: &StatsFilters) -> Result<Timeline> {
        let ask = Ask {
            by: MONTHS.to_vec(),
            crosses: Vec::new(),
        };
        let tally = self.tally(filters, &ask, false)?;
        Ok(Timeline {
            total: tally.total,
            months: read_months(&tally.by[0], &tally.by[1]),
        })
    }

    /// Everything the statistics page shows, in one walk over the matching persons: counts by
    /// each of `fields`, the cross-tabulations of `crosses`, and the timeline.
    pub fn overview(
        &self,
        fields: &[StatsField],
        crosses: &[(StatsField, StatsField)],
        filters: &StatsFilters,
    ) -> Result<Overview> {
        self.overview_kept(fields, crosses, filters, false)
    }

    /// Counts an overview ahead of the visitors who will ask for it: its answer is kept until
    /// the index changes, whatever else is asked meanwhile.
    pub fn count_ahead(
        &self,
        fields: &[StatsField],
        crosses: &[(StatsField, StatsField)],
        filters: &StatsFilters,
    ) -> Result<()> {
        self.overview_kept(fields, crosses, filters, true)
            .map(|_| ())
    }

    fn overview_kept(
        &self,
        fields: &[StatsField],
        crosses: &[(StatsField, StatsField)],
        filters: &StatsFilters,
        ahead: bool,
    ) -> Result<Overview> {
        // The rows of each cross-tabulation are counted by their field too, once, and the
        // months of the timeline come last.
        let mut by: Vec<StatsField> = fields.to_vec();
        let mut rows_at = Vec::with_capacity(crosses.len());
        for (rows, _) in crosses {
            rows_at.push(by.iter().position(|f| f == rows).unwrap_or(by.len()));
            if !by.contains(rows) {
                by.push(*rows);
            }
        }
        let ask = Ask {
            by: by.iter().map(|f| Counted::of(*f)).chain(MONTHS).collect(),
            crosses: crosses
                .iter()
                .map(|(r, c)| (Counted::of(*r), Counted::of(*c)))
                .collect(),
        };
        let tally = self.tally(filters, &ask, ahead)?;
        let total = tally.total;
        let months = &tally.by[by.len()..];
        Ok(Overview {
            by: fields
                .iter()
                .zip(&tally.by)
                .map(|(field, counts)| Stats {
                    total,
                    groups: facets(counts, *field),
                })
                .collect(),
            crosses: crosses
                .iter()
                .zip(&rows_at)
                .zip(&tally.crosses)
                .map(|(((rows, columns), at), cells)| CrossTab {
                    total,
                    rows: cross_rows(&tally.by[*at], cells, *rows, *columns),
                })
                .collect(),
            timeline: Timeline {
                total,
                months: read_months(&months[0], &months[1]),
            },
        })
    }

    /// How many persons the registry holds of what `measure` counts.
    pub fn count(&self, measure: &Measure) -> Result<u64> {
        let f = &self.fields;
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let query: Box<dyn Query> = match measure {
            Measure::Persons => Box::new(AllQuery),
            Measure::Category(category) => term(f.category, category.as_str()),
            Measure::Fates(fates) => Box::new(BooleanQuery::new(
                fates
                    .iter()
                    .map(|fate| (Occur::Should, term(f.fate, fate.as_str())))
                    .collect(),
            )),
            Measure::AnyAward => Box::new(ExistsQuery::new("award".to_owned(), false)),
            Measure::Award(key) => term(f.award, key),
        };
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = format!("count {measure}");
        if let Some(tally) = self.stats.cached(generation, &key) {
            return Ok(tally.total);
        }
        let count = searcher.search_with_executor(
            &*query,
            &Count,
            &self.stats.executor,
            EnableScoring::disabled_from_searcher(&searcher),
        )? as u64;
        let tally = Tally {
            total: count,
            ..Tally::default()
        };
        self.stats.keep(generation, key, &Arc::new(tally), true);
        Ok(count)
    }

    /// Counts `ask` over the persons matching `filters`; the answer is kept until the index
    /// changes when `ahead`, else while there is room.
    fn tally(&self, filters: &StatsFilters, ask: &Ask, ahead: bool) -> Result<Arc<Tally>> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        let key = format!("{filters:?}{ask:?}");
        // An answer found (kept, or counted by another asker meanwhile) is kept until the next
        // change when this call counts ahead.
        let found = |answer: Arc<Tally>| {
            if ahead {
                self.stats.keep(generation, key.clone(), &answer, true);
            }
            refused_if_too_many(answer)
        };
        if let Some(answer) = self.stats.cached(generation, &key) {
            return found(answer);
        }
        let leading = match self.stats.join(format!("{generation} {key}")) {
            Ok(leading) => {
                // A flight may have landed between the look in the cache and the join.
                if let Some(answer) = self.stats.cached(generation, &key) {
                    leading.land(&answer);
                    return found(answer);
                }
                Some(leading)
            }
            Err(flight) => match flight.wait() {
                Some(answer) => return found(answer),
                None => None,
            },
        };
        let segments: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.segment_id())
            .collect();
        self.stats.columns.keep_only(generation, &segments);
        let tally = searcher.search_with_executor(
            &self.filter_query(filters),
            &self.stats.columns.counter(ask),
            &self.stats.executor,
            EnableScoring::disabled_from_searcher(&searcher),
        )?;
        // A count refused for too many groups is kept and shared as any other answer, so that
        // asking it again costs nothing.
        let answer = Arc::new(tally);
        self.stats.keep(generation, key, &answer, ahead);
        if let Some(leading) = leading {
            leading.land(&answer);
        }
        refused_if_too_many(answer)
    }

    /// Empties the cache of answers, so that the next counts walk the index (for benchmarks
    /// that time the first call of each kind).
    pub fn forget_counts(&self) {
        if let Ok(mut cache) = self.stats.cache.lock() {
            let generation = cache.generation;
            *cache = Cache {
                generation,
                ..Cache::default()
            };
        }
    }

    fn filter_query(&self, filters: &StatsFilters) -> BooleanQuery {
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
            Some(Box::new(InvertedIndexRangeQuery::new(
                bound(from),
                bound(to),
            )))
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
            (f.district, &filters.district),
            (f.nationality, &filters.nationality),
            (f.fate, &filters.fate),
            (f.award, &filters.award),
            (f.category, &filters.category),
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
        BooleanQuery::new(clauses)
    }
}

/// Largest first; years and decades in the calendar's order.
fn order<T: Grouped>(by: StatsField, groups: &mut [T]) {
    if by.is_ordinal() {
        groups.sort_by_key(|g| g.value().parse::<u64>().unwrap_or(u64::MAX));
    } else {
        groups.sort_by(|a, b| {
            b.count()
                .cmp(&a.count())
                .then_with(|| a.value().cmp(b.value()))
        });
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use yodnoma_core::{Person, PersonId, SourceName, SourceRecord, person::PersonRecord};

    use super::*;

    fn person(id: &str, died: Option<&str>, awarded: Option<&str>, fate: &str) -> Person {
        Person {
            id: PersonId::parse(id).unwrap(),
            records: vec![PersonRecord {
                source: SourceName::parse("t").unwrap(),
                record: SourceRecord {
                    record_id: id.to_owned(),
                    surname: Some("Иванов".to_owned()),
                    death_date: died.map(|d| d.parse().unwrap()),
                    award_date: awarded.map(|d| d.parse().unwrap()),
                    award: awarded.map(|_| "Медаль «За отвагу»".to_owned()),
                    fate: yodnoma_core::Fate::parse(fate),
                    country: Some("Kazakhstan".to_owned()),
                    ..SourceRecord::default()
                },
            }],
        }
    }

    #[test]
    fn a_count_asked_twice_at_once_is_made_once_and_a_failed_one_is_made_again() {
        let counting = Counting::new().unwrap();
        let answer = Arc::new(Tally {
            total: 7,
            ..Tally::default()
        });
        let Ok(first) = counting.join("1 fate".to_owned()) else {
            panic!("no count is in flight yet")
        };
        let Err(second) = counting.join("1 fate".to_owned()) else {
            panic!("the second asker waits for the first")
        };
        // Another count, or the same one on another state of the index, is not the same flight.
        assert!(counting.join("2 fate".to_owned()).is_ok());
        let waiting = std::thread::spawn(move || second.wait());
        first.land(&answer);
        assert_eq!(waiting.join().unwrap(), Some(answer));
        // Landed, the flight is over: the next asker leads a count of its own.
        let Ok(again) = counting.join("1 fate".to_owned()) else {
            panic!("the landed flight is gone")
        };
        let Err(third) = counting.join("1 fate".to_owned()) else {
            panic!("in flight again")
        };
        // A first asker that fails lands nothing: whoever waited counts for itself.
        drop(again);
        assert_eq!(third.wait(), None);
        assert!(counting.join("1 fate".to_owned()).is_ok());
    }

    #[test]
    fn a_person_is_counted_once_in_each_decade_and_years_come_in_calendar_order() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        for (id, born, died, fate) in [
            ("p1", "1912", "1944", "killed"),
            ("p2", "1915-03", "1942", "killed"),
            ("p3", "1921", "1944", "missing"),
            ("p4", "1909", "1943", "killed"),
            ("p5", "1919", "1943", "missing"),
            ("p6", "1910", "1943", "killed"),
        ] {
            let mut p = person(id, Some(died), None, fate);
            p.records[0].record.birth_date = Some(born.parse().unwrap());
            writer.put(&p).unwrap();
        }
        // Two records of one person disagree on the year of birth, within one decade: one
        // person of the 1910s; across two decades, one person in each.
        for (id, years) in [("p7", ["1913", "1917"]), ("p8", ["1919", "1920"])] {
            let mut p = person(id, Some("1943"), None, "killed");
            p.records[0].record.birth_date = Some(years[0].parse().unwrap());
            let mut second = p.records[0].clone();
            second.record.record_id = format!("{id}-b");
            second.record.birth_date = Some(years[1].parse().unwrap());
            p.records.push(second);
            writer.put(&p).unwrap();
        }
        writer.commit().unwrap();
        let all = StatsFilters::default();
        let groups = |stats: Stats| -> Vec<(String, u64)> {
            stats
                .groups
                .into_iter()
                .map(|g| (g.value, g.count))
                .collect()
        };
        let expected = |pairs: &[(&str, u64)]| -> Vec<(String, u64)> {
            pairs.iter().map(|(v, c)| ((*v).to_owned(), *c)).collect()
        };
        assert_eq!(
            groups(index.stats(StatsField::BirthDecade, &all).unwrap()),
            expected(&[("1900", 1), ("1910", 6), ("1920", 2)])
        );
        assert_eq!(
            groups(index.stats(StatsField::DeathYear, &all).unwrap()),
            expected(&[("1942", 1), ("1943", 5), ("1944", 2)])
        );
        let cross = index
            .crosstab(StatsField::BirthDecade, StatsField::Fate, &all)
            .unwrap();
        type Row<'a> = (&'a str, u64, Vec<(&'a str, u64)>);
        let rows: Vec<Row> = cross
            .rows
            .iter()
            .map(|r| {
                let cells = r
                    .cells
                    .iter()
                    .map(|c| (c.value.as_str(), c.count))
                    .collect();
                (r.value.as_str(), r.count, cells)
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                ("1900", 1, vec![("killed", 1)]),
                ("1910", 6, vec![("killed", 5), ("missing", 1)]),
                ("1920", 2, vec![("killed", 1), ("missing", 1)]),
            ]
        );
        // The page reads the count by a field from the cross-tabulation of which it is the rows.
        let overview = index
            .overview(
                &[StatsField::BirthDecade, StatsField::Fate],
                &[(StatsField::BirthDecade, StatsField::Fate)],
                &all,
            )
            .unwrap();
        assert_eq!(
            overview.by[0],
            index.stats(StatsField::BirthDecade, &all).unwrap()
        );
        assert_eq!(overview.by[1], index.stats(StatsField::Fate, &all).unwrap());
        assert_eq!(overview.crosses[0], cross);
    }

    #[test]
    fn counts_stay_right_as_segments_come_and_are_merged() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        let all = StatsFilters::default();
        for i in 0..12u64 {
            let fate = if i % 3 == 0 { "missing" } else { "killed" };
            writer
                .put(&person(&format!("p{i}"), Some("1943"), None, fate))
                .unwrap();
            // Each commit makes a segment, decoded at the next count beside those kept.
            writer.commit().unwrap();
            assert_eq!(index.stats(StatsField::Fate, &all).unwrap().total, i + 1);
        }
        writer.finish().unwrap();
        let merged = SearchIndex::open(dir.path()).unwrap();
        let segments = merged.reader.searcher().segment_readers().len();
        assert!(segments < 12, "the merges left {segments} segments");
        for index in [&index, &merged] {
            let fates = index.stats(StatsField::Fate, &all).unwrap();
            let counts: Vec<(&str, u64)> = fates
                .groups
                .iter()
                .map(|g| (g.value.as_str(), g.count))
                .collect();
            assert_eq!(counts, [("killed", 8), ("missing", 4)]);
        }
    }

    #[test]
    fn timeline_counts_deaths_and_awards_in_their_months_of_the_war() {
        let dir = tempfile::tempdir().unwrap();
        let index = SearchIndex::open(dir.path()).unwrap();
        let mut writer = index.writer().unwrap();
        for p in [
            person("p1", Some("1943-07-03"), Some("1942-03"), "killed"),
            person("p2", Some("1943-07"), None, "killed"),
            person("p3", Some("1943"), Some("1945-05-09"), "survived"),
            // Before the war's first month and after its last: left out.
            person("p4", Some("1941-05-30"), Some("1946-01-01"), "died_later"),
        ] {
            writer.put(&p).unwrap();
        }
        writer.commit().unwrap();
        let timeline = index.timeline(&StatsFilters::default()).unwrap();
        assert_eq!(timeline.total, 4);
        assert_eq!(timeline.months.len(), 52);
        let at = |year: u16, month: u8| {
            let m = timeline
                .months
                .iter()
                .find(|m| (m.year, m.month) == (year, month))
                .unwrap();
            (m.deaths, m.awards)
        };
        assert_eq!(at(1943, 7), (2, 0));
        assert_eq!(at(1942, 3), (0, 1));
        assert_eq!(at(1945, 5), (0, 1));
        let deaths: u64 = timeline.months.iter().map(|m| m.deaths).sum();
        let awards: u64 = timeline.months.iter().map(|m| m.awards).sum();
        assert_eq!((deaths, awards), (2, 2));

        let killed = StatsFilters {
            fate: Some("killed".to_owned()),
            ..StatsFilters::default()
        };
        let cross = index
            .crosstab(
                StatsField::Fate,
                StatsField::Republic,
                &StatsFilters::default(),
            )
            .unwrap();
        assert_eq!(cross.rows[0].value, "killed");
        assert_eq!(cross.rows[0].cells[0].value, "kazakhstan");
        assert_eq!(cross.rows[0].cells[0].count, 2);
        assert_eq!(index.timeline(&killed).unwrap().total, 2);
        // The page's one walk counts what the separate calls count.
        let overview = index
            .overview(
                &StatsField::ALL,
                &[(StatsField::Fate, StatsField::Republic)],
                &StatsFilters::default(),
            )
            .unwrap();
        for (field, stats) in StatsField::ALL.iter().zip(&overview.by) {
            assert_eq!(
                *stats,
                index.stats(*field, &StatsFilters::default()).unwrap()
            );
        }
        assert_eq!(overview.crosses[0], cross);
        assert_eq!(overview.timeline, timeline);

        // Answers are kept, counted ahead or not, only while the index stays as it was.
        let fields = [StatsField::Fate];
        index
            .count_ahead(&fields, &[], &StatsFilters::default())
            .unwrap();
        let before = index.stats(StatsField::Fate, &killed).unwrap();
        assert_eq!(before.total, 2);
        drop(writer);
        let mut writer = index.writer().unwrap();
        writer
            .put(&person("p5", Some("1944-01"), None, "killed"))
            .unwrap();
        writer.commit().unwrap();
        assert_eq!(index.stats(StatsField::Fate, &killed).unwrap().total, 3);
        let after = index
            .overview(&fields, &[], &StatsFilters::default())
            .unwrap();
        assert_eq!(after.by[0].total, 5);
        assert_eq!(index.count(&Measure::Persons).unwrap(), 5);
        assert_eq!(index.count(&Measure::AnyAward).unwrap(), 3);
        assert_eq!(
            index
                .count(&Measure::Fates(vec![
                    yodnoma_core::Fate::Killed,
                    yodnoma_core::Fate::Survived
                ]))
                .unwrap(),
            4
        );

        // A person put again is counted once, as it is now: its old document is gone.
        writer
            .put(&person("p5", Some("1944-01"), None, "survived"))
            .unwrap();
        writer.commit().unwrap();
        let fates = index
            .stats(StatsField::Fate, &StatsFilters::default())
            .unwrap();
        let counts: Vec<(&str, u64)> = fates
            .groups
            .iter()
            .map(|g| (g.value.as_str(), g.count))
            .collect();
        assert_eq!(fates.total, 5);
        assert_eq!(counts, [("killed", 2), ("survived", 2), ("died_later", 1)]);
    }
}
