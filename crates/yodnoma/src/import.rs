//! `yodnoma import records`: a CSV file of source records into the store.
//!
//! Streaming: one thread reads and validates rows while the store writes the previous chunk,
//! so memory stays flat whatever the size of the file. Good rows are upserted in batched
//! transactions; bad rows are reported as `line N: column: problem` and written, with a
//! `reason` column, to `FILE.rejects.csv`. A file that cannot be read at all (missing, empty,
//! in another encoding than UTF-8, no header) is refused with one line before anything is
//! stored.

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yodnoma_core::{RecordSchema, SourceName, SourceRecord};
use yodnoma_db::Store;
use yodnoma_search::SearchIndex;

/// Rows per chunk handed from the reading thread to the store: one transaction each.
const CHUNK_ROWS: usize = 5_000;
/// Bytes of rows per chunk at most, whatever their number: rows of long fields fill a chunk
/// sooner, so that memory stays flat for them too.
const CHUNK_BYTES: usize = 32 << 20;
/// How many problems are printed on a terminal; the rest are only in the rejects file. Into a
/// file or a pipe, every problem is printed.
const PRINTED_PROBLEMS: u64 = 50;
/// The longest record read. A field is at most 16 KiB, so a record this long is a quote that
/// opened a field and never closed: without a limit it would swallow the rest of the file.
pub(crate) const MAX_RECORD_BYTES: u64 = 8 * 1024 * 1024;
/// How much of the file is checked for its encoding before anything is stored.
const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: u64,
    pub rejected: u64,
    pub rejects_file: Option<PathBuf>,
    /// Why the search index could not be brought up to date, if it could not: the records are
    /// stored all the same, and `yodnoma reindex` catches the index up.
    pub index_problem: Option<String>,
}

/// Where rejected rows go: a CSV file next to the input, created on the first reject, with the
/// `reason` first so that it stays in its column whatever the width of the row.
struct Rejects {
    path: Option<PathBuf>,
    header: csv::ByteRecord,
    writer: Option<csv::Writer<File>>,
    count: u64,
    /// The rejects file could not be written: every problem goes to stderr instead.
    unwritable: bool,
    /// Every problem is printed, not the first [`PRINTED_PROBLEMS`]: stderr is no terminal.
    print_all: bool,
    progress: ProgressBar,
}

impl Rejects {
    fn add(&mut self, line: u64, raw: &csv::ByteRecord, reason: &str) {
        self.count += 1;
        if self.count <= PRINTED_PROBLEMS || self.unwritable || self.print_all {
            let message = format!("line {line}: {}", printable(reason));
            self.progress.suspend(|| eprintln!("{message}"));
        }
        if let Err(e) = self.write(raw, reason) {
            // The rows are still reported on stderr; the import itself goes on.
            let path = self.path.take().unwrap_or_default();
            let message = format!(
                "cannot write {} ({e:#}); rejected rows are listed here instead",
                path.display()
            );
            self.progress.suspend(|| eprintln!("{message}"));
            self.unwritable = true;
            self.writer = None;
        }
    }

    fn write(&mut self, raw: &csv::ByteRecord, reason: &str) -> anyhow::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.writer.is_none() {
            let mut writer = csv::WriterBuilder::new().flexible(true).from_path(path)?;
            let mut header = csv::ByteRecord::from(vec!["reason"]);
            header.extend(self.header.iter());
            writer.write_byte_record(&header)?;
            self.writer = Some(writer);
        }
        if let Some(writer) = &mut self.writer {
            let mut row = csv::ByteRecord::from(vec![reason]);
            row.extend(raw.iter());
            writer.write_byte_record(&row)?;
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<Option<PathBuf>> {
        if self.count > PRINTED_PROBLEMS && !self.unwritable && !self.print_all {
            eprintln!("… and {} more problems", self.count - PRINTED_PROBLEMS);
        }
        match (self.writer.take(), self.path) {
            (Some(mut writer), Some(path)) => {
                writer.flush()?;
                eprintln!("rejected rows are in {}", path.display());
                Ok(Some(path))
            }
            (None, Some(path)) => {
                // A rejects file left by an earlier run of this file would now mislead. One that
                // cannot be removed is named; the records are stored all the same.
                match std::fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => eprintln!(
                        "warning: {} is from an earlier import and could not be removed ({e}): \
                         this import rejected no row",
                        path.display()
                    ),
                }
                Ok(None)
            }
            _ => Ok(None),
        }
    }
}

