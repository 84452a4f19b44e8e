//! Query planning and ranking.
//!
//! Every word of the query is looked up by its folded form, Latin key and phonetic key at
//! once, each kind with its own constant weight, so that the index's own ranking already puts
//! exact spellings above transliterations above sound-alikes. When that finds fewer than
//! [`FEW`] persons, fuzzy lookups of the Latin key are added; when it finds none, one word of
//! a query of several may go unmatched (a patronymic the record does not give). The best
//! candidates are then ranked by [`yodnoma_names::match_name`] on the names as written.

use std::ops::Bound;

use serde_json::Value;
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value as _};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument, Term};
use yodnoma_names::{MatchKind, NameMatch, Script, Word, WordMatch};

use crate::{Result, SearchIndex};

/// Words of a query beyond this many are ignored: no name has more, and each word costs
/// several lookups.
const MAX_WORDS: usize = 6;
/// Below this many persons found, the plan goes on to fuzzy matching.
const FEW: usize = 10;
/// Longer words are no names, and their fuzzy lookup would cost the most.
const MAX_FUZZY_LETTERS: usize = 24;
/// Persons sharing a word's phonetic key beyond which the word gets no fuzzy lookup.
const COMMON: u64 = 20_000;
/// Candidates ranked by the full name match; the index's own order decides beyond them.
const CANDIDATES: usize = 200;

/// The weights of the lookups of one word; a word scores its best lookup only.
const EXACT: f32 = 8.0;
const LATIN: f32 = 4.0;
const PHONETIC: f32 = 2.0;
const FUZZY: f32 = 1.0;
const INITIAL: f32 = 1.5;
const RECORD_INITIAL: f32 = 0.5;
/// Added when the word is a surname or given name of the person, not only a father's name:
/// less than the weights differ by, more than prominence adds.
const ROLE: f32 = 0.45;
const _: () = assert!(MAX_WORDS as f32 * ROLE + 100.0 / 256.0 < EXACT - LATIN);

/// A search as a reader or the API asks it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub text: String,
    pub limit: usize,
    pub offset: usize,
    pub birth_from: Option<u64>,
    pub birth_to: Option<u64>,
    pub region: Option<String>,
    pub fate: Option<String>,
    pub award: Option<String>,
    /// Whether to count the matching persons by region, fate, award and birth decade.
    pub facets: bool,
}

/// How far the query plan had to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Folded forms, Latin and phonetic keys.
    Keys,
    /// Fuzzy lookups added.
    Fuzzy,
    /// One word of the query allowed to miss.
    Relaxed,
}

/// One way of reading the query's words: as typed, or with a hyphenated compound run
/// together ("Анна-Клыч" as "аннаклыч"). Each word weighs as many typed words as it stands for,
/// so that both readings of a name score alike in the index.
struct Reading {
    words: Vec<Word>,
    weights: Vec<f32>,
}

impl Reading {
    fn typed(words: Vec<Word>) -> Self {
        let weights = vec![1.0; words.len()];
        Self { words, weights }
    }

    /// `compound` read against the words as typed: a word that is several typed words run
    /// together weighs as many.
    fn compound(compound: Vec<Word>, typed: &[Word]) -> Self {
        let mut weights = Vec::with_capacity(compound.len());
        let mut next = 0;
        for word in &compound {
            let mut joined = String::new();
            let mut span = 0;
            while let Some(t) = typed.get(next + span) {
                joined.push_str(&t.folded);
                span += 1;
                if !word.folded.starts_with(&joined) || joined.len() >= word.folded.len() {
                    break;
                }
            }
            let span = if joined == word.folded { span } else { 1 };
            weights.push(span as f32);
            next += span;
        }
        Self {
            words: compound,
            weights,
        }
    }
}

/// Which persons a stage's query finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// All that the stage's lookups find.
    All,
    /// Only those whose every word is spelled as the query spells it: they score the most.
    Spelled,
}

/// One person found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchHit {
    pub person_id: String,
    /// The name to show.
    pub name: String,
    /// From 0 to 1, to three decimals.
    pub score: f64,
    /// `(source, record_id)` of each of the person's records.
    pub records: Vec<(String, String)>,
    /// The name form, as written, that matched best.
    pub matched_name: String,
    /// How each word of the query matched.
    pub matched: Vec<WordMatch>,
    pub birth_year: Option<u64>,
    pub region: Option<String>,
}

