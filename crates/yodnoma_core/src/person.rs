//! Persons: what the registry shows, built from the source records that mention one person.
//!
//! A person holds no facts of its own beyond its id: each fact shown is read from its records,
//! so a re-import of a corrected record corrects the person, and the page can say which source
//! gave which fact.

use crate::award::AwardKind;
use crate::date::PartialDate;
use crate::ids::{PersonId, SourceName};
use crate::record::{Category, Fate, SourceRecord};

pub use yodnoma_names::Script;

/// A source record with the source it was imported from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonRecord {
    pub source: SourceName,
    #[serde(flatten)]
    pub record: SourceRecord,
}

/// One way a person's name is written, and the sources that write it so.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NameForm {
    pub surname: Option<String>,
    pub given_name: Option<String>,
    pub patronymic: Option<String>,
    pub full: String,
    pub script: &'static str,
    pub sources: Vec<String>,
}

/// An award as a source records it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonAward {
    pub kind: AwardKind,
    pub text: String,
    pub date: Option<PartialDate>,
    pub source: String,
}

/// A person of the registry and the records that mention them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub records: Vec<PersonRecord>,
}

impl Person {
    /// The name to show first: the fullest form, the first source breaking ties.
    pub fn display_name(&self) -> String {
        self.name_forms()
            .into_iter()
            .enumerate()
            .max_by_key(|(index, f)| {
                let parts = [&f.surname, &f.given_name, &f.patronymic];
                // Initials ("И.") say less than a written-out name.
                let full_parts = parts
                    .iter()
                    .filter(|p| p.as_ref().is_some_and(|t| t.chars().count() > 2))
                    .count();
                (full_parts, std::cmp::Reverse(*index))
            })
            .map(|(_, f)| f.full)
            .unwrap_or_default()
    }

    /// Every distinct spelling of the name, in the order the records give them.
    pub fn name_forms(&self) -> Vec<NameForm> {
        let mut forms: Vec<NameForm> = Vec::new();
        for r in &self.records {
            let full = r.record.full_name();
            let source = format!("{}/{}", r.source, r.record.record_id);
            if let Some(form) = forms.iter_mut().find(|f| f.full == full) {
                form.sources.push(source);
                continue;
            }
            forms.push(NameForm {
                surname: r.record.surname.clone(),
                given_name: r.record.given_name.clone(),
                patronymic: r.record.patronymic.clone(),
                script: Script::of(&full).as_str(),
                full,
                sources: vec![source],
            });
        }
        forms
    }

    /// The most precise of the records' dates for a field: sources that give the full date are
    /// preferred to those that give only the year.
    fn best_date(
        &self,
        field: impl Fn(&SourceRecord) -> Option<PartialDate>,
    ) -> Option<PartialDate> {
        self.records
            .iter()
            .filter_map(|r| field(&r.record))
            .max_by_key(|d| u8::from(d.month().is_some()) + u8::from(d.day().is_some()))
    }

    fn first_text(&self, field: impl Fn(&SourceRecord) -> &Option<String>) -> Option<&str> {
        self.records
            .iter()
            .find_map(|r| field(&r.record).as_deref())
    }

    pub fn birth_date(&self) -> Option<PartialDate> {
        self.best_date(|r| r.birth_date)
    }

    pub fn death_date(&self) -> Option<PartialDate> {
        self.best_date(|r| r.death_date)
    }

    pub fn birth_place(&self) -> Option<&str> {
        self.first_text(|r| &r.birth_place)
    }

    pub fn region(&self) -> Option<&str> {
        self.first_text(|r| &r.region)
    }

    pub fn country(&self) -> Option<&str> {
        self.first_text(|r| &r.country)
    }

    pub fn nationality(&self) -> Option<&str> {
        self.first_text(|r| &r.nationality)
    }

    pub fn rank(&self) -> Option<&str> {
        self.first_text(|r| &r.rank)
    }

    pub fn unit(&self) -> Option<&str> {
        self.first_text(|r| &r.unit)
    }

    pub fn burial_place(&self) -> Option<&str> {
        self.first_text(|r| &r.burial_place)
    }