/// A problem as it may be printed: control characters from the file (a newline inside a quoted
/// value, a terminal escape sequence) are shown as `�`, so one problem stays one line.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// `data.csv` → `data.rejects.csv`.
pub fn rejects_path(file: &Path) -> PathBuf {
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// Imports a CSV file into `source`.
pub async fn import_file(
    store: &Store,
    file: &Path,
    source: &SourceName,
    index: Option<&SearchIndex>,
) -> anyhow::Result<ImportSummary> {
    let shown = file.display();
    let mut handle = File::open(file).with_context(|| format!("cannot read {shown}"))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = vec![0; SNIFF_BYTES];
    let read =
        read_up_to(&mut handle, &mut head).with_context(|| format!("cannot read {shown}"))?;
    head.truncate(read);
    check_encoding(&head, read < SNIFF_BYTES)
        .map_err(|problem| anyhow::anyhow!("{shown} {problem}"))?;
    let input = std::io::Cursor::new(head).chain(handle);
    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta} {msg}",
    ) {
        progress.set_style(style.progress_chars("=> "));
    }
    let file_name = file
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let summary = import_reader(
        Destination { store, index },
        input,
        &file_name,
        source,
        Some(rejects_path(file)),
        progress.clone(),
        "cli",
    )
    .await
    .map_err(|e| e.context(format!("{shown}")));
    progress.finish_and_clear();
    summary
}

/// Fills `buffer` as far as the reader allows; returns how much was read.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Refuses what is not a UTF-8 text with content, naming the encoding when it can guess it.
/// `complete` says whether `head` is the whole file (otherwise a character may be cut at its end).
fn check_encoding(head: &[u8], complete: bool) -> Result<(), String> {
    if head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]) {
        return Err(
            "is UTF-16, not UTF-8: save it as \"CSV UTF-8\" and import it again".to_owned(),
        );
    }
    if let Err(e) = std::str::from_utf8(head) {
        let cut_at_end = !complete && e.error_len().is_none();
        // A stray byte or two costs their rows, as further down the file; a file of another
        // encoding is refused whole, since every row with a letter outside ASCII would be.
        let cp1251 = looks_like_cp1251(head);
        if !cut_at_end && (cp1251 || invalid_sequences(head) >= 3) {
            let hint = if cp1251 {
                "; it looks like Windows-1251 (cp1251): convert it with \
                 `iconv -f cp1251 -t utf-8 FILE > FILE.utf8.csv`"
            } else {
                ""
            };
            let line = 1 + head[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            return Err(format!(
                "is not UTF-8 (line {line}, byte {} of the file, is not a UTF-8 character){hint}",
                e.valid_up_to() + 1
            ));
        }
    }
    let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err("is empty: expected a header row and records".to_owned());
    }
    Ok(())
}

/// How many bytes of `bytes` begin no UTF-8 character (one cut at the end counts not).
fn invalid_sequences(mut bytes: &[u8]) -> usize {
    let mut count = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        let Some(len) = e.error_len() else {
            break;
        };
        count += 1;
        bytes = &bytes[e.valid_up_to() + len..];
    }
    count
}

/// In Windows-1251 the Cyrillic letters are the bytes 0xC0–0xFF; in other single-byte
/// encodings met in these archives (Latin-1, KOI8-R) they are spread differently. Most high
/// bytes in that range, with few in 0x80–0xBF, is the sign of cp1251.
fn looks_like_cp1251(bytes: &[u8]) -> bool {
    let letters = bytes.iter().filter(|b| **b >= 0xc0).count();
    let other_high = bytes.iter().filter(|b| (0x80..0xc0).contains(*b)).count();
    letters >= 3 && letters > other_high * 4
}

