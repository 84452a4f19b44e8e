//! Graded comparison of two values of one field: the level of agreement, from the closest
//! (level 0) to plain disagreement (the last level). Each kind of field has its own levels; the
//! model learns how much each level of each field weighs.

use yodnoma_names::{MatchKind, match_word_by_word};

use crate::field::{FieldKind, NameValue, PartialDate, Value, date_digits};

/// The similarity below which every comparison calls two strings different.
const DISSIMILAR: f64 = 0.8;

/// Jaro–Winkler similarity, or 0 for ASCII pairs that cannot reach [`DISSIMILAR`]. ASCII
/// strings of up to 64 bytes (the Latin keys, and most
/// folded places and codes) are compared on bytes with the match flags on the stack: the
/// general version decodes characters and allocates, which was most of a comparison's time.
fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !(a.is_ascii() && b.is_ascii()) || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    if x.is_empty() || y.is_empty() {
        return if x == y { 1.0 } else { 0.0 };
    }
    // No more letters can match than the two have in common, whatever their order: when even
    // that bound is below the lowest level any comparison asks for, the pair is dissimilar
    // and the quadratic part is skipped (most pairs of a list are).
    let mut counts = [0i16; 128];
    for c in x {
        counts[usize::from(*c)] += 1;
    }
    let mut common = 0usize;
    for c in y {
        let slot = &mut counts[usize::from(*c)];
        if *slot > 0 {
            *slot -= 1;
            common += 1;
        }
    }
    let bound = if common == 0 {
        0.0
    } else {
        let m = common as f64;
        (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0
    };
    if bound + 0.4 * (1.0 - bound) < DISSIMILAR {
        return 0.0;
    }
    let window = (x.len().max(y.len()) / 2).saturating_sub(1);
    // Each letter of `x` takes the first free equal letter of `y` within the window. The
    // positions of each letter in `y`, and the free ones, are bits of a word: finding that
    // letter is a mask and a count of trailing zeros instead of a walk over the window.
    let below = |k: usize| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
    let mut positions = [0u64; 128];
    for (j, c) in y.iter().enumerate() {
        positions[usize::from(*c)] |= 1 << j;
    }
    let mut free = below(y.len());
    let mut x_matched = 0u64;
    let mut matches = 0usize;
    for (i, c) in x.iter().enumerate() {
        let from = i.saturating_sub(window);
        let to = (i + window + 1).min(y.len());
        let found = positions[usize::from(*c)] & free & below(to) & !below(from);
        if found != 0 {
            free &= !(1 << found.trailing_zeros());
            x_matched |= 1 << i;
            matches += 1;
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // The matched letters of both, in order, compared pairwise.
    let mut y_matched = !free & below(y.len());
    let mut transpositions = 0usize;
    while x_matched != 0 {
        let (i, j) = (x_matched.trailing_zeros(), y_matched.trailing_zeros());
        if x[i as usize] != y[j as usize] {
            transpositions += 1;
        }
        x_matched &= x_matched - 1;
        y_matched &= y_matched - 1;
    }
    let m = matches as f64;
    let jaro =
        (m / x.len() as f64 + m / y.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0;
    // Winkler's boost for a common beginning, only above his threshold of 0.7.
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// The level of a pair with a value missing on either side: no evidence.
pub const MISSING: u8 = u8::MAX;

/// The names of the levels of a kind of field, closest first.
pub fn levels(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Name => &[
            "exact",
            "same name, other spelling or script",
            "sounds alike",
            "close spelling",
            "initial or partly alike",
            "different",
        ],
        FieldKind::Date => &[
            "exact",
            "one digit or day and month swapped",
            "same year and month",
            "same year",
            "year ±1",
            "within five years",
            "different",
        ],
        FieldKind::Place => &[
            "exact",
            "same place, other spelling",
            "similar",
            "different",
        ],
        FieldKind::Code => &["exact", "one keystroke", "different"],
        FieldKind::Text => &["exact", "nearly equal", "similar", "different"],
        FieldKind::Category => &["exact", "different"],
    }
}

/// The level at which `a` and `b` agree, or [`MISSING`].
pub fn compare(a: &Value, b: &Value) -> u8 {
    match (a, b) {
        (Value::Name(a), Value::Name(b)) => compare_names(a, b),
        (Value::Date(a), Value::Date(b)) => compare_dates(a, b),
        (Value::Category(a), Value::Category(b)) => u8::from(a != b),
        (
            Value::Plain {
                folded: a,
                latin: a_latin,
            },
            Value::Plain {
                folded: b,
                latin: b_latin,
            },
        ) => {
            if a == b {
                return 0;
            }
            if !a_latin.is_empty() || !b_latin.is_empty() {
                // A place: its own three grades below exact.
                if a_latin == b_latin {
                    return 1;
                }
                let similarity = jaro_winkler(a_latin, b_latin);
                return if similarity >= 0.92 {
                    1
                } else if similarity >= DISSIMILAR {
                    2
                } else {
                    3
                };
            }
            compare_plain(a, b)
        }
        _ => MISSING,
    }
}

/// Codes and text share the comparison; a code has fewer levels, and its level 2 is taken as
/// its last by the caller through [`clamp_level`].
fn compare_plain(a: &str, b: &str) -> u8 {
    if one_keystroke(a, b) {
        return 1;
    }
    let similarity = jaro_winkler(a, b);
    if similarity >= 0.92 {
        1
    } else if similarity >= DISSIMILAR {
        2
    } else {
        3
    }
}

/// Whether `a` and `b` are at most one keystroke apart: one letter changed, added, left out,
/// or two neighbours swapped (an optimal string alignment distance of at most one). Most pairs
/// differ at once in length or after their first difference; this walks them once, where the
/// general distance fills a table.
fn one_keystroke(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 4 {
        return false;
    }
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        let (from_x, from_y) = (x.as_str(), y.as_str());
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            (p, q) => {
                let (rest_x, rest_y) = (x.as_str(), y.as_str());
                let changed = p.is_some() && q.is_some() && rest_x == rest_y;
                let left_out = p.is_some() && rest_x == from_y;
                let added = q.is_some() && from_x == rest_y;
                let swapped = match (p, q) {
                    (Some(p), Some(q)) => {
                        let (mut x, mut y) = (x.clone(), y.clone());
                        x.next() == Some(q) && y.next() == Some(p) && x.as_str() == y.as_str()
                    }
                    _ => false,
                };
                return changed || left_out || added || swapped;
            }
        }
    }
}

/// A level computed for text, brought into the levels of `kind`.
pub fn clamp_level(kind: FieldKind, level: u8) -> u8 {
    if level == MISSING {
        return level;
    }
    let last = u8::try_from(levels(kind).len() - 1).unwrap_or(u8::MAX);
    match kind {
        // A code is one keystroke away or different: "similar" codes are different codes.
        FieldKind::Code if level >= 2 => last,
        _ => level.min(last),
    }
}

fn compare_names(a: &NameValue, b: &NameValue) -> u8 {
    if a.folded == b.folded {
        return 0;
    }
    if a.latin == b.latin {
        return 1;
    }
    if let ([x], [y]) = (a.words.as_slice(), b.words.as_slice()) {
        // One word each, the common case of a surname or given-name column: the grades of
        // `match_word_by_word` without its pairing of words.
        // An initial is at most two letters: longer words skip counting their characters.
        let initial = |w: &yodnoma_names::Word| w.folded.len() <= 4 && w.is_initial();
        if initial(x) || initial(y) {
            return if x.initial().is_some() && x.initial() == y.initial() {
                4
            } else {
                5
            };
        }
        if !x.phonetic.is_empty() && x.phonetic == y.phonetic {
            return 2;
        }
        let allowed = usize::from(yodnoma_names::allowed_edits(
            x.latin.len().min(y.latin.len()),
        ));
        let within = match allowed {
            0 => false,
            1 => one_keystroke(&x.latin, &y.latin),
            _ => {
                x.latin.len().abs_diff(y.latin.len()) <= allowed
                    && strsim::osa_distance(&x.latin, &y.latin) <= allowed
            }
        };
        if within {
            return 3;
        }
        let similarity = jaro_winkler(&x.latin, &y.latin);
        return if similarity >= 0.92 {
            3
        } else if similarity >= DISSIMILAR {
            4
        } else {
            5
        };
    }
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    if let Some(found) = match_word_by_word(&short.words, &long.words) {
        // The pair is as close as its least close word.
        let worst = found
            .words
            .iter()
            .map(|w| match w.kind {
                MatchKind::Exact | MatchKind::Spelling | MatchKind::Transliteration { .. } => 1,
                MatchKind::Phonetic => 2,
                MatchKind::Fuzzy { .. } => 3,
                MatchKind::Initial | MatchKind::RecordInitial => 4,
            })
            .max()
            .unwrap_or(5);
        return worst;
    }
    // Some word of the one has no counterpart in the other. The similarity of the whole
    // strings would reward what brothers share (the surname, written first), so it is not
    // asked: only the same words run together ("Анна Клыч", "Аннаклыч") still agree.
    let joined = |n: &NameValue| n.latin.replace(' ', "");
    if a.phonetic == b.phonetic || joined(a) == joined(b) {
        2
    } else {
        5
    }
}

fn compare_dates(a: &PartialDate, b: &PartialDate) -> u8 {
    if a == b && a.day().is_some() {
        return 0;
    }
    if a.day().is_some() && b.day().is_some() {
        let (ad, bd) = (date_digits(a), date_digits(b));
        let differing = ad.iter().zip(bd.iter()).filter(|(x, y)| x != y).count();
        let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
        if differing <= 1 || swapped {
            return 1;
        }
    }
    if a.year() == b.year() {
        return if a.month().is_some() && a.month() == b.month() {
            2
        } else {
            3
        };
    }
    // A year or two off is a clerk's slip or an age guessed; a generation apart is someone
    // else. Apart from "different", the model can learn how rare each is between one person's
    // records.
    match (a.year() - b.year()).abs() {
        ..=1 => 4,
        2..=5 => 5,
        _ => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_two_values_compare_within_their_levels(
            a in "\\PC{0,30}",
            b in "\\PC{0,30}",
            kind in 0..FieldKind::ALL.len(),
        ) {
            let kind = FieldKind::ALL[kind];
            let level = clamp_level(kind, compare(&Value::new(kind, &a), &Value::new(kind, &b)));
            prop_assert!(level == MISSING || usize::from(level) < levels(kind).len());
            let same = clamp_level(kind, compare(&Value::new(kind, &a), &Value::new(kind, &a)));
            prop_assert!(same == MISSING || same <= 3, "{a:?} against itself: {same}");
        }
    }

    proptest! {
        #[test]
        fn one_keystroke_is_an_alignment_distance_of_one(
            a in "[abк]{0,6}",
            b in "[abк]{0,6}",
        ) {
            prop_assert_eq!(one_keystroke(&a, &b), strsim::osa_distance(&a, &b) <= 1);
        }
    }

    fn level(kind: FieldKind, a: &str, b: &str) -> u8 {
        clamp_level(kind, compare(&Value::new(kind, a), &Value::new(kind, b)))
    }

    #[test]
    fn names_agree_across_scripts_and_spellings() {
        assert_eq!(level(FieldKind::Name, "Момыш-улы", "Момышулы"), 0);
        assert_eq!(level(FieldKind::Name, "Momyshuly", "Момышұлы"), 1);
        assert_eq!(level(FieldKind::Name, "Абдулаев", "Abdullayev"), 2);
        assert_eq!(level(FieldKind::Name, "Ахметов", "Момышулы"), 5);
        // Brothers share a surname and nothing else.
        assert_eq!(
            level(FieldKind::Name, "Ахмедов Тургун", "Ахмедов Абдулла"),
            5
        );
        assert_eq!(
            level(FieldKind::Name, "Атаев Анна Клыч", "Атаев Аннаклыч"),
            2
        );
        assert_eq!(level(FieldKind::Name, "", "Момышулы"), MISSING);
    }

    #[test]
    fn dates_agree_by_degrees() {
        assert_eq!(level(FieldKind::Date, "1915-11-03", "03.11.1915"), 0);
        assert_eq!(level(FieldKind::Date, "19151103", "19151108"), 1);
        assert_eq!(level(FieldKind::Date, "1915-11-03", "1915-03-11"), 1);
        assert_eq!(level(FieldKind::Date, "1915", "1915-03-11"), 3);
        assert_eq!(level(FieldKind::Date, "1915", "1916"), 4);
        assert_eq!(level(FieldKind::Date, "1915", "1920"), 5);
        assert_eq!(level(FieldKind::Date, "1893", "1926"), 6);
    }

    #[test]
    fn codes_are_equal_or_a_keystroke_apart() {
        assert_eq!(level(FieldKind::Code, "4223", "4223"), 0);
        assert_eq!(level(FieldKind::Code, "4223", "4232"), 1);
        assert_eq!(level(FieldKind::Code, "4223", "9999"), 2);
    }

    proptest! {
        #[test]
        fn jaro_winkler_on_bytes_agrees_with_strsim(
            a in "[a-e ]{0,64}",
            b in "[a-e ]{0,64}",
        ) {
            let (ours, general) = (jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
            if general >= DISSIMILAR {
                prop_assert!((ours - general).abs() < 1e-9, "{a} {b}: {ours} {general}");
            } else {
                prop_assert!(ours < DISSIMILAR, "{a} {b}: {ours} {general}");
            }
        }
    }

    #[test]
    fn jaro_winkler_on_bytes_agrees_with_the_general_one() {
        for (a, b) in [
            ("martha", "marhta"),
            ("dixon", "dicksonx"),
            ("michaela", "micheala"),
            ("a", "b"),
            ("", "abc"),
            ("winston hills", "winston hils"),
        ] {
            let (ours, general) = (jaro_winkler(a, b), strsim::jaro_winkler(a, b));
            if general >= DISSIMILAR {
                assert!((ours - general).abs() < 1e-9, "{a} {b}: {ours} {general}");
            } else {
                assert!(ours < DISSIMILAR, "{a} {b}: {ours} {general}");
            }
        }
    }

    #[test]
    fn places_agree_across_scripts() {
        assert_eq!(level(FieldKind::Place, "Алма-Ата", "Alma-Ata"), 1);
        assert_eq!(level(FieldKind::Place, "winston hills", "winston hils"), 1);
        assert_eq!(level(FieldKind::Place, "richlands", "cleveland"), 3);
    }
}