    /// The category of the first record that says something other than the default, since a
    /// list of evacuees says more about a person than a register that only defaults to served.
    pub fn category(&self) -> Category {
        self.records
            .iter()
            .map(|r| r.record.category)
            .find(|c| *c != Category::Served)
            .unwrap_or_default()
    }

    /// The gravest fate any source reports: a loss report outweighs an earlier draft list that
    /// knew only that the person was alive.
    pub fn fate(&self) -> Option<Fate> {
        let gravity = |f: &Fate| match f {
            Fate::Killed | Fate::DiedOfWounds => 4,
            Fate::Missing => 3,
            Fate::DiedLater => 2,
            Fate::Survived => 1,
        };
        self.records
            .iter()
            .filter_map(|r| r.record.fate)
            .max_by_key(gravity)
    }

    /// Every award the records name. An award that two sources both name is shown once: the
    /// n-th award of a kind in one record is added only if no record gave n of that kind yet.
    pub fn awards(&self) -> Vec<PersonAward> {
        let mut awards: Vec<PersonAward> = Vec::new();
        for r in &self.records {
            let Some(text) = &r.record.award else {
                continue;
            };
            let mut seen_here: Vec<AwardKind> = Vec::new();
            let mut awards_here = 0;
            for (kind, part) in AwardKind::parse_list(text) {
                seen_here.push(kind);
                let nth = seen_here.iter().filter(|k| **k == kind).count();
                let known = awards.iter().filter(|a| a.kind == kind).count();
                if kind != AwardKind::Other && known >= nth {
                    continue;
                }
                awards.push(PersonAward {
                    kind,
                    text: part,
                    // A record has one award date: it belongs to the first award it names.
                    date: r.record.award_date.filter(|_| awards_here == 0),
                    source: r.source.to_string(),
                });
                awards_here += 1;
            }
        }
        awards
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(source: &str, id: &str, surname: &str, given: &str) -> PersonRecord {
        let Ok(source) = SourceName::parse(source) else {
            panic!("fixture source")
        };
        PersonRecord {
            source,
            record: SourceRecord {
                record_id: id.to_owned(),
                surname: Some(surname.to_owned()),
                given_name: Some(given.to_owned()),
                ..SourceRecord::default()
            },
        }
    }

    fn person(records: Vec<PersonRecord>) -> Person {
        Person {
            id: PersonId::from_time_and_sequence(7, 7),
            records,
        }
    }

    #[test]
    fn prefers_the_fullest_name_and_lists_every_form() {
        let p = person(vec![
            record("draft", "1", "Корнеев", "И."),
            record("award", "2", "Корнеев", "Иван"),
            record("memory", "3", "Korneev", "Ivan"),
        ]);
        assert_eq!(p.display_name(), "Корнеев Иван");
        let forms = p.name_forms();
        assert_eq!(forms.len(), 3);
        assert_eq!(forms[2].script, "Latn");
    }

    #[test]
    fn takes_the_most_precise_date_and_the_gravest_fate() {
        let mut a = record("draft", "1", "Уразов", "Ахмед");
        a.record.birth_date = "1920".parse().ok();
        a.record.fate = Some(Fate::Survived);
        let mut b = record("losses", "2", "Оразов", "Ахмет");
        b.record.birth_date = "1920-04-01".parse().ok();
        b.record.fate = Some(Fate::Killed);
        let p = person(vec![a, b]);
        assert_eq!(p.birth_date(), "1920-04-01".parse().ok());
        assert_eq!(p.fate(), Some(Fate::Killed));
    }

    #[test]
    fn an_award_named_by_two_sources_counts_once() {
        let mut a = record("award", "1", "Луганский", "Сергей");
        a.record.award = Some("Hero of the Soviet Union (twice)".to_owned());
        let mut b = record("museum", "2", "Луганский", "Сергей");
        b.record.award = Some("Герой Советского Союза".to_owned());
        let p = person(vec![a, b]);
        let heroes = p
            .awards()
            .iter()
            .filter(|a| a.kind == AwardKind::HeroOfTheSovietUnion)
            .count();
        assert_eq!(heroes, 2);
    }
}
