//! How well a searched name matches a name as written, and how to explain it.
//!
//! The index finds candidates by their keys; this module ranks them and says why each one
//! matched: every word of the query is paired with a word of the name, and the pair is graded
//! from exact down to an initial.

use crate::key::Word;
use crate::romanize::{Standard, romanize};
use crate::{Script, fold};

/// How a word of the query met a word of the name, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchKind {
    /// The same letters.
    Exact,
    /// The same name spelled another way in the same script: Kazakh "Момышұлы" and Russian
    /// "Момышулы", a particle written apart ("Момыш-улы"), "Akhmedov" and "Axmedov".
    Spelling,
    /// The name romanized; `standard` names the romanization when one gives exactly the query.
    Transliteration {
        #[serde(skip_serializing_if = "Option::is_none")]
        standard: Option<&'static str>,
    },
    /// Sounds alike: the phonetic keys are equal.
    Phonetic,
    /// A few letters differ.
    Fuzzy { edits: u8 },
    /// The query gives an initial of the word.
    Initial,
    /// The record gives only an initial of the query's word.
    RecordInitial,
}

impl MatchKind {
    /// A stable key for translations (`match-KEY`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Spelling => "spelling",
            Self::Transliteration { .. } => "transliteration",
            Self::Phonetic => "phonetic",
            Self::Fuzzy { .. } => "fuzzy",
            Self::Initial => "initial",
            Self::RecordInitial => "record_initial",
        }
    }

    /// The grade of the kind; the similarity of the letters refines it within its band.
    fn base(self) -> f32 {
        match self {
            Self::Exact => 1.0,
            Self::Spelling => 0.95,
            Self::Transliteration { .. } => 0.9,
            Self::Phonetic => 0.6,
            Self::Fuzzy { .. } => 0.5,
            // An initial agrees with every name it begins: it confirms, it does not identify.
            Self::Initial => 0.8,
            // A record's initial cannot confirm the name the query gives in full.
            Self::RecordInitial => 0.55,
        }
    }
}

/// One word of the query paired with the word of the name it matched.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct WordMatch {
    /// The query word, folded.
    pub query: String,
    /// The name word, folded.
    pub name: String,
    #[serde(flatten)]
    pub kind: MatchKind,
    #[serde(skip)]
    pub grade: f32,
}

impl WordMatch {
    /// The match in a line of English: "momyshuly → момышулы (Kazakh Latin 2021)".
    pub fn describe(&self) -> String {
        let how = match self.kind {
            MatchKind::Exact => return format!("{} = {}", self.query, self.name),
            MatchKind::Spelling => "spelling".to_owned(),
            MatchKind::Transliteration { standard } => standard.unwrap_or("romanized").to_owned(),
            MatchKind::Phonetic => "sounds alike".to_owned(),
            MatchKind::Fuzzy { edits: 1 } => "1 letter differs".to_owned(),
            MatchKind::Fuzzy { edits } => format!("{edits} letters differ"),
            MatchKind::Initial => "initial".to_owned(),
            MatchKind::RecordInitial => "the record gives the initial".to_owned(),
        };
        format!("{} → {} ({how})", self.query, self.name)
    }
}

