//! The kinds of field a list can hold, how a kind is told from a column's name and content, and
//! each value made ready for comparison once, so that comparing a pair allocates nothing.

pub use yodnoma_core::PartialDate;
use yodnoma_names::Word;

/// What a column holds, which decides how two of its values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// A name or part of one, in any script: compared through the name keys.
    Name,
    /// A date, full or partial (a year alone, a year and month).
    Date,
    /// A place: compared by spelling, in any script.
    Place,
    /// A code or number (postcode, house number): equal or one keystroke away.
    Code,
    /// Any other text.
    Text,
    /// One value out of a short list (a fate, a part in the war, a sex): the same or not. Two
    /// such values spelled alike ("died_of_wounds", "died_later") are no closer for it.
    Category,
}

impl FieldKind {
    pub const ALL: [FieldKind; 6] = [
        FieldKind::Name,
        FieldKind::Date,
        FieldKind::Place,
        FieldKind::Code,
        FieldKind::Text,
        FieldKind::Category,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Name => "name",
            FieldKind::Date => "date",
            FieldKind::Place => "place",
            FieldKind::Code => "code",
            FieldKind::Text => "text",
            FieldKind::Category => "category",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The kind a column's name suggests: "surname", "given_name", "ФИО" are names,
    /// "date_of_birth" and "birth_year" dates, "postcode" a code, "suburb" and "region" places,
    /// "fate" and "gender" categories.
    pub fn from_column_name(column: &str) -> Option<Self> {
        let name = column.to_lowercase();
        let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
        if has(&[
            "nation",
            "ethnic",
            "rank",
            "unit",
            "note",
            "comment",
            "национ",
            "звание",
        ]) {
            Some(FieldKind::Text)
        } else if has(&["date", "dob", "year", "born", "дата", "год", "birth_d"]) {
            Some(FieldKind::Date)
        } else if has(&[
            "category",
            "fate",
            "gender",
            "sex",
            "status",
            "категор",
            "судьб",
        ]) {
            Some(FieldKind::Category)
        } else if has(&[
            "name",
            "surname",
            "patronym",
            "фамил",
            "имя",
            "отчеств",
            "фио",
            "familiya",
            "ism",
        ]) {
            Some(FieldKind::Name)
        } else if has(&[
            "postcode",
            "zip",
            "number",
            "code",
            "phone",
            "индекс",
            "номер",
        ]) {
            Some(FieldKind::Code)
        } else if has(&[
            "place",
            "city",
            "town",
            "suburb",
            "region",
            "district",
            "village",
            "state",
            "country",
            "oblast",
            "место",
            "район",
            "област",
            "город",
            "address",
            "street",
            "адрес",
        ]) {
            Some(FieldKind::Place)
        } else {
            None
        }
    }

    /// The kind a column's values suggest when its name says nothing: dates if most values read
    /// as dates, codes if most are digits, names if most are one or two words of letters.
    pub fn from_values<'a>(values: impl Iterator<Item = &'a str>) -> Self {
        let (mut seen, mut dates, mut digits, mut wordy) = (0usize, 0usize, 0usize, 0usize);
        for value in values.filter(|v| !v.trim().is_empty()).take(1000) {
            seen += 1;
            if parse_date(value).is_some() {
                dates += 1;
            }
            if value
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
            {
                digits += 1;
            }
            let words = value.split_whitespace().count();
            if (1..=3).contains(&words)
                && value
                    .chars()
                    .all(|c| c.is_alphabetic() || " -'.ʻʼ’".contains(c))
            {
                wordy += 1;
            }
        }
        let most = |n: usize| seen > 0 && n * 10 >= seen * 8;
        if most(dates) {
            FieldKind::Date
        } else if most(digits) {
            FieldKind::Code
        } else if most(wordy) {
            FieldKind::Name
        } else {
            FieldKind::Text
        }
    }
}

/// A named column of a list and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
}