/// Where an import writes: the store, and the search index kept current with it.
#[derive(Clone, Copy)]
pub struct Destination<'a> {
    pub store: &'a Store,
    /// `None` leaves the index to a later `yodnoma reindex` (the import benchmark).
    pub index: Option<&'a SearchIndex>,
}

/// Imports CSV read from `input`. Rejected rows go to `rejects_file` when given.
pub async fn import_reader<R: Read + Send + 'static>(
    into: Destination<'_>,
    input: R,
    file_name: &str,
    source: &SourceName,
    rejects_file: Option<PathBuf>,
    progress: ProgressBar,
    actor: &str,
) -> anyhow::Result<ImportSummary> {
    let Destination { store, index } = into;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(RecordGuard::new(CrlfToLf::new(input), MAX_RECORD_BYTES));
    let mut header = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut header)
        .context("cannot read the header")?
    {
        bail!("is empty: expected a header row and records");
    }
    // The header is the first record the guard saw begin.
    reader.get_mut().next_record_line();
    // A rejects file, corrected and imported: its `reason` column is this program's, not the
    // records'. Without it, the file is the rows of the original as they were.
    let strip_reason = file_name.ends_with(".rejects.csv")
        && header.get(0).is_some_and(|first| {
            String::from_utf8_lossy(first)
                .trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case("reason")
        });
    if strip_reason {
        header = header.iter().skip(1).collect();
    }
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    let known = names.iter().any(|n| {
        yodnoma_core::Column::from_name(
            n.trim_start_matches('\u{feff}')
                .trim()
                .to_lowercase()
                .as_str(),
        )
        .is_some()
    });
    if !known {
        bail!(
            "has no header row that names known columns: the first line must name the \
             columns, such as record_id,surname,given_name (it reads: {})",
            printable(&names.join(",").chars().take(80).collect::<String>())
        );
    }
    // The header's names are the file's text: shown on one line, whatever they hold.
    let schema = RecordSchema::from_header(names.iter().map(String::as_str))
        .map_err(|e| anyhow::anyhow!(printable(&e.to_string())))?;

    // Marked until its records are in the index: an import killed between (Ctrl-C while it
    // indexes) leaves the index to be rebuilt at the next start.
    let pending = index.map(SearchIndex::pending).transpose()?;
    // A record imported again keeps what it holds in the columns this file does not have.
    let batch = store
        .begin_import(source, file_name)
        .await?
        .giving(schema.names());
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<anyhow::Result<Staged>>(2);
    let reading_progress = progress.clone();
    let (staging_store, staging_batch) = (store.clone(), batch.clone());
    let record_id_at = schema.position(yodnoma_core::Column::RecordId).unwrap_or(0);
    let reading = std::thread::Builder::new()
        .name("import-read".to_owned())
        .spawn(move || {
            let mut chunk = Chunk::default();
            loop {
                // A fresh record each time: it moves into the chunk instead of being copied.
                let mut raw = csv::ByteRecord::new();
                match reader.read_byte_record(&mut raw) {
                    Ok(false) => break,
                    Ok(true) => {}
                    Err(_) if reader.get_ref().overlong().is_some() => {
                        // An unclosed quote, as at the end of the file below, but caught by the
                        // limit: the row is refused, the rows before it are kept, and the
                        // import ends there with its summary.
                        let from = reader.get_ref().overlong().unwrap_or(0);
                        let reason = format!(
                            "row: the record starting on line {from} is longer than {} MiB: a \
                             quote that opens a field there is probably never closed, and the \
                             rest of the file was not read; close the quote and import the rows \
                             from line {from} again",
                            MAX_RECORD_BYTES / (1024 * 1024)
                        );
                        chunk.rejected.push((from, csv::ByteRecord::new(), reason));
                        break;
                    }
                    Err(e) => {
                        // The rows before the unreadable part are good: keep them.
                        if chunk.rows() > 0 {
                            let rows = std::mem::take(&mut chunk);
                            let staged = rows.stage(&staging_store, &staging_batch, record_id_at);
                            let _ = sender.blocking_send(staged);
                        }
                        let error = anyhow::Error::new(e).context("cannot read");
                        let _ = sender.blocking_send(Err(error));
                        return;
                    }
                }
                let (line, byte) = raw.position().map_or((0, 0), |p| (p.line(), p.byte()));
                if strip_reason {
                    raw = raw.iter().skip(1).collect();
                }
                // The parser's line is where it began to look for the record, before any blank
                // lines it skipped; the guard saw where the record itself begins.
                let line = reader.get_mut().next_record_line().unwrap_or(line);
                if let Some(from) = reader.get_ref().unclosed() {
                    let reason = format!(
                        "row: a quote opens a field on line {from} and is never closed, so \
                         the rest of the file was read as that field; close the quote and \
                         import the rows from line {from} again"
                    );
                    chunk.rejected.push((line, raw, reason));
                    continue;
                }
                // Spreadsheets export the empty rows under a table as `,,,`: no record, as a
                // blank line is none.
                if raw.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                chunk.add(&schema, line, raw);
                if chunk.full() {
                    reading_progress.set_position(byte);
                    let full = std::mem::take(&mut chunk);
                    if sender
                        .blocking_send(full.stage(&staging_store, &staging_batch, record_id_at))
                        .is_err()
                    {
                        return;
                    }
                }
            }
            if chunk.rows() > 0 {
                let _ =
                    sender.blocking_send(chunk.stage(&staging_store, &staging_batch, record_id_at));
            }
        })?;

    let mut rejects = Rejects {
        path: rejects_file,
        header,
        writer: None,
        count: 0,
        unwritable: false,
        print_all: !std::io::stderr().is_terminal(),
        progress: progress.clone(),
    };
    let mut imported = 0u64;
    let mut failure = None;
    while let Some(chunk) = receiver.recv().await {
        let result = match chunk {
            Ok(chunk) => chunk.write(store, &mut rejects).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(stored) => imported += stored,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
        progress.set_message(format!("{imported} imported, {} rejected", rejects.count));
    }
    drop(receiver);
    if reading.join().is_err() && failure.is_none() {
        // The reading thread ended without reaching the end of the file: what was read is
        // stored, the rest is not, and the import must not look complete.
        failure = Some(anyhow::anyhow!("the reading thread failed"));
    }
    let rejected = rejects.count;
    // Whatever was stored is indexed first, even when the import stopped early or what follows
    // fails: those records stay. An index that cannot take them is marked to be rebuilt.
    let index_problem = match index {
        Some(index) if imported > 0 => {
            let problem = crate::indexing::index_batch(store, index, batch.id)
                .await
                .err()
                .map(|e| format!("{e:#}"));
            if problem.is_some() {
                let _ = index.mark_stale();
            }
            problem
        }
        _ => None,
    };
    if let Some(pending) = pending {
        pending.done();
    }
    let rejects_file = rejects.finish()?;
    store
        .finish_import(&batch, actor, imported, rejected)
        .await?;
    if let Some(e) = failure {
        let index = match &index_problem {
            Some(problem) => {
                format!("; the search index was not updated ({problem}): run `yodnoma reindex`")
            }
            None => String::new(),
        };
        return Err(e.context(format!(
            "stopped after {imported} imported and {rejected} rejected; those are kept{index}"
        )));
    }
    Ok(ImportSummary {
        imported,
        rejected,
        rejects_file,
        index_problem,
    })
}

