//! The stored data carried away whole: `yodnoma export records [--source NAME]` and
//! `yodnoma export persons`, and the same as downloads from the site (`/export/records.csv`,
//! `/export/persons.jsonl`), streamed.
//!
//! Records are written as CSV in the import format, so exporting one source and importing the
//! file into an empty store gives the same records; without `--source` a `source` column comes
//! first. Persons are written as JSON Lines, each line what `GET /api/v1/persons/{id}` answers.
//! Both stream person by person: memory does not grow with the registry.

use std::collections::HashMap;
use std::io::Write;

use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use yodnoma_core::{Column, Exhibit, PersonId, SourceName};
use yodnoma_db::{PersonScope, RecordFields, Store};

use crate::{AppState, WebError};

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] yodnoma_db::DbError),
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("cannot write the export: {0}")]
    Csv(#[from] csv::Error),
    #[error("cannot write the export: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes the records (of one source, or all) to `out`; returns how many.
pub async fn export_records(
    store: &Store,
    source: Option<&SourceName>,
    out: &mut impl Write,
) -> Result<u64, ExportError> {
    // Extra columns differ between files: their union makes the header.
    let extra = store.extra_columns(source.map(SourceName::as_str)).await?;
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = Vec::new();
    if source.is_none() {
        header.push("source");
    }
    header.extend(Column::ALL.iter().map(|c| c.name()));
    // A file's own column may bear the name of one of ours (generated lists have a `source`,
    // the kind of document, beside the registry's source name): it is written as
    // `extra_NAME`, so that no two columns of the export share a name.
    let mut taken: std::collections::HashSet<String> = header
        .iter()
        .map(|name| (*name).to_owned())
        .chain(extra.iter().cloned())
        .collect();
    let extra_names: Vec<String> = extra
        .iter()
        .map(|name| {
            if !header.contains(&name.as_str()) {
                return name.clone();
            }
            let mut renamed = format!("extra_{name}");
            while taken.contains(&renamed) {
                renamed.insert_str(0, "extra_");
            }
            taken.insert(renamed.clone());
            renamed
        })
        .collect();
    header.extend(extra_names.iter().map(String::as_str));
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
            Ok::<(), ExportError>(())
        })
        .await?;
    writer.flush()?;
    Ok(written)
}

/// Writes every person as one JSON line; returns how many.
pub async fn export_persons(store: &Store, out: &mut impl Write) -> Result<u64, ExportError> {
    let mut exhibits: HashMap<PersonId, Vec<Exhibit>> = HashMap::new();
    for (person, exhibit) in store.depictions().await? {
        exhibits.entry(person).or_default().push(exhibit);
    }
    let persons = store
        .each_person(PersonScope::All, RecordFields::All, |person| {
            let shown = exhibits.get(&person.id).map_or(&[][..], Vec::as_slice);
            serde_json::to_writer(&mut *out, &crate::api::person_json(&person, shown))?;
            out.write_all(b"\n")?;
            Ok::<(), ExportError>(())
        })
        .await?;
    out.flush()?;
    Ok(persons)
}

/// A writer that hands the export to an HTTP response in chunks, waiting while the client is
/// slower than the store: at most `CHUNKS_IN_FLIGHT` chunks are held.
struct ChunkWriter {
    buffer: Vec<u8>,
    sender: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    started: std::time::Instant,
    sent: u64,
}

const CHUNK: usize = 64 * 1024;
const CHUNKS_IN_FLIGHT: usize = 8;
/// How long a download may wait for its client to read.
const STALLED: std::time::Duration = std::time::Duration::from_secs(60);
/// A download may read slower than this only in its first minutes: a client reading a chunk a
/// minute would otherwise hold a download's place (and a read of the store) for days.
const SLOWEST: u64 = 16 * 1024;
const GRACE: std::time::Duration = std::time::Duration::from_secs(300);

/// Whether a download that has sent `sent` bytes in `elapsed` reads too slowly to go on.
fn too_slow(sent: u64, elapsed: std::time::Duration) -> bool {
    elapsed > GRACE && u128::from(sent) < u128::from(SLOWEST) * elapsed.as_millis() / 1000
}