/// A value of a facet and how many persons found have it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Facet {
    pub value: String,
    pub count: u64,
}

/// Counts of the persons found, by what the search can be narrowed by.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Facets {
    pub region: Vec<Facet>,
    pub fate: Vec<Facet>,
    pub award: Vec<Facet>,
    pub birth_decade: Vec<Facet>,
}

/// A page of results.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchResults {
    /// Persons found in all.
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub stage: Stage,
    /// A spelling the registry has, when the best match only sounds like the query.
    pub suggestion: Option<String>,
    pub facets: Option<Facets>,
}

impl SearchResults {
    fn empty(stage: Stage) -> Self {
        Self {
            total: 0,
            hits: Vec::new(),
            stage,
            suggestion: None,
            facets: None,
        }
    }
}

impl SearchIndex {
    /// Finds persons by name, best first.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let words: Vec<Word> = yodnoma_names::words(&request.text)
            .into_iter()
            .take(MAX_WORDS)
            .collect();
        // Initials alone name nobody ("а", "А. Б."): they would match a large share of the
        // registry, each search walking it whole, to rank persons by nothing.
        if words.iter().all(Word::is_initial) {
            return Ok(SearchResults::empty(Stage::Keys));
        }
        // A hyphenated compound ("Анна-Клыч") is also looked for run together ("Аннаклыч"),
        // as other records write it.
        let compound = yodnoma_names::compound_words(&request.text)
            .map(|c| Reading::compound(c.into_iter().take(MAX_WORDS).collect(), &words));
        let readings: Vec<Reading> = std::iter::once(Reading::typed(words))
            .chain(compound)
            .collect();
        let words = &readings[0].words;
        let searcher = self.reader.searcher();
        let wanted = request.offset.saturating_add(request.limit).max(1);
        let depth = wanted.max(CANDIDATES);
        let mut stage = Stage::Keys;
        let (query, found, total) = loop {
            let query = self.plan(&searcher, &readings, stage, request, Tier::All)?;
            // Counting needs no scores, and without them the lookups that only add to the
            // score are not walked at all.
            let total = searcher.search(&query, &Count)?;
            let next = match stage {
                Stage::Keys if total < FEW => Some(Stage::Fuzzy),
                Stage::Fuzzy if total == 0 && words.len() > 1 => Some(Stage::Relaxed),
                _ => None,
            };
            if let Some(next) = next {
                stage = next;
                continue;
            }
            // A common name (Михайлов Михаил: 340,000 sound-alikes among ten million) would
            // have every sound-alike scored. When enough persons spell every word as the
            // query does, they are the best candidates: any other person scores at least
            // EXACT − LATIN less for a word, more than the roles of six words and prominence
            // together add (6 × ROLE + 0.4 < 4). Only they are scored then.
            if stage == Stage::Keys && total > depth {
                let spelled = self.plan(&searcher, &readings, stage, request, Tier::Spelled)?;
                let (found, spelled_total) =
                    searcher.search(&spelled, &(self.top_candidates(depth), Count))?;
                if spelled_total >= depth {
                    break (query, found, total);
                }
            }
            let found = searcher.search(&query, &self.top_candidates(depth))?;
            break (query, found, total);
        };
        let mut hits = Vec::with_capacity(found.len());
        for (index_score, address) in found {
            hits.push((index_score, self.hit(&searcher, address, words, stage)?));
        }
        // The first candidates are ranked by the full match; namesakes by the index's score,
        // which holds the roles of the words (a given name before a father's name) and then
        // what is known of them (prominence); the id breaks the remaining ties. Beyond them the
        // index's order stands, so that a deeper page never reorders the pages before it.
        let ranked = hits.len().min(CANDIDATES);
        hits[..ranked].sort_by(|(a_index, a), (b_index, b)| {
            b.score
                .total_cmp(&a.score)
                .then(b_index.total_cmp(a_index))
                .then_with(|| a.person_id.cmp(&b.person_id))
        });
        let suggestion = hits.first().and_then(|(_, best)| suggestion(best));
        let facets = if request.facets {
            Some(self.facets(&searcher, query.as_ref())?)
        } else {
            None
        };
        Ok(SearchResults {
            total: u64::try_from(total).unwrap_or(u64::MAX),
            hits: hits
                .into_iter()
                .map(|(_, hit)| hit)
                .skip(request.offset)
                .take(request.limit)
                .collect(),
            stage,
            suggestion,
            facets,
        })
    }

    /// The best `depth` documents by the index's score, namesakes (equal scores) by prominence,
    /// so that the candidates ranked in full are the best documented when there are more
    /// equal ones than candidates.
    fn top_candidates(
        &self,
        depth: usize,
    ) -> impl tantivy::collector::Collector<Fruit = Vec<(Score, DocAddress)>> + use<> {
        TopDocs::with_limit(depth).tweak_score(|segment: &SegmentReader| {
            let column = segment
                .fast_fields()
                .u64(crate::PROMINENCE)
                .ok()
                .map(|c| c.first_or_default_col(0));
            move |doc: DocId, score: Score| match &column {
                // A prominence of at most 100 adds less than a word's role.
                Some(column) => score + column.get_val(doc) as Score / 256.0,
                None => score,
            }
        })
    }

    /// The index query of a stage: every word of one of the ways of reading the query must match
    /// (all but one when relaxed), and every filter.
    fn plan(
        &self,
        searcher: &Searcher,
        readings: &[Reading],
        stage: Stage,
        request: &SearchRequest,
        tier: Tier,
    ) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        // Leaving a word out is for the words as typed: a compound run together has fewer, and
        // all but one of two is a lone given name. Its reading without leaving out was the last
        // stage's.
        let readings = if stage == Stage::Relaxed {
            &readings[..1]
        } else {
            readings
        };
        let mut queries: Vec<Box<dyn Query>> = Vec::with_capacity(readings.len());
        for reading in readings {
            queries.push(self.names_query(searcher, reading, stage, tier)?);
        }
        let names: Box<dyn Query> = if queries.len() == 1 {
            queries.remove(0)
        } else {
            Box::new(DisjunctionMaxQuery::new(queries))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, names)];
        let mut filter = |query: Box<dyn Query>| clauses.push((Occur::Must, weighted(query, 0.0)));
        if request.birth_from.is_some() || request.birth_to.is_some() {
            let bound = |year: Option<u64>| match year {
                Some(year) => Bound::Included(Term::from_field_u64(f.birth_year, year)),
                None => Bound::Unbounded,
            };
            filter(Box::new(RangeQuery::new(
                bound(request.birth_from),
                bound(request.birth_to),
            )));
        }
        for (field, value) in [
            (f.region, &request.region),
            (f.fate, &request.fate),
            (f.award, &request.award),
        ] {
            if let Some(value) = value {
                filter(term(field, value));
            }
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The lookups of the words of one reading of the query.
    fn names_query(
        &self,
        searcher: &Searcher,
        reading: &Reading,
        stage: Stage,
        tier: Tier,
    ) -> Result<Box<dyn Query>> {
        let f = &self.fields;
        let words = &reading.words;
        let sound_alikes = |word: &Word| -> Result<u64> {
            Ok(searcher.doc_freq(&Term::from_field_text(f.phonetic, &word.phonetic))?)
        };
        // In the fuzzy stage the rarest written-out word must match in full, not as a record's
        // initial: a name is found by its rarest word, and that word's short list of postings
        // then leads the intersection, instead of the long lists of every record that gives
        // an initial.
        let anchor = if stage == Stage::Fuzzy {
            let mut rarest: Option<(u64, usize)> = None;
            for (i, word) in words.iter().enumerate() {
                if !word.is_initial() && !word.latin.is_empty() {
                    let count = sound_alikes(word)?;
                    if rarest.is_none_or(|(c, _)| count < c) {
                        rarest = Some((count, i));
                    }
                }
            }
            rarest.map(|(_, i)| i)
        } else {
            None
        };
        let mut per_word: Vec<Box<dyn Query>> = Vec::with_capacity(words.len());
        for (i, word) in words.iter().enumerate() {
            let exact = term(f.exact, &word.folded);
            let lookup: Box<dyn Query> = if word.is_initial() {
                // An initial confirms; it does not identify. A record that writes the same
                // initial scores no more than one that writes a name beginning with it, so that
                // "А.Н. Ахрамеев" is decided by the surname, not by records of initials. Both
                // are in one list of postings: a union of long lists would be walked in full.
                match word.initial() {
                    Some(first) => weighted(term(f.initials, first), INITIAL),
                    None => weighted(exact, INITIAL),
                }
            } else if word.latin.is_empty() {
                // Letters of no script the keys know (Arabic, Chinese): the spelling only.
                weighted(exact, EXACT)
            } else if tier == Tier::Spelled {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, weighted(exact, EXACT)),
                    (
                        Occur::Should,
                        weighted(term(f.principal, &word.phonetic), ROLE),
                    ),
                ]))
            } else {
                // Equal spellings have equal Latin keys, and equal Latin keys equal phonetic
                // keys: the phonetic key's postings hold every person the other two find. They
                // drive the lookup; the others only add to the score, so that a word scores
                // EXACT, LATIN or PHONETIC by its best match, and a union of three long lists
                // is never walked.
                let keys: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (
                        Occur::Must,
                        weighted(term(f.phonetic, &word.phonetic), PHONETIC),
                    ),
                    (
                        Occur::Should,
                        weighted(term(f.latin, &word.latin), LATIN - PHONETIC),
                    ),
                    (Occur::Should, weighted(exact, EXACT - LATIN)),
                    (
                        Occur::Should,
                        weighted(term(f.principal, &word.phonetic), ROLE),
                    ),
                ]));
                if stage == Stage::Keys {
                    keys
                } else {
                    // Records that give only the initial of this word, and names a few letters
                    // away, are looked at only when the keys found too little: initials alone
                    // match too many records to say that the keys found enough.
                    let mut lookups = vec![keys];
                    if let Some(first) = word.initial()
                        && anchor != Some(i)
                    {
                        lookups.push(weighted(term(f.abbreviated, first), RECORD_INITIAL));
                    }
                    // A word whose sound-alikes are already very many (Иван, Ахмед) gains nothing
                    // from a fuzzy lookup, which would cost the most for it.
                    let edits = yodnoma_names::allowed_edits(word.latin.len());
                    if edits > 0
                        && sound_alikes(word)? < COMMON
                        && word.latin.len() <= MAX_FUZZY_LETTERS
                    {
                        let fuzzy = FuzzyTermQuery::new(
                            Term::from_field_text(f.latin, &word.latin),
                            edits,
                            true,
                        );
                        lookups.push(weighted(Box::new(fuzzy), FUZZY));
                        // One wrong Cyrillic letter can be two in the Latin key ("Хиваз" hivaz,
                        // "Хиуаз" hyuaz), which a short word is not allowed: the slip is also
                        // counted in its own script. Longer words are allowed two edits anyway,
                        // and a second automaton of distance two would double the cost.
                        if edits == 1 && Script::of(&word.folded) != Script::Latin {
                            let fuzzy = FuzzyTermQuery::new(
                                Term::from_field_text(f.exact, &word.folded),
                                1,
                                true,
                            );
                            lookups.push(weighted(Box::new(fuzzy), FUZZY));
                        }
                    }
                    Box::new(DisjunctionMaxQuery::new(lookups))
                }
            };
            // A compound run together stands for the words typed apart.
            let weight = reading.weights.get(i).copied().unwrap_or(1.0);
            per_word.push(if weight == 1.0 {
                lookup
            } else {
                Box::new(BoostQuery::new(lookup, weight))
            });
        }
        Ok(if stage == Stage::Relaxed {
            let required = words.len().saturating_sub(1).max(1);
            Box::new(BooleanQuery::with_minimum_required_clauses(
                per_word.into_iter().map(|q| (Occur::Should, q)).collect(),
                required,
            ))
        } else {
            Box::new(BooleanQuery::new(
                per_word.into_iter().map(|q| (Occur::Must, q)).collect(),
            ))
        })
    }

    /// A result line for the document at `address`, with the grade of its best name.
    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        words: &[Word],
        stage: Stage,
    ) -> Result<SearchHit> {
        let f = &self.fields;
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned()
        };
        let mut best: Option<(NameMatch, String)> = None;
        for name in doc.get_all(f.names).filter_map(|v| v.as_str()) {
            let name_words = yodnoma_names::words(name);
            // The words as typed: the matcher pairs a compound with its halves itself.
            if let Some(m) = grade(words, &name_words, stage)
                && best.as_ref().is_none_or(|(b, _)| m.score > b.score)
            {
                best = Some((m, name.to_owned()));
            }
        }
        let (matched, matched_name) = match best {
            Some((m, name)) => (m, name),
            // The index found it by a key the finer comparison does not accept (a fuzzy match
            // at the edge of its distance): ranked last, with nothing to explain.
            None => (
                NameMatch {
                    score: 0.0,
                    words: Vec::new(),
                },
                text(f.display),
            ),
        };
        let records = crate::document::stored_records(&doc, f);
        Ok(SearchHit {
            person_id: text(f.person),
            name: text(f.display),
            score: (f64::from(matched.score) * 1000.0).round() / 1000.0,
            records,
            matched_name,
            matched: matched.words,
            birth_year: doc.get_first(f.birth_year).and_then(|v| v.as_u64()),
            region: doc
                .get_first(f.region)
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        })
    }

    /// Counts of the persons matching `query` by region, fate, award and birth decade, from the
    /// columns of the index.
    fn facets(&self, searcher: &Searcher, query: &dyn Query) -> Result<Facets> {
        let request = serde_json::json!({
            "region": { "terms": { "field": "region", "size": 100 } },
            "fate": { "terms": { "field": "fate", "size": 20 } },
            "award": { "terms": { "field": "award", "size": 30 } },
            "birth_decade": { "terms": { "field": "birth_decade", "size": 100 } },
        });
        let aggregations: Aggregations = serde_json::from_value(request)
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let collector = AggregationCollector::from_aggs(aggregations, AggContextParams::default());
        let results = searcher.search(query, &collector)?;
        let json = serde_json::to_value(&results)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let buckets = |name: &str| buckets(&json, name);
        Ok(Facets {
            region: buckets("region"),
            fate: buckets("fate"),
            award: buckets("award"),
            birth_decade: {
                let mut decades = buckets("birth_decade");
                decades.sort_by_key(|d| d.value.parse::<u64>().unwrap_or(u64::MAX));
                decades
            },
        })
    }
}