/// Turns CRLF and lone CR line ends into LF before the CSV parser sees them. The parser counts
/// a line only at an LF: after the CR of a CRLF it starts the next record before reaching the
/// LF, which would number every row of a Windows file one line too low, and a file with CR line
/// ends (old Mac spreadsheets) would be all on line 1.
struct CrlfToLf<R> {
    inner: BufReader<R>,
    pending_cr: bool,
}

impl<R: Read> CrlfToLf<R> {
    fn new(inner: R) -> Self {
        Self {
            inner: BufReader::with_capacity(1 << 16, inner),
            pending_cr: false,
        }
    }
}

impl<R: Read> Read for CrlfToLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let mut written = 0;
        while written < out.len() {
            let available = self.inner.fill_buf()?;
            if self.pending_cr {
                // A CR that ended the previous buffer: dropped if an LF follows, kept otherwise.
                self.pending_cr = false;
                if available.first() != Some(&b'\n') {
                    out[written] = b'\n';
                    written += 1;
                    continue;
                }
            }
            if available.is_empty() {
                break;
            }
            let mut used = 0;
            while used < available.len() && written < out.len() {
                let byte = available[used];
                used += 1;
                if byte == b'\r' {
                    match available.get(used) {
                        Some(b'\n') => continue,
                        None => {
                            self.pending_cr = true;
                            continue;
                        }
                        Some(_) => {
                            out[written] = b'\n';
                            written += 1;
                            continue;
                        }
                    }
                }
                out[written] = byte;
                written += 1;
            }
            self.inner.consume(used);
        }
        Ok(written)
    }
}

