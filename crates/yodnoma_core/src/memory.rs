//! The memory around the registry: figures published about the war (set beside what the
//! registry holds), events with dates and places, and places of memory. Events and places link
//! to source records, not persons, so that a link follows its record when linkage moves it.

use std::fmt;

use crate::{
    EventId, Fate, FigureId, ImageId, LanguageMap, MemorialId, PartialDate, Republic, SourceName,
};

/// A source record, named as imports name it: `SOURCE:RECORD_ID`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct RecordRef {
    pub source: SourceName,
    pub record_id: String,
}

impl RecordRef {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (source, record_id) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("{text:?} is not SOURCE:RECORD_ID"))?;
        let source = SourceName::parse(source.trim()).map_err(|e| e.to_string())?;
        let record_id = record_id.trim();
        if record_id.is_empty() {
            return Err(format!("{text:?} names no record after the ':'"));
        }
        Ok(Self {
            source,
            record_id: record_id.to_owned(),
        })
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.source, self.record_id)
    }
}

/// What the registry counts to set beside a published figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    /// Every person.
    Persons,
    /// Persons of one part in the war (`category=evacuee`).
    Category(crate::Category),
    /// Persons whose fate is one of these (`fate=killed,missing,died_of_wounds`).
    Fates(Vec<Fate>),
    /// Persons with any award (`award=*`).
    AnyAward,
    /// Persons with one kind of award, by its key (`award=hero`).
    Award(String),
}

impl Measure {
    /// Reads a measure as written in a figures file; the error says what is accepted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text == "persons" {
            return Ok(Self::Persons);
        }
        let accepted = "a measure is `persons`, `category=KIND`, `fate=FATE[,FATE…]`, \
                        `award=*` or `award=KEY`";
        let (field, value) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: {accepted}"))?;
        let value = value.trim();
        match field.trim() {
            "category" => crate::Category::parse(value)
                .map(Self::Category)
                .ok_or_else(|| format!("{value:?} is not a category")),
            "fate" => value
                .split(',')
                .map(|f| Fate::parse(f.trim()).ok_or_else(|| format!("{f:?} is not a fate")))
                .collect::<Result<Vec<_>, _>>()
                .map(Self::Fates),
            "award" if value == "*" => Ok(Self::AnyAward),
            "award" if crate::AwardKind::is_key(value) => Ok(Self::Award(value.to_owned())),
            "award" => Err(format!("{value:?} is not an award key")),
            _ => Err(format!("{text:?}: {accepted}")),
        }
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Persons => f.write_str("persons"),
            Self::Category(c) => write!(f, "category={}", c.as_str()),
            Self::Fates(fates) => {
                let list: Vec<&str> = fates.iter().map(|x| x.as_str()).collect();
                write!(f, "fate={}", list.join(","))
            }
            Self::AnyAward => f.write_str("award=*"),
            Self::Award(key) => write!(f, "award={key}"),
        }
    }
}

/// A figure published about the war, with its source: the registry shows it beside its own
/// count of the same (`measure`), which tells a museum what remains to be digitized.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedFigure {
    pub id: FigureId,
    pub label: LanguageMap,
    pub value: u64,
    /// Whether the figure is a lower bound ("more than 780,000"), about ("about 1.5 million") or
    /// exact, as the source says it.
    pub qualifier: Qualifier,
    /// `None` when the registry cannot count it.
    pub measure: Option<Measure>,
    pub source: String,
    pub position: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    About,
    MoreThan,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::About => "about",
            Self::MoreThan => "more_than",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Exact, Self::About, Self::MoreThan]
            .into_iter()
            .find(|q| q.as_str() == text.trim())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Battle,
    Operation,
    Formation,
    HomeFront,
    Deed,
}

impl EventKind {
    pub const ALL: [EventKind; 5] = [
        Self::Battle,
        Self::Operation,
        Self::Formation,
        Self::HomeFront,
        Self::Deed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Battle => "battle",
            Self::Operation => "operation",
            Self::Formation => "formation",
            Self::HomeFront => "home_front",
            Self::Deed => "deed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// An event of the war, with its dates and place, the units that took part and the records of
/// persons in it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    pub id: EventId,
    pub kind: EventKind,
    pub start: PartialDate,
    pub end: Option<PartialDate>,
    pub place: Option<String>,
    pub republic: Option<Republic>,
    pub title: LanguageMap,
    pub description: LanguageMap,
    pub units: Vec<String>,
    pub records: Vec<RecordRef>,
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MemorialKind {
    Memorial,
    Monument,
    Museum,
    Burial,
}

impl MemorialKind {
    pub const ALL: [MemorialKind; 4] = [Self::Memorial, Self::Monument, Self::Museum, Self::Burial];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Memorial => "memorial",
            Self::Monument => "monument",
            Self::Museum => "museum",
            Self::Burial => "burial",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text.trim())
    }
}

/// A place of memory, with its names by language, where it is, a photo from the image store,
/// and the records of persons buried or remembered there.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Memorial {
    pub id: MemorialId,
    pub kind: MemorialKind,
    pub name: LanguageMap,
    pub place: Option<String>,
    pub republic: Option<Republic>,
    /// Latitude and longitude in degrees (WGS 84), checked to be on the globe.
    pub coordinates: Option<(f64, f64)>,
    pub description: LanguageMap,
    pub image: Option<ImageId>,
    pub records: Vec<RecordRef>,
    pub source: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn measures_read_back_as_written() {
        for text in [
            "persons",
            "category=evacuee",
            "fate=killed,missing,died_of_wounds",
            "award=*",
            "award=hero",
        ] {
            let measure = Measure::parse(text).unwrap();
            assert_eq!(measure.to_string(), text);
        }
    }

    #[test]
    fn bad_measures_say_what_is_wrong() {
        assert!(
            Measure::parse("fate=killed,drowned")
                .unwrap_err()
                .contains("drowned")
        );
        assert!(Measure::parse("award=gold").unwrap_err().contains("gold"));
        assert!(Measure::parse("count").unwrap_err().contains("persons"));
    }

    #[test]
    fn record_refs_need_a_source_and_an_id() {
        let r = RecordRef::parse(" heroes:h001 ").unwrap();
        assert_eq!(r.to_string(), "heroes:h001");
        assert!(RecordRef::parse("h001").is_err());
        assert!(RecordRef::parse("heroes:").is_err());
        assert!(RecordRef::parse("bad source:1").is_err());
    }
}
