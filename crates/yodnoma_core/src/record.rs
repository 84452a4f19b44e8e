//! Source records: one mention of one person in one source document, as written there.
//!
//! A CSV header becomes a [`RecordSchema`] once per file; each row then becomes a
//! [`SourceRecord`] or the list of everything wrong with it, each problem naming its column.

use std::fmt;

use crate::date::PartialDate;

/// The part a person had in the war. All have equal standing in the registry.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    #[default]
    Served,
    HomeFront,
    Evacuee,
    Partisan,
    Pow,
    Civilian,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Self::Served,
        Self::HomeFront,
        Self::Evacuee,
        Self::Partisan,
        Self::Pow,
        Self::Civilian,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Served => "served",
            Self::HomeFront => "home_front",
            Self::Evacuee => "evacuee",
            Self::Partisan => "partisan",
            Self::Pow => "pow",
            Self::Civilian => "civilian",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// What became of a person, as far as a source knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Survived,
    Killed,
    Missing,
    DiedOfWounds,
    DiedLater,
}

impl Fate {
    pub const ALL: [Fate; 5] = [
        Self::Survived,
        Self::Killed,
        Self::Missing,
        Self::DiedOfWounds,
        Self::DiedLater,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Survived => "survived",
            Self::Killed => "killed",
            Self::Missing => "missing",
            Self::DiedOfWounds => "died_of_wounds",
            Self::DiedLater => "died_later",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

/// The columns of the contract's source-record CSV. Any other column is kept as an extra.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    RecordId,
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    DeathDate,
    AwardDate,
    BirthPlace,
    Region,
    Country,
    Category,
    Nationality,
    Rank,
    Unit,
    Award,
    Fate,
    DeathPlace,
    BurialPlace,
    SourceRef,
    Notes,
}

impl Column {
    pub const ALL: [Column; 20] = [
        Self::RecordId,
        Self::Surname,
        Self::GivenName,
        Self::Patronymic,
        Self::BirthDate,
        Self::DeathDate,
        Self::AwardDate,
        Self::BirthPlace,
        Self::Region,
        Self::Country,
        Self::Category,
        Self::Nationality,
        Self::Rank,
        Self::Unit,
        Self::Award,
        Self::Fate,
        Self::DeathPlace,
        Self::BurialPlace,
        Self::SourceRef,
        Self::Notes,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::RecordId => "record_id",
            Self::Surname => "surname",
            Self::GivenName => "given_name",
            Self::Patronymic => "patronymic",
            Self::BirthDate => "birth_date",
            Self::DeathDate => "death_date",
            Self::AwardDate => "award_date",
            Self::BirthPlace => "birth_place",
            Self::Region => "region",
            Self::Country => "country",
            Self::Category => "category",
            Self::Nationality => "nationality",
            Self::Rank => "rank",
            Self::Unit => "unit",
            Self::Award => "award",
            Self::Fate => "fate",
            Self::DeathPlace => "death_place",
            Self::BurialPlace => "burial_place",
            Self::SourceRef => "source_ref",
            Self::Notes => "notes",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The longest value one field may hold, in bytes. Generous for a note, and small enough that a
/// broken file (a missing closing quote swallowing the rest of the file) is caught at once.
pub const MAX_FIELD_BYTES: usize = 16 * 1024;

/// One source record, validated.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct SourceRecord {
    pub record_id: String,
    pub surname: Option<String>,
    pub given_name: Option<String>,
    pub patronymic: Option<String>,
    pub birth_date: Option<PartialDate>,
    pub death_date: Option<PartialDate>,
    pub award_date: Option<PartialDate>,
    pub birth_place: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub category: Category,
    pub nationality: Option<String>,
    pub rank: Option<String>,
    pub unit: Option<String>,
    pub award: Option<String>,
    pub fate: Option<Fate>,
    pub death_place: Option<String>,
    pub burial_place: Option<String>,
    pub source_ref: Option<String>,
    pub notes: Option<String>,
    /// Columns the contract does not name, in file order, kept with the record.
    pub extra: Vec<(String, String)>,
}

impl SourceRecord {
    /// The name as a reader expects it in a list: surname, given name, patronymic.
    pub fn full_name(&self) -> String {
        [&self.surname, &self.given_name, &self.patronymic]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The value of a column as text, as it would be written back to CSV.
    pub fn text(&self, column: Column) -> Option<String> {
        let text = |v: &Option<String>| v.clone();
        let date = |v: &Option<PartialDate>| v.map(|d| d.to_string());
        match column {
            Column::RecordId => Some(self.record_id.clone()),
            Column::Surname => text(&self.surname),
            Column::GivenName => text(&self.given_name),
            Column::Patronymic => text(&self.patronymic),
            Column::BirthDate => date(&self.birth_date),
            Column::DeathDate => date(&self.death_date),
            Column::AwardDate => date(&self.award_date),
            Column::BirthPlace => text(&self.birth_place),
            Column::Region => text(&self.region),
            Column::Country => text(&self.country),
            Column::Category => Some(self.category.as_str().to_owned()),
            Column::Nationality => text(&self.nationality),
            Column::Rank => text(&self.rank),
            Column::Unit => text(&self.unit),
            Column::Award => text(&self.award),
            Column::Fate => self.fate.map(|f| f.as_str().to_owned()),
            Column::DeathPlace => text(&self.death_place),
            Column::BurialPlace => text(&self.burial_place),
            Column::SourceRef => text(&self.source_ref),
            Column::Notes => text(&self.notes),
        }
    }
}

/// What is wrong with a header, so that no row of the file can be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("the header has no record_id column (columns: {0})")]
    NoRecordId(String),
    #[error("the header has neither a surname nor a given_name column")]
    NoName,
    #[error("the header names column '{0}' twice")]
    Duplicate(String),
    #[error("the header has an empty column name at position {0}")]
    EmptyName(usize),
}

/// One problem with one row: `column: problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The column at fault, or `row` when the row as a whole is wrong.
    pub column: String,
    pub problem: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.column, self.problem)
    }
}