/// Rows read and validated on the reading thread.
#[derive(Default)]
struct Chunk {
    records: Vec<(u64, SourceRecord)>,
    /// Line and raw fields of each good row, to report it if the store finds it a duplicate.
    good_rows: Vec<(u64, csv::ByteRecord)>,
    rejected: Vec<(u64, csv::ByteRecord, String)>,
    /// The bytes of the rows held.
    bytes: usize,
}

impl Chunk {
    fn rows(&self) -> usize {
        self.good_rows.len() + self.rejected.len()
    }

    /// Whether the chunk is to be written now: by its rows, or by its bytes when the rows are
    /// long (a few chunks are held at once, and each row's bytes twice).
    fn full(&self) -> bool {
        self.rows() >= CHUNK_ROWS || self.bytes >= CHUNK_BYTES
    }

    fn add(&mut self, schema: &RecordSchema, line: u64, raw: csv::ByteRecord) {
        self.bytes += raw.as_slice().len();
        match parse(schema, &raw) {
            Ok(record) => {
                self.records.push((line, record));
                self.good_rows.push((line, raw));
            }
            Err(reason) => self.rejected.push((line, raw, reason)),
        }
    }

    /// Prepares the chunk's statements, still on the reading thread.
    fn stage(
        self,
        store: &Store,
        batch: &yodnoma_db::ImportBatch,
        record_id_at: usize,
    ) -> anyhow::Result<Staged> {
        Ok(Staged {
            record_id_at,
            staged: store.stage_records(batch, self.records)?,
            good_rows: self.good_rows,
            rejected: self.rejected,
        })
    }
}

/// Where a [`RecordGuard`] is in the CSV syntax, following the CSV parser's own rules: a quote
/// opens a quoted field only at the start of a field, and `""` inside one is a quote.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Stops reading with an error naming the line when one record grows past a limit, so that an
/// unclosed quote costs a clear message instead of memory; and tells when the file ends inside
/// a quoted field ([`RecordGuard::unclosed`]), so that the rows swallowed are not lost unsaid.
pub(crate) struct RecordGuard<R> {
    inner: R,
    unclosed: Option<u64>,
    /// The line of the record that grew past the limit, once one did.
    overlong: Option<u64>,
    /// The lines on which records begin, read but not yet taken by the parser (it reads
    /// ahead by its buffer: a few thousand records at most).
    starts: std::collections::VecDeque<u64>,
    state: Quoting,
    record_bytes: u64,
    line: u64,
    record_line: u64,
    limit: u64,
}

impl<R: Read> RecordGuard<R> {
    pub(crate) fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            unclosed: None,
            overlong: None,
            starts: std::collections::VecDeque::new(),
            state: Quoting::FieldStart,
            record_bytes: 0,
            line: 1,
            record_line: 1,
            limit,
        }
    }
}

