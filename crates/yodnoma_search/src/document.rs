//! The index document of a person: the keys of all its names and the facts search filters on.

use std::collections::BTreeSet;

use tantivy::TantivyDocument;
use tantivy::schema::{Field, Value as _};
use yodnoma_core::{AwardKind, Person, Republic, nationality_key};

use crate::Fields;

/// Separates the source from the record id in the stored `records` values; neither can
/// contain it (source names are restricted, record ids are single CSV fields without control
/// characters).
pub(crate) const RECORD_SEPARATOR: char = '\u{1f}';

/// The `(source, record_id)` pairs stored in a person's document.
pub(crate) fn stored_records(doc: &TantivyDocument, fields: &Fields) -> Vec<(String, String)> {
    doc.get_all(fields.records)
        .filter_map(|v| v.as_str())
        .filter_map(|r| r.split_once(RECORD_SEPARATOR))
        .map(|(source, id)| (source.to_owned(), id.to_owned()))
        .collect()
}

/// How much the records document about a person, from 0 to 100: it orders namesakes, whose
/// names match a query equally well. A person known from several records, decorated, with a
/// full name and a date of birth comes before a bare entry of a list.
pub(crate) fn prominence(person: &Person) -> u64 {
    let award = person
        .records
        .iter()
        .filter_map(|r| r.record.award.as_deref())
        .flat_map(AwardKind::parse_list)
        .map(|(kind, _)| match kind {
            AwardKind::HeroOfTheSovietUnion | AwardKind::FullCavalierOfGlory => 40,
            AwardKind::OrderOfLenin | AwardKind::OrderOfTheRedBanner => 15,
            AwardKind::Medal | AwardKind::MedalForCourage | AwardKind::MedalForBattleMerit => 5,
            AwardKind::Other => 3,
            _ => 10,
        })
        .max()
        .unwrap_or(0);
    let sources = 10 * (person.records.len().min(4) as u64).saturating_sub(1);
    let written_out = |part: &Option<String>| part.as_ref().is_some_and(|p| p.chars().count() > 2);
    let full_name = person
        .records
        .iter()
        .any(|r| written_out(&r.record.given_name) && written_out(&r.record.patronymic));
    let born = person.records.iter().any(|r| r.record.birth_date.is_some());
    (award + sources + 15 * u64::from(full_name) + 15 * u64::from(born)).min(100)
}