/// Where each column of a file is. Built once from the header.
#[derive(Debug, Clone)]
pub struct RecordSchema {
    /// For each position in a row: the contract column, or the name of an extra column.
    positions: Vec<Slot>,
    /// Columns without a name after the last named one: spreadsheets export the empty
    /// columns beside a table. Rows may have them or not, but must leave them empty.
    unnamed_tail: usize,
}

#[derive(Debug, Clone)]
enum Slot {
    Known(Column),
    Extra(String),
}

impl RecordSchema {
    /// Reads a header. Names are matched after trimming and lower-casing, and a UTF-8 byte
    /// order mark on the first name is ignored, because spreadsheets write one. Empty names
    /// after the last named column are allowed, for the same reason.
    pub fn from_header<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, SchemaError> {
        let names: Vec<String> = names
            .into_iter()
            .map(|raw| raw.trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect();
        let named = names
            .iter()
            .rposition(|n| !n.is_empty())
            .map_or(0, |last| last + 1);
        let mut positions = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (index, name) in names[..named].iter().enumerate() {
            let name = name.clone();
            if name.is_empty() {
                return Err(SchemaError::EmptyName(index + 1));
            }
            if !seen.insert(name.clone()) {
                return Err(SchemaError::Duplicate(name));
            }
            positions.push(match Column::from_name(&name) {
                Some(column) => Slot::Known(column),
                None => Slot::Extra(name),
            });
        }
        let has = |c: Column| {
            positions
                .iter()
                .any(|s| matches!(s, Slot::Known(k) if *k == c))
        };
        if !has(Column::RecordId) {
            let names: Vec<&str> = positions
                .iter()
                .map(|s| match s {
                    Slot::Known(c) => c.name(),
                    Slot::Extra(n) => n.as_str(),
                })
                .collect();
            return Err(SchemaError::NoRecordId(names.join(", ")));
        }
        if !has(Column::Surname) && !has(Column::GivenName) {
            return Err(SchemaError::NoName);
        }
        Ok(Self {
            positions,
            unnamed_tail: names.len() - named,
        })
    }

    /// The name of the column at `position`, as the header gives it (lower-cased).
    pub fn name_at(&self, position: usize) -> Option<&str> {
        self.positions.get(position).map(|slot| match slot {
            Slot::Known(column) => column.name(),
            Slot::Extra(name) => name.as_str(),
        })
    }

    /// The names of the columns, in order: contract columns by their names, extra ones as
    /// the header wrote them.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        (0..self.positions.len()).filter_map(|i| self.name_at(i))
    }

    /// Where a contract column is in a row, if the file has it.
    pub fn position(&self, column: Column) -> Option<usize> {
        self.positions
            .iter()
            .position(|s| matches!(s, Slot::Known(c) if *c == column))
    }