/// A date as lists write it: `1915-11-03` (and `1915`, `1915-11`), `19151103`, `03.11.1915`,
/// `11.1915`, or with slashes; read into the registry's own [`PartialDate`], whose checks (a
/// month of twelve days and more, the 30th of February) it passes or fails the same way.
pub fn parse_date(text: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = text
        .trim()
        .split(['-', '.', '/', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let iso = match parts.as_slice() {
        [one] if one.len() == 8 => format!("{}-{}-{}", &one[..4], &one[4..6], &one[6..]),
        [y] if y.len() == 4 => (*y).to_owned(),
        [y, m] if y.len() == 4 => format!("{y}-{m:0>2}"),
        [m, y] if y.len() == 4 => format!("{y}-{m:0>2}"),
        [y, m, d] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        [d, m, y] if y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => return None,
    };
    iso.parse().ok()
}

/// A date as eight digits, unknown parts as zeros, for counting typed differences.
pub(crate) fn date_digits(date: &PartialDate) -> [u8; 8] {
    let year = u32::try_from(date.year().clamp(0, 9999)).unwrap_or(0);
    let month = u32::from(date.month().unwrap_or(0));
    let day = u32::from(date.day().unwrap_or(0));
    let number = year * 10_000 + month * 100 + day;
    let mut out = [0u8; 8];
    for (k, digit) in out.iter_mut().enumerate() {
        let place = 10u32.pow(7 - u32::try_from(k).unwrap_or(7));
        *digit = u8::try_from(number / place % 10).unwrap_or(0);
    }
    out
}

/// A name made ready: folded, its words with their keys, and the keys of the whole.
#[derive(Debug, Clone)]
pub struct NameValue {
    pub folded: String,
    pub words: Vec<Word>,
    /// The Latin keys of the words, in order, joined by spaces.
    pub latin: String,
    /// The phonetic keys of the words, sorted, joined by spaces: equal for the same name in
    /// another order.
    pub phonetic: String,
}

impl NameValue {
    fn new(text: &str) -> Option<Self> {
        let words = yodnoma_names::words(text);
        if words.is_empty() {
            return None;
        }
        let folded = words
            .iter()
            .map(|w| w.folded.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let latin = words
            .iter()
            .map(|w| w.latin.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let mut phonetic: Vec<&str> = words.iter().map(|w| w.phonetic.as_str()).collect();
        phonetic.sort_unstable();
        let phonetic = phonetic.join(" ");
        Some(Self {
            folded,
            words,
            latin,
            phonetic,
        })
    }
}

/// How many characters of a value are compared.
pub const COMPARED_CHARS: usize = 256;

/// One value of a record, made ready for its kind of comparison.
#[derive(Debug, Clone)]
pub enum Value {
    Missing,
    Name(Box<NameValue>),
    Date(PartialDate),
    /// Places, codes and text: folded, and for places the Latin key too.
    Plain {
        folded: String,
        latin: String,
    },
    /// A category, folded.
    Category(String),
}

impl Value {
    /// `text` read as `kind`. Empty text, and text that is not a date in a date field, are
    /// missing: they are no evidence either way.
    pub fn new(kind: FieldKind, text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            return Value::Missing;
        }
        // Comparisons cost up to the square of a value's length: a value is compared by its
        // first characters, more than any name, place or code has. Two long texts that agree
        // that far are as alike as the evidence of a list goes.
        let text = match text.char_indices().nth(COMPARED_CHARS) {
            Some((at, _)) => &text[..at],
            None => text,
        };
        match kind {
            FieldKind::Name => NameValue::new(text)
                .map(|n| Value::Name(Box::new(n)))
                .unwrap_or(Value::Missing),
            FieldKind::Date => parse_date(text).map(Value::Date).unwrap_or(Value::Missing),
            FieldKind::Place | FieldKind::Code | FieldKind::Text | FieldKind::Category => {
                let folded = yodnoma_names::fold(text);
                if folded.is_empty() {
                    return Value::Missing;
                }
                let latin = match kind {
                    FieldKind::Category => return Value::Category(folded),
                    FieldKind::Place => folded
                        .split(' ')
                        .map(yodnoma_names::latin_key)
                        .collect::<Vec<_>>()
                        .join(" "),
                    _ => String::new(),
                };
                Value::Plain { folded, latin }
            }
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Missing)
    }

    /// The text a value is counted under for term frequencies: two records sharing it are
    /// weaker evidence the more records share it.
    pub fn frequency_key(&self) -> Option<&str> {
        match self {
            Value::Missing | Value::Date(_) => None,
            Value::Name(n) => Some(&n.latin),
            Value::Plain { folded, .. } | Value::Category(folded) => Some(folded),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_the_forms_lists_use() {
        let full = PartialDate::new(1915, Some(11), Some(3)).ok();
        assert_eq!(parse_date("19151103"), full);
        assert_eq!(parse_date("1915-11-03"), full);
        assert_eq!(parse_date("03.11.1915"), full);
        assert_eq!(parse_date("1915").map(|d| d.month()), Some(None));
        assert_eq!(parse_date("1915-13-01"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("12"), None);
        assert_eq!(parse_date("Dbଏⶬ"), None);
    }

    #[test]
    fn kinds_come_from_column_names_then_from_values() {
        assert_eq!(
            FieldKind::from_column_name("surname"),
            Some(FieldKind::Name)
        );
        assert_eq!(
            FieldKind::from_column_name("date_of_birth"),
            Some(FieldKind::Date)
        );
        assert_eq!(
            FieldKind::from_column_name("postcode"),
            Some(FieldKind::Code)
        );
        assert_eq!(
            FieldKind::from_column_name("suburb"),
            Some(FieldKind::Place)
        );
        assert_eq!(
            FieldKind::from_column_name("nationality"),
            Some(FieldKind::Text)
        );
        assert_eq!(
            FieldKind::from_column_name("fate"),
            Some(FieldKind::Category)
        );
        assert_eq!(
            FieldKind::from_column_name("status_date"),
            Some(FieldKind::Date)
        );
        assert_eq!(FieldKind::from_column_name("remarks"), None);
        let values = ["1920", "1921-02-03", "", "1919"];
        assert_eq!(FieldKind::from_values(values.into_iter()), FieldKind::Date);
        let values = ["4223", "2119", "3165"];
        assert_eq!(FieldKind::from_values(values.into_iter()), FieldKind::Code);
        let values = ["Момышулы Бауыржан", "Ahmedov Abdulla"];
        assert_eq!(FieldKind::from_values(values.into_iter()), FieldKind::Name);
    }

    #[test]
    fn a_value_that_is_not_of_its_kind_is_missing() {
        assert!(Value::new(FieldKind::Date, "unknown").is_missing());
        assert!(Value::new(FieldKind::Name, "  ").is_missing());
        assert!(Value::new(FieldKind::Name, "1941").is_missing());
        assert!(!Value::new(FieldKind::Name, "Момыш-улы").is_missing());
    }
}
