//! `yodnoma export records [--source NAME]` and `yodnoma export persons`: the stored data, carried
//! away whole.
//!
//! Records are written as CSV in the import format, so exporting one source and importing the
//! file into an empty store gives the same records; without `--source` a `source` column comes
//! first. Persons are written as JSON Lines, each line what `GET /api/v1/persons/{id}` answers.
//! Both stream person by person: memory does not grow with the registry.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use anyhow::Context;
use yodnoma_core::{Column, Exhibit, PersonId, SourceName};
use yodnoma_db::{PersonScope, RecordFields, Store};

/// Writes the records (of one source, or all) to `out`; returns how many.
pub async fn export_records(
    store: &Store,
    source: Option<&SourceName>,
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    // Extra columns differ between files: their union, in a first pass, makes the header.
    let mut extra = BTreeSet::new();
    store
        .each_person(PersonScope::All, RecordFields::All, |person| {
            for r in &person.records {
                if source.is_none_or(|s| *s == r.source) {
                    extra.extend(r.record.extra.iter().map(|(k, _)| k.clone()));
                }
            }
            Ok::<(), anyhow::Error>(())
        })
        .await?;
    let extra: Vec<String> = extra.into_iter().collect();
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = Vec::new();
    if source.is_none() {
        header.push("source");
    }
    header.extend(Column::ALL.iter().map(|c| c.name()));
    header.extend(extra.iter().map(String::as_str));
    writer.write_record(&header)?;
    let mut written = 0;
    store
        .each_person(PersonScope::All, RecordFields::All, |person| {
            for r in &person.records {
                if source.is_some_and(|s| *s != r.source) {
                    continue;
                }
                let mut row: Vec<String> = Vec::with_capacity(header.len());
                if source.is_none() {
                    row.push(r.source.to_string());
                }
                row.extend(
                    Column::ALL
                        .iter()
                        .map(|c| r.record.text(*c).unwrap_or_default()),
                );
                let extras: HashMap<&str, &str> = r
                    .record
                    .extra
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                row.extend(
                    extra
                        .iter()
                        .map(|k| extras.get(k.as_str()).copied().unwrap_or("").to_owned()),
                );
                writer.write_record(&row)?;
                written += 1;
            }
            Ok::<(), anyhow::Error>(())
        })
        .await?;
    writer.flush().context("cannot write the export")?;
    Ok(written)
}

/// Writes every person as one JSON line; returns how many.
pub async fn export_persons(store: &Store, out: &mut impl Write) -> anyhow::Result<u64> {
    let mut exhibits: HashMap<PersonId, Vec<Exhibit>> = HashMap::new();
    for (person, exhibit) in store.depictions().await? {
        exhibits.entry(person).or_default().push(exhibit);
    }
    let persons = store
        .each_person(PersonScope::All, RecordFields::All, |person| {
            let shown = exhibits.get(&person.id).map_or(&[][..], Vec::as_slice);
            serde_json::to_writer(&mut *out, &yodnoma_web::person_json(&person, shown))?;
            out.write_all(b"\n")?;
            Ok::<(), anyhow::Error>(())
        })
        .await?;
    out.flush().context("cannot write the export")?;
    Ok(persons)
}