    /// Validates one row. Every problem of the row is reported, not just the first, so that a
    /// person fixing a file fixes it in one pass.
    pub fn parse_row<'a>(
        &self,
        mut fields: impl ExactSizeIterator<Item = &'a str>,
    ) -> Result<SourceRecord, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let count = fields.len();
        let named = self.positions.len();
        if count != named && count != named + self.unnamed_tail {
            problems.push(RowProblem {
                column: "row".to_owned(),
                problem: match self.unnamed_tail {
                    0 => format!("has {count} fields, the header has {named}"),
                    tail => format!(
                        "has {count} fields, the header has {named}, or {} with the unnamed \
                         columns after them",
                        named + tail
                    ),
                },
            });
            return Err(problems);
        }
        let mut record = SourceRecord::default();
        for (slot, raw) in self.positions.iter().zip(fields.by_ref()) {
            let value = raw.trim();
            let column_name = match slot {
                Slot::Known(c) => c.name(),
                Slot::Extra(n) => n.as_str(),
            };
            if value.len() > MAX_FIELD_BYTES {
                problems.push(RowProblem {
                    column: column_name.to_owned(),
                    problem: format!(
                        "is {} bytes long; the limit is {MAX_FIELD_BYTES}",
                        value.len()
                    ),
                });
                continue;
            }
            let problem = match slot {
                Slot::Known(column) => assign(&mut record, *column, value).err(),
                Slot::Extra(name) => {
                    if !value.is_empty() {
                        record.extra.push((name.clone(), value.to_owned()));
                    }
                    None
                }
            };
            if let Some(problem) = problem {
                problems.push(RowProblem {
                    column: column_name.to_owned(),
                    problem,
                });
            }
        }
        // What stands under no name would be lost without a word.
        if let Some(position) = fields.position(|raw| !raw.trim().is_empty()) {
            problems.push(RowProblem {
                column: "row".to_owned(),
                problem: format!(
                    "has a value in column {}, which the header leaves unnamed",
                    named + position + 1
                ),
            });
        }
        if record.record_id.is_empty() && !problems.iter().any(|p| p.column == "record_id") {
            problems.push(RowProblem {
                column: "record_id".to_owned(),
                problem: "is empty".to_owned(),
            });
        }
        let name_problem = problems
            .iter()
            .any(|p| p.column == "surname" || p.column == "given_name");
        if record.surname.is_none() && record.given_name.is_none() && !name_problem {
            problems.push(RowProblem {
                column: "surname".to_owned(),
                problem: "neither surname nor given_name is given".to_owned(),
            });
        }
        if let (Some(birth), Some(death)) = (record.birth_date, record.death_date)
            && death.year() < birth.year()
        {
            problems.push(RowProblem {
                column: "death_date".to_owned(),
                problem: format!("{death} is before birth_date {birth}"),
            });
        }
        if problems.is_empty() {
            Ok(record)
        } else {
            Err(problems)
        }
    }
}

fn assign(record: &mut SourceRecord, column: Column, value: &str) -> Result<(), String> {
    let text = || (!value.is_empty()).then(|| value.to_owned());
    let date = || -> Result<Option<PartialDate>, String> {
        if value.is_empty() {
            return Ok(None);
        }
        value
            .parse()
            .map(Some)
            .map_err(|e: crate::DateError| e.to_string())
    };
    match column {
        Column::RecordId => {
            if value.chars().any(char::is_control) {
                return Err("contains a control character".to_owned());
            }
            record.record_id = value.to_owned();
        }
        Column::Surname => record.surname = text(),
        Column::GivenName => record.given_name = text(),
        Column::Patronymic => record.patronymic = text(),
        Column::BirthDate => record.birth_date = date()?,
        Column::DeathDate => record.death_date = date()?,
        Column::AwardDate => record.award_date = date()?,
        Column::BirthPlace => record.birth_place = text(),
        Column::Region => record.region = text(),
        Column::Country => record.country = text(),
        Column::Category => {
            if !value.is_empty() {
                record.category = Category::parse(&value.to_lowercase()).ok_or_else(|| {
                    format!(
                        "'{}' is not one of served, home_front, evacuee, partisan, pow, civilian",
                        shorten(value)
                    )
                })?;
            }
        }
        Column::Nationality => record.nationality = text(),
        Column::Rank => record.rank = text(),
        Column::Unit => record.unit = text(),
        Column::Award => record.award = text(),
        Column::Fate => {
            if !value.is_empty() {
                record.fate = Some(Fate::parse(&value.to_lowercase()).ok_or_else(|| {
                    format!(
                        "'{}' is not one of survived, killed, missing, died_of_wounds, died_later",
                        shorten(value)
                    )
                })?);
            }
        }
        Column::DeathPlace => record.death_place = text(),
        Column::BurialPlace => record.burial_place = text(),
        Column::SourceRef => record.source_ref = text(),
        Column::Notes => record.notes = text(),
    }
    Ok(())
}