/// The number of letters a word of this length may differ by and still match: none for short
/// words, where one letter makes another name, one up to seven letters, two beyond.
pub fn allowed_edits(letters: usize) -> u8 {
    match letters {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How the query word `q` matches the name word `n`, if it does.
pub fn match_word(q: &Word, n: &Word) -> Option<WordMatch> {
    let pair = |kind: MatchKind, similarity: f32| WordMatch {
        query: q.folded.clone(),
        name: n.folded.clone(),
        kind,
        grade: kind.base() + (1.0 - kind.base()) * 0.6 * similarity,
    };
    if q.folded == n.folded && !q.is_initial() {
        return Some(pair(MatchKind::Exact, 1.0));
    }
    if q.is_initial() || n.is_initial() {
        let kind = if q.is_initial() {
            MatchKind::Initial
        } else {
            MatchKind::RecordInitial
        };
        return (q.initial().is_some() && q.initial() == n.initial()).then(|| pair(kind, 0.0));
    }
    if q.folded == n.folded {
        return Some(pair(MatchKind::Exact, 1.0));
    }
    if q.latin.is_empty() || n.latin.is_empty() {
        return None;
    }
    let similarity = strsim::jaro_winkler(&q.latin, &n.latin) as f32;
    if q.latin == n.latin {
        let kind = if Script::of(&q.folded) == Script::of(&n.folded) {
            MatchKind::Spelling
        } else {
            MatchKind::Transliteration {
                standard: standard_between(&q.folded, &n.folded),
            }
        };
        return Some(pair(kind, 1.0));
    }
    if q.phonetic == n.phonetic && !q.phonetic.is_empty() {
        return Some(pair(MatchKind::Phonetic, similarity));
    }
    // A slip of the keyboard in the record's own script is counted in that script: the Latin
    // key can make one wrong Cyrillic letter two ("Хиваз" → hivaz, "Хиуаз" → hyuaz).
    let latin_edits = strsim::levenshtein(&q.latin, &n.latin);
    let edits = if Script::of(&q.folded) == Script::of(&n.folded) {
        latin_edits.min(strsim::levenshtein(&q.folded, &n.folded))
    } else {
        latin_edits
    };
    let allowed = allowed_edits(q.latin.len().min(n.latin.len()));
    (edits <= usize::from(allowed)).then(|| {
        pair(
            MatchKind::Fuzzy {
                edits: u8::try_from(edits).unwrap_or(u8::MAX),
            },
            similarity,
        )
    })
}

/// The romanization that turns the Cyrillic one of two words into exactly the Latin other.
fn standard_between(a: &str, b: &str) -> Option<&'static str> {
    let (cyrillic, latin) = match (Script::of(a), Script::of(b)) {
        (Script::Cyrillic, Script::Latin) => (a, b),
        (Script::Latin, Script::Cyrillic) => (b, a),
        _ => return None,
    };
    let plain = |t: &str| -> String { fold(t).chars().filter(|c| *c != '\'').collect() };
    let latin = plain(latin);
    Standard::ALL
        .into_iter()
        .find(|s| plain(&romanize(cyrillic, *s)) == latin)
        .map(Standard::label)
}

/// How a whole query matches a whole name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct NameMatch {
    /// From 0 to 1: 1 when every word of the query is a word of the name and nothing is left.
    pub score: f32,
    pub words: Vec<WordMatch>,
}

/// Pairs every query word with a distinct name word, in any order of surname, given name and
/// patronymic, so that the grades add up to the most. `None` when no such pairing exists.
///
/// The score is the mean grade of the pairs. Words of the name the query leaves out do not
/// lower it: a family that omits the patronymic is not looking for someone without one.
///
/// When no pairing exists, two neighbouring words of either side may stand for one word of the
/// other: a compound written apart on one side and run together on the other ("Анна Клыч",
/// "Аннаклыч").
pub fn match_name(query: &[Word], name: &[Word]) -> Option<NameMatch> {
    if query.is_empty() || name.is_empty() {
        return None;
    }
    match_word_by_word(query, name).or_else(|| compound_pairing(query, name))
}