impl<R> RecordGuard<R> {
    /// The line on which the next record the parser gives begins. Blank lines begin none, as
    /// the parser skips them.
    pub(crate) fn next_record_line(&mut self) -> Option<u64> {
        self.starts.pop_front()
    }

    /// The line of the record whose quote the file ended in, once the end is read: that record
    /// holds the rest of the file as one field.
    pub(crate) fn unclosed(&self) -> Option<u64> {
        self.unclosed
    }

    /// The line of the record that grew past the limit, if one did: reading stopped there.
    pub(crate) fn overlong(&self) -> Option<u64> {
        self.overlong
    }

    /// The refusal of a file that ended inside a quoted field, if it did.
    pub(crate) fn refuse_unclosed(&self, file: &str) -> anyhow::Result<()> {
        match self.unclosed {
            Some(line) => anyhow::bail!(
                "{file} line {line}: a quote opens a field there and is never closed, so the \
                 rest of the file would be read as that field"
            ),
            None => Ok(()),
        }
    }
}

impl<R: Read> Read for RecordGuard<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        // The CSV parser closes a quoted field at the end of the file as if the quote had been
        // closed: every row after the quote becomes part of one field. The reader is told, so
        // that the record is refused for it.
        if n == 0 && !out.is_empty() && self.state == Quoting::Quoted {
            self.unclosed = Some(self.record_line);
        }
        for &byte in &out[..n] {
            if self.record_bytes == 0 {
                self.record_line = self.line;
                if byte != b'\n' {
                    self.starts.push_back(self.line);
                }
            }
            self.record_bytes += 1;
            if byte == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, byte) {
                (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
                (Quoting::Quoted, _) | (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
                (Quoting::FieldStart, b'"') => Quoting::Quoted,
                (_, b',') => Quoting::FieldStart,
                (_, b'\n') => {
                    self.record_bytes = 0;
                    Quoting::FieldStart
                }
                _ => Quoting::Unquoted,
            };
            if self.record_bytes > self.limit {
                self.overlong = Some(self.record_line);
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the record starting on line {} is longer than {} MiB: a quote that \
                         opens a field there is probably never closed",
                        self.record_line,
                        self.limit / (1024 * 1024)
                    ),
                ));
            }
        }
        Ok(n)
    }
}