/// Downloads at once: each holds one of the store's connections while it runs.
const DOWNLOADS_AT_ONCE: usize = 2;

static DOWNLOADS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(DOWNLOADS_AT_ONCE);

fn busy() -> WebError {
    WebError::Unavailable("two downloads are running already; try again in a minute".to_owned())
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if too_slow(self.sent, self.started.elapsed()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client reads too slowly",
            ));
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sent += chunk.len() as u64;
        // The export runs on the server's multi-threaded runtime; waiting for room here moves
        // the other tasks of this thread elsewhere. A client that reads nothing for a minute is
        // given up, so that it cannot hold a database connection for ever.
        let sender = &self.sender;
        let sent = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current()
                .block_on(tokio::time::timeout(STALLED, sender.send(Ok(chunk))))
        });
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "client gone",
            )),
            Err(_) => Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }
}

/// A response streaming what `export` writes, holding a download permit until it ends.
fn stream<F, Fut>(
    permit: tokio::sync::SemaphorePermit<'static>,
    media_type: &'static str,
    file_name: &str,
    export: F,
) -> Response
where
    F: FnOnce(ChunkWriter) -> Fut,
    Fut: std::future::Future<Output = Result<u64, ExportError>> + Send + 'static,
{
    let (sender, mut receiver) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    let writer = ChunkWriter {
        buffer: Vec::with_capacity(CHUNK),
        sender: sender.clone(),
        started: std::time::Instant::now(),
        sent: 0,
    };
    let running = export(writer);
    tokio::spawn(async move {
        let _permit = permit;
        if let Err(e) = running.await {
            tracing::error!(cause = %e, "export failed");
            let _ = sender.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let body = Body::from_stream(futures_util::stream::poll_fn(move |cx| {
        receiver.poll_recv(cx)
    }));
    (
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /export/records.csv[?source=NAME]`
pub async fn download_records(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let params = crate::params::Params::parse(query.as_deref());
    let source = params
        .text("source")
        .map(|s| SourceName::parse(s).map_err(|e| WebError::BadRequest(format!("source: {e}"))))
        .transpose()?;
    let file_name = match &source {
        Some(s) => format!("{s}.csv"),
        None => "records.csv".to_owned(),
    };
    // As the command line does: a file of a header only would look like a source emptied.
    if let Some(s) = &source
        && !state
            .store
            .sources()
            .await?
            .iter()
            .any(|known| known == s.as_str())
    {
        return Err(WebError::NotFound(format!(
            "no records of source {s} are stored"
        )));
    }
    let permit = DOWNLOADS.try_acquire().map_err(|_| busy())?;
    Ok(stream(
        permit,
        "text/csv; charset=utf-8",
        &file_name,
        move |mut out| async move {
            // Spreadsheets read a CSV without a byte order mark in the computer's legacy code
            // page, and show Cyrillic as nonsense; yodnoma's own import skips the mark.
            out.write_all("\u{feff}".as_bytes())?;
            let written = export_records(&state.store, source.as_ref(), &mut out).await?;
            out.flush()?;
            Ok(written)
        },
    ))
}

/// `GET /export/persons.jsonl`
pub async fn download_persons(State(state): State<AppState>) -> Result<Response, WebError> {
    let permit = DOWNLOADS.try_acquire().map_err(|_| busy())?;
    Ok(stream(
        permit,
        "application/jsonl; charset=utf-8",
        "persons.jsonl",
        move |mut out| async move {
            let written = export_persons(&state.store, &mut out).await?;
            out.flush()?;
            Ok(written)
        },
    ))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_download_may_be_slow_only_at_first() {
        // In the first minutes anything goes: a client may pause.
        assert!(!too_slow(0, Duration::from_secs(299)));
        // Then it must have read 16 KB for every second so far.
        let after = Duration::from_secs(600);
        assert!(too_slow(600 * 16 * 1024 - 1, after));
        assert!(!too_slow(600 * 16 * 1024, after));
    }
}