/// The non-empty buckets of the aggregation `name` in tantivy's JSON results, as facets.
fn buckets(results: &Value, name: &str) -> Vec<Facet> {
    results
        .get(name)
        .and_then(|a| a.get("buckets"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(bucket)
        .collect()
}

/// One bucket's key and count; empty buckets are none.
fn bucket(b: &Value) -> Option<Facet> {
    let count = b.get("doc_count")?.as_u64()?;
    let value = match b.get("key")? {
        Value::String(s) => s.clone(),
        Value::Number(n) => format!("{}", n.as_f64()? as i64),
        _ => return None,
    };
    (count > 0).then_some(Facet { value, count })
}

/// The folded words of a query as typed, for the baselines: no particles joined, no keys.
pub(crate) fn plain_words(text: &str) -> impl Iterator<Item = String> {
    yodnoma_names::fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(MAX_WORDS)
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

/// The lookup of one term.
fn term(field: tantivy::schema::Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// `query` scoring `weight` for every document it finds.
fn weighted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, weight))
}

/// The match of the query with one name; in the relaxed stage the best match that leaves one
/// query word out, at a lower grade.
fn grade(words: &[Word], name: &[Word], stage: Stage) -> Option<NameMatch> {
    if let Some(m) = yodnoma_names::match_name(words, name) {
        return Some(m);
    }
    if stage != Stage::Relaxed || words.len() < 2 {
        return None;
    }
    (0..words.len())
        .filter_map(|left_out| {
            let rest: Vec<Word> = words
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != left_out)
                .map(|(_, w)| w.clone())
                .collect();
            yodnoma_names::match_name(&rest, name)
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|mut m| {
            m.score *= 0.8;
            m
        })
}

/// The name as the registry writes it, when the best match reached it only by sound or by a
/// few letters: what the reader probably meant.
fn suggestion(best: &SearchHit) -> Option<String> {
    let approximate = best
        .matched
        .iter()
        .any(|m| matches!(m.kind, MatchKind::Phonetic | MatchKind::Fuzzy { .. }));
    approximate.then(|| best.matched_name.clone())
}