/// The document of `person`. Every record's name is indexed, so that a person whose records
/// spell the name three ways is found by each spelling.
pub(crate) fn person_document(fields: &Fields, id: &str, person: &Person) -> TantivyDocument {
    let mut doc = TantivyDocument::new();
    doc.add_text(fields.person, id);
    doc.add_text(fields.display, person.display_name());
    let mut exact = BTreeSet::new();
    let mut latin = BTreeSet::new();
    let mut phonetic = BTreeSet::new();
    let mut initials = BTreeSet::new();
    let mut abbreviated = BTreeSet::new();
    let mut principal = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut years = BTreeSet::new();
    let mut regions = BTreeSet::new();
    let mut fates = BTreeSet::new();
    let mut awards = BTreeSet::new();
    let mut republics = BTreeSet::new();
    let mut nationalities = BTreeSet::new();
    let mut districts = BTreeSet::new();
    let mut death_years = BTreeSet::new();
    let mut death_months = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut award_months = BTreeSet::new();
    for r in &person.records {
        let record = &r.record;
        doc.add_text(
            fields.records,
            format!("{}{RECORD_SEPARATOR}{}", r.source, record.record_id),
        );
        let full_name = record.full_name();
        // Each part is read on its own so that a particle is joined to its own part only.
        for (part, is_principal) in [
            (&record.surname, true),
            (&record.given_name, true),
            (&record.patronymic, false),
        ] {
            let Some(part) = part else { continue };
            let part_words = yodnoma_names::words(part);
            // A compound written apart ("Анна-Клыч", "Абдул Гафур") is also found as one word,
            // as other records write it.
            let compounds = part_words
                .windows(2)
                .filter(|pair| !pair[0].is_initial() && !pair[1].is_initial())
                .map(|pair| yodnoma_names::join_words(&pair[0], &pair[1]))
                .collect::<Vec<_>>();
            for word in part_words.into_iter().chain(compounds) {
                if word.is_initial() {
                    // "Корнеев И. И.": the record gives only initials, which a full given
                    // name in the query can still match.
                    if let Some(first) = word.initial() {
                        abbreviated.insert(first.to_owned());
                        initials.insert(first.to_owned());
                    }
                    exact.insert(word.folded);
                    continue;
                }
                if let Some(first) = word.initial() {
                    initials.insert(first.to_owned());
                }
                if !word.latin.is_empty() {
                    latin.insert(word.latin);
                }
                if !word.phonetic.is_empty() {
                    if is_principal {
                        principal.insert(word.phonetic.clone());
                    }
                    phonetic.insert(word.phonetic);
                }
                exact.insert(word.folded);
            }
        }
        if !full_name.is_empty() {
            names.insert(full_name);
        }
        if let Some(year) = record.birth_date.as_ref().map(|d| d.year())
            && let Ok(year) = u64::try_from(year)
        {
            years.insert(year);
        }
        if let Some(region) = record.region.as_deref().filter(|r| !r.is_empty()) {
            regions.insert(region.to_owned());
        }
        // A district is no column of the contract: sources that name one (of birth, of draft)
        // bring it as the extra column `district`.
        districts.extend(
            record
                .extra
                .iter()
                .filter(|(name, value)| {
                    name.eq_ignore_ascii_case("district") && !value.trim().is_empty()
                })
                .map(|(_, value)| value.trim().to_owned()),
        );
        if let Some(fate) = record.fate {
            fates.insert(fate.as_str());
        }
        // Today's country says the republic; a record without one may name it in its region
        // ("Казахская ССР") or its place of birth.
        let republic = [&record.country, &record.region, &record.birth_place]
            .into_iter()
            .flatten()
            .find_map(|text| Republic::from_text(text));
        if let Some(republic) = republic {
            republics.insert(republic.key());
        }
        if let Some(key) = record.nationality.as_deref().and_then(nationality_key) {
            nationalities.insert(key);
        }
        if let Some(year) = record.death_date.as_ref().map(|d| d.year())
            && let Ok(year) = u64::try_from(year)
        {
            death_years.insert(year);
        }
        categories.insert(record.category.as_str());
        death_months.extend(record.death_date.as_ref().and_then(month_number));
        award_months.extend(record.award_date.as_ref().and_then(month_number));
        if let Some(text) = &record.award {
            for (kind, _) in AwardKind::parse_list(text) {
                awards.insert(kind.key());
            }
        }
    }
    doc.add_u64(fields.prominence, prominence(person));
    let join = |set: BTreeSet<String>| set.into_iter().collect::<Vec<_>>().join(" ");
    doc.add_text(fields.exact, join(exact));
    doc.add_text(fields.latin, join(latin));
    doc.add_text(fields.phonetic, join(phonetic));
    doc.add_text(fields.initials, join(initials));
    doc.add_text(fields.abbreviated, join(abbreviated));
    doc.add_text(fields.principal, join(principal));
    add_texts(&mut doc, fields.names, names);
    let decades: BTreeSet<u64> = years.iter().map(|year| year / 10 * 10).collect();
    add_numbers(&mut doc, fields.birth_year, years);
    add_numbers(&mut doc, fields.birth_decade, decades);
    add_texts(&mut doc, fields.region, regions);
    add_texts(&mut doc, fields.district, districts);
    add_texts(&mut doc, fields.fate, fates);
    add_texts(&mut doc, fields.award, awards);
    add_texts(&mut doc, fields.republic, republics);
    add_texts(&mut doc, fields.nationality, nationalities);
    add_numbers(&mut doc, fields.death_year, death_years);
    add_texts(&mut doc, fields.category, categories);
    add_numbers(&mut doc, fields.death_month, death_months);
    add_numbers(&mut doc, fields.award_month, award_months);
    doc
}

/// A date's month as one number, `year * 12 + month - 1`, when the date gives its month.
pub(crate) fn month_number(date: &yodnoma_core::PartialDate) -> Option<u64> {
    let year = u64::try_from(date.year()).ok()?;
    Some(year * 12 + u64::from(date.month()?) - 1)
}

fn add_texts<T: AsRef<str>>(doc: &mut TantivyDocument, field: Field, values: BTreeSet<T>) {
    for value in values {
        doc.add_text(field, value);
    }
}

fn add_numbers(doc: &mut TantivyDocument, field: Field, values: BTreeSet<u64>) {
    for value in values {
        doc.add_u64(field, value);
    }
}
