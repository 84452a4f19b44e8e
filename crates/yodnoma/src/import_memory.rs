//! `yodnoma import events|memorials|figures FILE.csv`: the memory around the registry, kept by a
//! museum in spreadsheets.
//!
//! Each file is read whole and checked before anything is stored: every problem is named by row
//! and column, the records and images rows name must already be stored, and one bad row stores
//! nothing. Events and places of memory are kept by id (importing a row again replaces it, so
//! importing a file again completes an import the database stopped half-way);
//! a figures file is the whole list of published figures and replaces the one stored. Every
//! change goes to the audit log.
//!
//! Texts by language sit in columns with a language suffix (`title_ru`, `title_kk`, `title_uz`,
//! `title_en`); lists (`units`, `records`) are separated by `;`.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;

use anyhow::bail;
use yodnoma_core::memory::Qualifier;
use yodnoma_core::{
    Event, EventId, EventKind, FigureId, ImageId, Language, LanguageMap, Measure, Memorial,
    MemorialId, MemorialKind, PartialDate, PublishedFigure, RecordRef, Republic,
};
use yodnoma_db::Store;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryFile {
    Events,
    Memorials,
    Figures,
}

impl MemoryFile {
    /// The columns of the file; those with `*` carry a language suffix.
    fn columns(self) -> &'static [&'static str] {
        match self {
            Self::Events => &[
                "id",
                "kind",
                "start",
                "end",
                "place",
                "republic",
                "title*",
                "description*",
                "units",
                "records",
                "source",
            ],
            Self::Memorials => &[
                "id",
                "kind",
                "name*",
                "place",
                "republic",
                "latitude",
                "longitude",
                "description*",
                "image",
                "records",
                "source",
            ],
            Self::Figures => &["id", "label*", "value", "qualifier", "measure", "source"],
        }
    }

    /// The columns that must have a value in every row.
    fn required(self) -> &'static [&'static str] {
        match self {
            Self::Events => &["id", "kind", "start", "title*", "source"],
            Self::Memorials => &["id", "kind", "name*", "source"],
            Self::Figures => &["id", "label*", "value", "qualifier", "source"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Events => "events",
            Self::Memorials => "places of memory",
            Self::Figures => "published figures",
        }
    }
}

/// One row, by column name.
struct Row {
    number: usize,
    values: HashMap<String, String>,
}