fn parse(schema: &RecordSchema, raw: &csv::ByteRecord) -> Result<SourceRecord, String> {
    let mut fields = Vec::with_capacity(raw.len());
    for (index, field) in raw.iter().enumerate() {
        let text = std::str::from_utf8(field).map_err(|_| match schema.name_at(index) {
            Some(name) => format!("{}: is not valid UTF-8 text", printable(name)),
            None => format!("row: field {} is not valid UTF-8 text", index + 1),
        })?;
        fields.push(text);
    }
    schema.parse_row(fields.into_iter()).map_err(|problems| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// A chunk ready to be written.
struct Staged {
    staged: yodnoma_db::StagedRecords,
    /// The position of record_id in a row.
    record_id_at: usize,
    good_rows: Vec<(u64, csv::ByteRecord)>,
    rejected: Vec<(u64, csv::ByteRecord, String)>,
}

impl Staged {
    /// Writes the chunk; returns how many records were stored.
    async fn write(self, store: &Store, rejects: &mut Rejects) -> anyhow::Result<u64> {
        let outcome = match store.write_staged(self.staged).await {
            Ok(outcome) => outcome,
            Err(e) => {
                // Nothing of this chunk is stored; its rejects are still reported.
                for (line, raw, reason) in &self.rejected {
                    rejects.add(*line, raw, reason);
                }
                return Err(e.into());
            }
        };
        let mut bad = self.rejected;
        for index in outcome.duplicates {
            let (line, raw) = &self.good_rows[index];
            let record_id = String::from_utf8_lossy(raw.get(self.record_id_at).unwrap_or_default());
            let reason = format!(
                "record_id: '{record_id}' already appeared earlier in this file; the first row is kept"
            );
            bad.push((*line, raw.clone(), reason));
        }
        bad.sort_by_key(|(line, _, _)| *line);
        for (line, raw, reason) in &bad {
            rejects.add(*line, raw, reason);
        }
        Ok(outcome.stored as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_encodings() {
        assert!(check_encoding("record_id,surname\n1,Уразов\n".as_bytes(), true).is_ok());
        // "Уразов" in Windows-1251.
        let cp1251 = b"record_id,surname\n1,\xd3\xf0\xe0\xe7\xee\xe2\n";
        let message = check_encoding(cp1251, true).err().unwrap_or_default();
        assert!(message.contains("cp1251"), "{message}");
        assert!(
            check_encoding(b"\xff\xfer\x00", true)
                .err()
                .unwrap_or_default()
                .contains("UTF-16")
        );
        assert!(
            check_encoding(b"\xef\xbb\xbf \n", true)
                .err()
                .unwrap_or_default()
                .contains("empty")
        );
        // One stray byte costs its row only, as it would further down the file.
        let stray = b"record_id,surname\n1,\x80\n2,\xd0\xa3\xd1\x80\n";
        assert!(check_encoding(stray, true).is_ok());
        // Many are another encoding (Latin-1 here), refused naming where the first is.
        let latin1 = b"record_id,surname\n1,Ren\xe9\n2,Mu\xf1oz\n3,G\xf6tz\n";
        let message = check_encoding(latin1, true).err().unwrap_or_default();
        assert!(message.contains("line 2, byte 24"), "{message}");
        // A character cut at the end of the sniffed part is not an error.
        assert!(check_encoding(&"record_id,ж".as_bytes()[..12], false).is_ok());
    }

    #[test]
    fn crlf_becomes_lf_across_buffer_boundaries() {
        for size in [1, 2, 3, 7, 64] {
            let input = b"a\r\nb\rc\r\n\r".to_vec();
            let mut reader = CrlfToLf {
                inner: BufReader::with_capacity(size, std::io::Cursor::new(input)),
                pending_cr: false,
            };
            let mut out = Vec::new();
            let mut buffer = [0u8; 3];
            loop {
                let n = reader.read(&mut buffer).unwrap_or(0);
                if n == 0 {
                    break;
                }
                out.extend_from_slice(&buffer[..n]);
            }
            assert_eq!(out, b"a\nb\nc\n\n", "buffer of {size}");
        }
    }

    #[test]
    fn an_unclosed_quote_is_stopped_at_its_line() {
        let mut text = String::from("a,b\n1,\"x\"\"y\",2\n3,\"open\n");
        text.push_str(&"z,".repeat(100));
        let mut guard = RecordGuard::new(std::io::Cursor::new(text), 64);
        let mut sink = Vec::new();
        let error = guard
            .read_to_end(&mut sink)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("starting on line 3"), "{error}");
        // A quote still open at the end of the file is told, with the line it opened on.
        let mut open = RecordGuard::new(std::io::Cursor::new("a,b\n1,\"open\n2,x\n3,y\n"), 64);
        assert!(open.read_to_end(&mut sink).is_ok());
        assert_eq!(open.unclosed(), Some(2));
        let mut closed = RecordGuard::new(std::io::Cursor::new("a,b\n1,\"x\n\"\n"), 64);
        assert!(closed.read_to_end(&mut sink).is_ok());
        assert_eq!(closed.unclosed(), None);
        // Quotes inside an unquoted field are literal, as the CSV parser reads them.
        let mut fine = RecordGuard::new(std::io::Cursor::new("a\"b,c\n".repeat(50)), 64);
        assert!(fine.read_to_end(&mut sink).is_ok());
    }

    #[test]
    fn names_the_rejects_file_after_the_input() {
        assert_eq!(
            rejects_path(Path::new("/tmp/a/draft.csv")),
            PathBuf::from("/tmp/a/draft.rejects.csv")
        );
    }
}