/// Quotes at most 40 characters of a bad value: enough to find it, never a wall of text.
fn shorten(value: &str) -> String {
    let mut short: String = value.chars().take(40).collect();
    if short.len() < value.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(header: &[&str]) -> RecordSchema {
        match RecordSchema::from_header(header.iter().copied()) {
            Ok(s) => s,
            Err(e) => panic!("fixture header: {e}"),
        }
    }

    fn problems(schema: &RecordSchema, row: &[&str]) -> Vec<String> {
        match schema.parse_row(row.iter().copied()) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn header_needs_record_id_and_a_name() {
        assert!(matches!(
            RecordSchema::from_header(["surname", "given_name"]),
            Err(SchemaError::NoRecordId(_))
        ));
        assert_eq!(
            RecordSchema::from_header(["record_id", "rank"]).err(),
            Some(SchemaError::NoName)
        );
        assert_eq!(
            RecordSchema::from_header(["record_id", "surname", "Surname"]).err(),
            Some(SchemaError::Duplicate("surname".to_owned()))
        );
        assert!(RecordSchema::from_header(["\u{feff}record_id", " Surname "]).is_ok());
    }

    #[test]
    fn unnamed_columns_after_the_table_must_stay_empty() {
        // A spreadsheet's export: two empty columns beside the table.
        let s = schema(&["record_id", "surname", "", " "]);
        assert!(problems(&s, &["r1", "Уразов", "", ""]).is_empty());
        // A row written without them is the same row.
        assert!(problems(&s, &["r1", "Уразов"]).is_empty());
        assert_eq!(
            problems(&s, &["r1", "Уразов", "", "1941"]),
            ["row: has a value in column 4, which the header leaves unnamed"]
        );
        assert_eq!(
            problems(&s, &["r1", "Уразов", ""]),
            ["row: has 3 fields, the header has 2, or 4 with the unnamed columns after them"]
        );
        // An unnamed column between named ones is still refused.
        assert_eq!(
            RecordSchema::from_header(["record_id", "", "surname"]).err(),
            Some(SchemaError::EmptyName(2))
        );
    }

    #[test]
    fn a_good_row_keeps_known_and_extra_columns() {
        let s = schema(&[
            "record_id",
            "surname",
            "birth_date",
            "category",
            "true_person",
            "fate",
        ]);
        let record =
            s.parse_row(["r1", " Момыш-улы ", "1910-12", "", "t7", "survived"].into_iter());
        let Ok(record) = record else {
            panic!("row is valid")
        };
        assert_eq!(record.surname.as_deref(), Some("Момыш-улы"));
        assert_eq!(record.birth_date, Some(PartialDate::YearMonth(1910, 12)));
        assert_eq!(record.category, Category::Served);
        assert_eq!(record.fate, Some(Fate::Survived));
        assert_eq!(
            record.extra,
            vec![("true_person".to_owned(), "t7".to_owned())]
        );
    }

    #[test]
    fn a_bad_row_names_every_problem() {
        let s = schema(&[
            "record_id",
            "surname",
            "given_name",
            "birth_date",
            "fate",
            "category",
        ]);
        assert_eq!(
            problems(&s, &["", "", "", "1941-13-40", "dead", "soldier"]),
            [
                "birth_date: month 13 is not between 1 and 12",
                "fate: 'dead' is not one of survived, killed, missing, died_of_wounds, died_later",
                "category: 'soldier' is not one of served, home_front, evacuee, partisan, pow, civilian",
                "record_id: is empty",
                "surname: neither surname nor given_name is given",
            ]
        );
        assert_eq!(
            problems(&s, &["r1", "x"]),
            ["row: has 2 fields, the header has 6"]
        );
        let long = "я".repeat(MAX_FIELD_BYTES);
        assert_eq!(
            problems(&s, &["r1", &long, "", "", "", ""]),
            ["surname: is 32768 bytes long; the limit is 16384"]
        );
    }

    #[test]
    fn death_before_birth_is_refused() {
        let s = schema(&["record_id", "surname", "birth_date", "death_date"]);
        assert_eq!(
            problems(&s, &["r1", "Уразов", "1920", "1919-05"]),
            ["death_date: 1919-05 is before birth_date 1920"]
        );
    }
}