impl Row {
    fn text(&self, column: &str) -> Option<&str> {
        self.values
            .get(column)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn texts(&self, prefix: &str) -> LanguageMap {
        let mut map = LanguageMap::new();
        for lang in Language::ALL {
            if let Some(text) = self.text(&format!("{prefix}_{}", lang.tag())) {
                map.insert(lang, text);
            }
        }
        map
    }

    fn list(&self, column: &str) -> Vec<String> {
        self.text(column)
            .map(|v| {
                v.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Problems of a file, each named by its row and column.
struct Problems {
    file: String,
    list: Vec<String>,
}

impl Problems {
    fn add(&mut self, row: usize, column: &str, problem: impl std::fmt::Display) {
        self.list
            .push(format!("row {row}, column {column}: {problem}"));
    }

    fn check<T, E: std::fmt::Display>(
        &mut self,
        row: usize,
        column: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        result.map_err(|e| self.add(row, column, e)).ok()
    }

    fn into_result(mut self) -> anyhow::Result<()> {
        if self.list.is_empty() {
            return Ok(());
        }
        // Checks run column by column; the reader reads row by row.
        self.list.sort_by_key(|p| {
            p.strip_prefix("row ")
                .and_then(|r| r.split(',').next())
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
        });
        const SHOWN: usize = 20;
        let more = self.list.len().saturating_sub(SHOWN);
        // One line, as every error of a command.
        let mut text = format!(
            "{}: nothing stored, {} problem{}: {}",
            self.file,
            self.list.len(),
            if self.list.len() == 1 { "" } else { "s" },
            self.list[..self.list.len().min(SHOWN)].join("; ")
        );
        if more > 0 {
            text.push_str(&format!("; … and {more} more"));
        }
        bail!(text)
    }
}

/// Reads the rows of `reader`, refusing unknown columns (a misspelt one would be lost silently).
fn read_rows(kind: MemoryFile, reader: impl Read, shown: &str) -> anyhow::Result<Vec<Row>> {
    let mut csv =
        csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(crate::import::RecordGuard::new(
                reader,
                crate::import::MAX_RECORD_BYTES,
            ));
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| anyhow::anyhow!("{shown}: the header cannot be read: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect();
    let known = |header: &str| {
        kind.columns().iter().any(|c| match c.strip_suffix('*') {
            Some(prefix) => Language::ALL
                .iter()
                .any(|l| header == format!("{prefix}_{}", l.tag())),
            None => header == *c,
        })
    };
    if let Some((i, twice)) = headers
        .iter()
        .enumerate()
        .find(|(i, h)| headers[..*i].contains(h))
    {
        bail!(
            "{shown}: column {twice:?} is in the header twice (the second time as column {}); \
             one of them would be lost",
            i + 1
        );
    }
    if let Some(unknown) = headers.iter().find(|h| !known(h)) {
        let expected: Vec<String> = kind
            .columns()
            .iter()
            .map(|c| c.replace('*', "_ru|_kk|_uz|_en"))
            .collect();
        bail!(
            "{shown}: column {unknown:?} is not a column of {} files; they have {}",
            kind.name(),
            expected.join(", ")
        );
    }
    // The header is the first record the guard saw begin.
    csv.get_mut().next_record_line();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let read = csv.read_record(&mut record);
        // Rows are named by the line they begin on (a quoted value may hold several).
        let number = csv.get_mut().next_record_line().unwrap_or_default() as usize;
        if !read.map_err(|e| anyhow::anyhow!("{shown}: row {number}: {e}"))? {
            break;
        }
        let values = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push(Row { number, values });
    }
    csv.get_ref().refuse_unclosed(shown)?;
    if rows.is_empty() {
        bail!("{shown}: no rows below the header");
    }
    Ok(rows)
}

/// Checks that the row has what every row must have.
fn required(kind: MemoryFile, row: &Row, problems: &mut Problems) {
    for column in kind.required() {
        let present = match column.strip_suffix('*') {
            Some(prefix) => !row.texts(prefix).is_empty(),
            None => row.text(column).is_some(),
        };
        if !present {
            problems.add(row.number, &column.replace('*', "_LANG"), "is empty");
        }
    }
}

fn republic(row: &Row, problems: &mut Problems) -> Option<Republic> {
    let text = row.text("republic")?;
    let found = Republic::from_text(text);
    if found.is_none() {
        problems.add(
            row.number,
            "republic",
            format!(
                "{text:?} is not one of kazakhstan, uzbekistan, kyrgyzstan, tajikistan, \
                 turkmenistan"
            ),
        );
    }
    found
}

fn records(row: &Row, problems: &mut Problems) -> Vec<RecordRef> {
    row.list("records")
        .iter()
        .filter_map(|r| problems.check(row.number, "records", RecordRef::parse(r)))
        .collect()
}

fn date(row: &Row, column: &str, problems: &mut Problems) -> Option<PartialDate> {
    let text = row.text(column)?;
    problems.check(
        row.number,
        column,
        text.parse::<PartialDate>()
            .map_err(|e| format!("{text:?}: {e}")),
    )
}

/// Refuses two rows of one id: the second would silently replace the first.
fn unique(ids: &mut BTreeSet<String>, row: &Row, problems: &mut Problems) {
    if let Some(id) = row.text("id")
        && !ids.insert(id.to_owned())
    {
        problems.add(
            row.number,
            "id",
            format!("{id:?} is used by an earlier row"),
        );
    }
}

/// Checks that every record the rows name is stored (rows with other problems too, so that
/// one reading names them all).
async fn records_stored(
    store: &Store,
    rows: &[Row],
    problems: &mut Problems,
) -> anyhow::Result<()> {
    for row in rows {
        for r in row
            .list("records")
            .iter()
            .filter_map(|r| RecordRef::parse(r).ok())
        {
            if store
                .person_of_record(&r.source, &r.record_id)
                .await?
                .is_none()
            {
                problems.add(row.number, "records", format!("no record {r} is stored"));
            }
        }
    }
    Ok(())
}

/// Whether `end` is surely before `start`: compared at the coarser of their precisions, so that
/// an event from 12 July 1941 may end "July 1941".
fn ends_before(end: &PartialDate, start: &PartialDate) -> bool {
    let parts = |d: &PartialDate| {
        [
            Some(d.year()),
            d.month().map(i32::from),
            d.day().map(i32::from),
        ]
    };
    let (end, start) = (parts(end), parts(start));
    for (e, s) in end.iter().zip(&start) {
        match (e, s) {
            (Some(e), Some(s)) if e != s => return e < s,
            (Some(_), Some(_)) => {}
            _ => return false,
        }
    }
    false
}

fn parse_event(row: &Row, problems: &mut Problems) -> Option<Event> {
    let id = problems.check(row.number, "id", EventId::parse(row.text("id")?));
    let kind = row.text("kind").and_then(|k| {
        let kind = EventKind::parse(k);
        if kind.is_none() {
            let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            problems.add(
                row.number,
                "kind",
                format!("{k:?} is not one of {}", known.join(", ")),
            );
        }
        kind
    });
    let start = date(row, "start", problems);
    let end = date(row, "end", problems);
    if let (Some(start), Some(end)) = (&start, &end)
        && ends_before(end, start)
    {
        problems.add(
            row.number,
            "end",
            format!("{end} is before the start, {start}"),
        );
    }
    // Every column is checked before any missing one ends the row, so all problems are named.
    let republic = republic(row, problems);
    let records = records(row, problems);
    Some(Event {
        id: id?,
        kind: kind?,
        start: start?,
        end,
        place: row.text("place").map(str::to_owned),
        republic,
        title: row.texts("title"),
        description: row.texts("description"),
        units: row.list("units"),
        records,
        source: row.text("source")?.to_owned(),
    })
}

fn parse_memorial(row: &Row, problems: &mut Problems) -> Option<Memorial> {
    let id = problems.check(row.number, "id", MemorialId::parse(row.text("id")?));
    let kind = row.text("kind").and_then(|k| {
        let kind = MemorialKind::parse(k);
        if kind.is_none() {
            let known: Vec<&str> = MemorialKind::ALL.iter().map(|k| k.as_str()).collect();
            problems.add(
                row.number,
                "kind",
                format!("{k:?} is not one of {}", known.join(", ")),
            );
        }
        kind
    });
    let degree = |column: &str, limit: f64, problems: &mut Problems| -> Option<f64> {
        let text = row.text(column)?;
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v.abs() <= limit => Some(v),
            _ => {
                problems.add(
                    row.number,
                    column,
                    format!("{text:?} is not a number of degrees from -{limit} to {limit}"),
                );
                None
            }
        }
    };
    let latitude = degree("latitude", 90.0, problems);
    let longitude = degree("longitude", 180.0, problems);
    if latitude.is_some() != longitude.is_some() {
        problems.add(
            row.number,
            "latitude",
            "give both latitude and longitude, or neither",
        );
    }
    let image = row
        .text("image")
        .and_then(|i| problems.check(row.number, "image", ImageId::parse(i)));
    let republic = republic(row, problems);
    let records = records(row, problems);
    Some(Memorial {
        id: id?,
        kind: kind?,
        name: row.texts("name"),
        place: row.text("place").map(str::to_owned),
        republic,
        coordinates: latitude.zip(longitude),
        description: row.texts("description"),
        image,
        records,
        source: row.text("source")?.to_owned(),
    })
}

/// A whole number as figures are written: `45000`, `45,000`, `45 000` (separators only between
/// groups of three digits, so that `1,5` is not read as 15), at most what the store can hold.
fn whole_number(text: &str) -> Result<u64, String> {
    let wrong = || format!("{text:?} is not a whole number (write 45000, 45,000 or 45 000)");
    let groups: Vec<&str> = text.split([',', ' ', '\u{a0}', '\u{202f}']).collect();
    let well_grouped = groups.iter().enumerate().all(|(i, g)| {
        !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (i == 0 && g.len() <= 3 || i > 0 && g.len() == 3 || groups.len() == 1)
    });
    if !well_grouped {
        return Err(wrong());
    }
    let value: u64 = groups.concat().parse().map_err(|_| wrong())?;
    if i64::try_from(value).is_err() {
        return Err(format!(
            "{text:?} is larger than any figure the registry can hold"
        ));
    }
    Ok(value)
}

fn parse_figure(row: &Row, position: i64, problems: &mut Problems) -> Option<PublishedFigure> {
    let id = problems.check(row.number, "id", FigureId::parse(row.text("id")?));
    let value = row
        .text("value")
        .and_then(|v| problems.check(row.number, "value", whole_number(v)));
    let qualifier = row.text("qualifier").and_then(|q| {
        let parsed = Qualifier::parse(q);
        if parsed.is_none() {
            problems.add(
                row.number,
                "qualifier",
                format!("{q:?} is not exact, about or more_than"),
            );
        }
        parsed
    });
    let measure = row
        .text("measure")
        .and_then(|m| problems.check(row.number, "measure", Measure::parse(m)));
    Some(PublishedFigure {
        id: id?,
        label: row.texts("label"),
        value: value?,
        qualifier: qualifier?,
        measure,
        source: row.text("source")?.to_owned(),
        position,
    })
}

/// Reads, checks and stores the file; returns how many rows were stored.
pub async fn import_memory(
    store: &Store,
    kind: MemoryFile,
    reader: impl Read,
    shown: &str,
    actor: &str,
) -> anyhow::Result<usize> {
    let rows = read_rows(kind, reader, shown)?;
    let mut problems = Problems {
        file: shown.to_owned(),
        list: Vec::new(),
    };
    let mut ids = BTreeSet::new();
    for row in &rows {
        required(kind, row, &mut problems);
        unique(&mut ids, row, &mut problems);
    }
    match kind {
        MemoryFile::Events => {
            let parsed: Vec<(usize, Event)> = rows
                .iter()
                .filter_map(|row| parse_event(row, &mut problems).map(|x| (row.number, x)))
                .collect();
            records_stored(store, &rows, &mut problems).await?;
            problems.into_result()?;
            let events: Vec<Event> = parsed.into_iter().map(|(_, e)| e).collect();
            for event in &events {
                let before = store.event(&event.id).await?;
                store.save_event(event).await?;
                store
                    .audit(
                        actor,
                        "import event",
                        &format!("event {}", event.id),
                        before
                            .map(|b| serde_json::to_string(&b))
                            .transpose()?
                            .as_deref(),
                        Some(&serde_json::to_string(event)?),
                    )
                    .await?;
            }
            Ok(events.len())
        }
        MemoryFile::Memorials => {
            let parsed: Vec<(usize, Memorial)> = rows
                .iter()
                .filter_map(|row| parse_memorial(row, &mut problems).map(|x| (row.number, x)))
                .collect();
            records_stored(store, &rows, &mut problems).await?;
            for (row, memorial) in &parsed {
                if let Some(image) = &memorial.image {
                    let problem = match store.image(image).await? {
                        None => format!(
                            "no image {image} is stored; store the photo first with \
                             `yodnoma import image FILE --id {image} --alt-ru …`"
                        ),
                        Some(stored) if stored.alt.is_empty() => format!(
                            "image {image} has no alt text; describe it first by importing its \
                             file again with `yodnoma import image FILE --id {image} --alt-ru …`"
                        ),
                        Some(_) => continue,
                    };
                    problems.add(*row, "image", problem);
                }
            }
            problems.into_result()?;
            let memorials: Vec<Memorial> = parsed.into_iter().map(|(_, m)| m).collect();
            for memorial in &memorials {
                let before = store.memorial(&memorial.id).await?;
                store.save_memorial(memorial).await?;
                store
                    .audit(
                        actor,
                        "import place of memory",
                        &format!("memorial {}", memorial.id),
                        before
                            .map(|b| serde_json::to_string(&b))
                            .transpose()?
                            .as_deref(),
                        Some(&serde_json::to_string(memorial)?),
                    )
                    .await?;
            }
            Ok(memorials.len())
        }
        MemoryFile::Figures => {
            let figures: Vec<PublishedFigure> = rows
                .iter()
                .enumerate()
                .filter_map(|(i, row)| {
                    parse_figure(row, i64::try_from(i).unwrap_or(i64::MAX), &mut problems)
                })
                .collect();
            problems.into_result()?;
            let describe = |figures: &[PublishedFigure]| -> String {
                figures
                    .iter()
                    .map(|f| {
                        format!(
                            "{} = {} ({}, {})",
                            f.id,
                            f.value,
                            f.qualifier.as_str(),
                            f.measure
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let before = describe(&store.figures().await?);
            store.replace_figures(&figures).await?;
            store
                .audit(
                    actor,
                    "import published figures",
                    "published figures",
                    Some(&before),
                    Some(&describe(&figures)),
                )
                .await?;
            Ok(figures.len())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_with_separators_between_thousands_only() {
        for (text, value) in [
            ("45000", 45_000),
            ("45,000", 45_000),
            ("4 000 000", 4_000_000),
            ("7", 7),
        ] {
            assert_eq!(whole_number(text), Ok(value), "{text}");
        }
        for text in [
            "1,5",
            "45,00",
            ",000",
            "4 0000",
            "-3",
            "many",
            "10000000000000000000",
        ] {
            assert!(whole_number(text).is_err(), "{text}");
        }
    }

    #[test]
    fn an_end_is_before_the_start_only_when_surely_so() {
        let d = |t: &str| t.parse::<PartialDate>().unwrap();
        assert!(ends_before(&d("1941-06"), &d("1941-07-12")));
        assert!(ends_before(&d("1940"), &d("1941-07")));
        assert!(!ends_before(&d("1941-07"), &d("1941-07-12")));
        assert!(!ends_before(&d("1941"), &d("1941-07-12")));
        assert!(!ends_before(&d("1942-01-07"), &d("1941-10-02")));
    }
}