/// [`match_name`] without compounds: every word of the query is paired with a word of the
/// name as written.
pub fn match_word_by_word(query: &[Word], name: &[Word]) -> Option<NameMatch> {
    if query.is_empty() || query.len() > name.len() {
        return None;
    }
    // Each query word's matches in the name, by name word; a query has at most a handful of
    // words, so the best assignment is found by trying them all.
    let table: Vec<Vec<Option<WordMatch>>> = query
        .iter()
        .map(|q| name.iter().map(|n| match_word(q, n)).collect())
        .collect();
    let mut used = vec![false; name.len()];
    let mut chosen = Vec::with_capacity(query.len());
    let mut best: Option<(f32, Vec<usize>)> = None;
    // A bound on the search, for names of many repeated words that no real record has.
    let mut budget = 20_000u32;
    assign(
        &table,
        0,
        &mut used,
        &mut chosen,
        0.0,
        &mut best,
        &mut budget,
    );
    let (total, picks) = best?;
    let words = picks
        .iter()
        .enumerate()
        .filter_map(|(qi, ni)| table[qi][*ni].clone())
        .collect();
    Some(NameMatch {
        score: total / query.len() as f32,
        words,
    })
}

/// Names or queries of more words than this are compared word by word only: each pair of
/// neighbours tried costs a comparison of the whole name.
const MAX_COMPOUND_WORDS: usize = 8;

/// Which side of a comparison had two words run together.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joined {
    Query,
    Name,
}

/// The best pairing once two neighbouring words of the query, or of the name, are run
/// together. Only pairs that could meet a word of the other side are tried: building a word's
/// keys costs more than the rest of the comparison.
fn compound_pairing(query: &[Word], name: &[Word]) -> Option<NameMatch> {
    if query.len() > MAX_COMPOUND_WORDS || name.len() > MAX_COMPOUND_WORDS {
        return None;
    }
    let mut best: Option<NameMatch> = None;
    for side in [Joined::Query, Joined::Name] {
        let (joining, other) = match side {
            Joined::Query => (query, name),
            Joined::Name => (name, query),
        };
        for i in 0..joining.len().saturating_sub(1) {
            let parts = (&joining[i], &joining[i + 1]);
            if !could_join(parts, other) {
                continue;
            }
            let joined = crate::join_words(parts.0, parts.1);
            let mut shorter = joining.to_vec();
            shorter.splice(i..i + 2, [joined.clone()]);
            let found = match side {
                Joined::Query => match_word_by_word(&shorter, name),
                Joined::Name => match_word_by_word(query, &shorter),
            };
            let Some(found) = found else { continue };
            let found = as_compound(found, side, i, parts, &joined, query.len());
            if best.as_ref().is_none_or(|b| found.score > b.score) {
                best = Some(found);
            }
        }
    }
    best
}

/// A pairing found with two words run together, explained and scored as such: the compound
/// shown as its two words, and counted for both words when they were the query's, so that its
/// score compares with a pairing of every word. Written apart, hyphenated or run together, a
/// compound is the same name, as a particle is ("Момыш улы", "Момыш-улы", "Момышулы").
fn as_compound(
    mut found: NameMatch,
    side: Joined,
    at: usize,
    parts: (&Word, &Word),
    joined: &Word,
    query_words: usize,
) -> NameMatch {
    let position = match side {
        // The pairs are in the order of the query's words.
        Joined::Query => Some(at),
        Joined::Name => found.words.iter().position(|m| m.name == joined.folded),
    };
    if let Some(m) = position.and_then(|p| found.words.get_mut(p)) {
        let shown = format!("{} {}", parts.0.folded, parts.1.folded);
        match side {
            Joined::Query => m.query = shown,
            Joined::Name => m.name = shown,
        }
    }
    let mut total: f32 = found.words.iter().map(|m| m.grade).sum();
    if side == Joined::Query {
        total += position
            .and_then(|p| found.words.get(p))
            .map_or(0.0, |m| m.grade);
    }
    found.score = total / query_words.max(1) as f32;
    found
}

/// Whether two words run together might match some word of `others`: written out, and one of
/// the others begins as the first does and is about as long as both.
fn could_join(parts: (&Word, &Word), others: &[Word]) -> bool {
    if parts.0.is_initial() || parts.1.is_initial() {
        return false;
    }
    let length = parts.0.latin.len() + parts.1.latin.len();
    others.iter().any(|o| {
        !o.is_initial()
            && o.latin
                .get(..1)
                .is_some_and(|first| parts.0.latin.starts_with(first))
            && o.latin.len().abs_diff(length) <= 3
    })
}

/// Tries every way of giving the query words `qi..` distinct name words, keeping the best sum
/// of grades.
fn assign(
    table: &[Vec<Option<WordMatch>>],
    qi: usize,
    used: &mut [bool],
    chosen: &mut Vec<usize>,
    sum: f32,
    best: &mut Option<(f32, Vec<usize>)>,
    budget: &mut u32,
) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let Some(row) = table.get(qi) else {
        if best.as_ref().is_none_or(|(b, _)| sum > *b) {
            *best = Some((sum, chosen.clone()));
        }
        return;
    };
    for (ni, found) in row.iter().enumerate() {
        if let Some(m) = found
            && !used[ni]
        {
            used[ni] = true;
            chosen.push(ni);
            assign(table, qi + 1, used, chosen, sum + m.grade, best, budget);
            chosen.pop();
            used[ni] = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn matching_never_panics_and_scores_stay_in_range(
            query in "\\PC{0,40}",
            name in "\\PC{0,40}",
        ) {
            if let Some(m) = match_name(&words(&query), &words(&name)) {
                prop_assert!((0.0..=1.0).contains(&m.score));
                // A compound run together takes two query words into one pair.
                let asked = words(&query).len();
                prop_assert!(m.words.len() == asked || m.words.len() + 1 == asked);
            }
        }

        #[test]
        fn a_name_matches_itself_exactly(name in "[А-Я][а-я]{2,10} [А-Я][а-я]{2,10}") {
            let m = match_name(&words(&name), &words(&name));
            prop_assert!(m.is_some_and(|m| (m.score - 1.0).abs() < 1e-6));
        }
    }

    fn best(query: &str, name: &str) -> Option<NameMatch> {
        match_name(&words(query), &words(name))
    }

    #[test]
    fn grades_fall_from_exact_to_fuzzy() {
        let score = |q: &str| {
            best(q, "Момыш-улы Баурджан")
                .map(|m| m.score)
                .unwrap_or(0.0)
        };
        let exact = score("Момышулы Баурджан");
        let latin = score("Momyshuly Baurzhan");
        let phonetic = score("Momyshuly Bauyrzhan");
        let fuzzy = score("Momyshuly Baurzan");
        assert!(exact > latin, "{exact} {latin}");
        assert!(latin > phonetic, "{latin} {phonetic}");
        assert!(phonetic > 0.0 && fuzzy > 0.0);
        assert!(best("Ахметов", "Момыш-улы Баурджан").is_none());
    }

    #[test]
    fn a_typo_counts_in_the_script_it_was_typed_in() {
        // One wrong Cyrillic letter that the Latin key turns into two (hivaz / hyuaz).
        let m = best("Хиваз", "Хиуаз").expect("a match");
        assert_eq!(m.words[0].kind, MatchKind::Fuzzy { edits: 1 });
        // Across scripts only the Latin keys can be compared.
        assert!(best("Hivaz", "Хиуаз").is_none());
    }

    #[test]
    fn explains_the_romanization_that_was_used() {
        let m = best("Momyshuly", "Момышулы").expect("a match");
        assert!(matches!(
            m.words[0].kind,
            MatchKind::Transliteration { standard: Some(_) }
        ));
        let m = best("Момышұлы", "Момыш-улы").expect("a match");
        assert_eq!(m.words[0].kind, MatchKind::Spelling);
        assert_eq!(m.words[0].name, "момышулы");
    }

    #[test]
    fn the_pairing_that_matches_every_word_is_found() {
        // "Ахмед" is closest to "Ахмед" but must leave it to "Ахмедов", which matches nothing
        // else: a greedy pairing would fail.
        let m = best("Ахмедов Ахмед", "Ахмед Ахмедов").expect("a match");
        assert!(m.score > 0.99);
        let m = best("Ахмедова Ахмед", "Ахмед Ахмедов").expect("a match");
        assert_eq!(m.words.len(), 2);
    }

    #[test]
    fn a_compound_matches_whether_written_apart_or_run_together() {
        for (query, name) in [
            ("Атаев Анна-Клыч", "Атаев Аннаклыч"),
            ("Аннаклыч Атаев", "Атаев Анна-Клыч"),
            ("Abdulgafur Karimov", "Каримов Абдул Гафур"),
        ] {
            let m = best(query, name).unwrap_or_else(|| panic!("{query} / {name}"));
            assert!(m.score > 0.9, "{query} / {name}: {m:?}");
            let compound = m
                .words
                .iter()
                .find(|w| w.query.contains(' ') || w.name.contains(' '));
            assert!(compound.is_some(), "{query} / {name}: {m:?}");
        }
        // The explanation shows the compound on the side that wrote it apart.
        let m = best("Аннаклыч Атаев", "Атаев Анна-Клыч").expect("a match");
        assert_eq!(
            (m.words[0].query.as_str(), m.words[0].name.as_str()),
            ("аннаклыч", "анна клыч")
        );
        let m = best("Атаев Анна-Клыч", "Атаев Аннаклыч").expect("a match");
        assert_eq!(
            (m.words[1].query.as_str(), m.words[1].name.as_str()),
            ("анна клыч", "аннаклыч")
        );
        // Run together, the query's two words count as two: a whole match.
        assert!(m.score > 0.999, "{m:?}");
        // A record of thousands of words is compared word by word only.
        assert!(best("Абаб Иванов", &"аб ".repeat(3000)).is_none());
        // Apart or run together, a compound is the same name, as a particle is.
        let apart = best("Атаев Анна Клыч", "Атаев Анна Клыч").map(|m| m.score);
        let joined = best("Атаев Анна Клыч", "Атаев Аннаклыч").map(|m| m.score);
        assert_eq!(apart, joined);
        let m = best("Abdulgafur Karimov", "Каримов Абдул Гафур").expect("a match");
        assert!(
            matches!(m.words[0].kind, MatchKind::Transliteration { .. }),
            "{m:?}"
        );
        // Two names that merely share their beginnings are not a compound.
        assert!(best("Анна Клыч", "Анвар").is_none());
        assert!(best("Ахмедов А. Б.", "Ахмедов Аб").is_none());
    }

    #[test]
    fn a_name_of_many_repeated_words_is_matched_within_bounds() {
        let name = "а ".repeat(500);
        let m = best("а а а а а а", &name).expect("a match");
        assert_eq!(m.words.len(), 6);
    }

    #[test]
    fn any_order_and_initials_match() {
        let m = best("Баурджан Момыш-улы", "Момыш-улы Баурджан").expect("a match");
        assert!(m.score > 0.99);
        let m = best("Б. Момышулы", "Момыш-улы Баурджан").expect("a match");
        assert_eq!(m.words[0].kind, MatchKind::Initial);
        assert!(best("Ж. Момышулы", "Момыш-улы Баурджан").is_none());
    }

    #[test]
    fn a_left_out_patronymic_costs_nothing_and_initials_only_confirm() {
        let short = best("Уразов Ахмед", "Уразов Ахмед").map(|m| m.score);
        let long = best("Уразов Ахмед", "Уразов Ахмед Каримович").map(|m| m.score);
        assert_eq!(short, long);
        // "А. Молдагулова" is nearer the full name than another person's "Молдагулов А.".
        let full = best("А. Молдагулова", "Молдагулова Алия").map(|m| m.score);
        let initials = best("А. Молдагулова", "Молдагулов А.").map(|m| m.score);
        assert!(full > initials, "{full:?} {initials:?}");
    }
}
