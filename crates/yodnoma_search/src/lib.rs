//! The name index: finds persons by any spelling of their name, in any script.
//!
//! The index is derived from the store and can always be rebuilt from it (`yodnoma reindex`).
//! It holds one document per person, with the keys of every name the person's records give
//! (see [`yodnoma_names`]), the facts search filters on, and what a result line shows, so that
//! a search needs no database lookup.
//!
//! A search runs in stages ([`query`]): words are looked up by their folded form, Latin key
//! and phonetic key at once, with fuzzy matching added when that finds too little and one
//! word allowed to miss when nothing is found; the candidates are then ranked by how well the
//! whole name matches ([`yodnoma_names::match_name`]), which also explains each match.

pub mod baseline;
mod document;
mod query;
mod stats;
mod tally;

use std::path::Path;

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use query::{Facet, Facets, SearchHit, SearchRequest, SearchResults, Stage};
pub use stats::{
    CrossRow, CrossTab, MonthCount, Overview, Stats, StatsField, StatsFilters, Timeline, WAR_MONTHS,
};

/// Everything that can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    #[error("the search index is in use by another process (it is being rebuilt or updated)")]
    Busy,
    #[error("the two fields crossed make too many groups to count at once")]
    TooManyGroups,
}

impl SearchError {
    /// Whether a count was refused for asking more groups than one answer may hold (two
    /// fields of many values crossed): the asker's to change, not a fault of the index.
    pub fn is_too_many_groups(&self) -> bool {
        matches!(self, Self::TooManyGroups)
    }
}

pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// The tokenizer of the key fields: the keys are computed by [`yodnoma_names`] and joined with
/// spaces, so splitting on white space is all that is left to do.
const KEYS_TOKENIZER: &str = "name_keys";
const PROMINENCE: &str = "prominence";

/// The fields of a person document.
#[derive(Debug, Clone, Copy)]
struct Fields {
    person: Field,
    exact: Field,
    latin: Field,
    phonetic: Field,
    /// The first letter of every word of every name, whether the record writes the word out
    /// or gives only its initial.
    initials: Field,
    /// The initials a record gives instead of a name.
    abbreviated: Field,
    /// The phonetic keys of surnames and given names, not of patronymics: a query's word found
    /// here is in the role the query most likely means, "Абдулла Ахмедов" a man named Абдулла
    /// before the sons of an Абдулла.
    principal: Field,
    display: Field,
    names: Field,
    records: Field,
    birth_year: Field,
    /// The decades of the birth years, each once: a person born 1912 in one record and 1915 in
    /// another is one person of the 1910s.
    birth_decade: Field,
    region: Field,
    /// Districts as the records write them (their `district` column).
    district: Field,
    fate: Field,
    award: Field,
    /// Keys of `yodnoma_core::Republic`, from the records' country (else region).
    republic: Field,
    /// Keys of `yodnoma_core::nationality_key`.
    nationality: Field,
    death_year: Field,
    /// Months of death and of awards as `year * 12 + month - 1`, where the record gives the month.
    death_month: Field,
    /// `Category::as_str` of the records: served, home_front, evacuee, …
    category: Field,
    award_month: Field,
    /// How much the records document about the person; see `document::prominence`.
    prominence: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    // Keys are matched whole and scored by the query, so neither term frequencies, positions
    // nor field norms are kept: they would only make the index larger.
    let keys = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(KEYS_TOKENIZER)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        person: builder.add_text_field("person", STRING | STORED),
        exact: builder.add_text_field("exact", keys.clone()),
        latin: builder.add_text_field("latin", keys.clone()),
        phonetic: builder.add_text_field("phonetic", keys.clone()),
        initials: builder.add_text_field("initials", keys.clone()),
        abbreviated: builder.add_text_field("abbreviated", keys.clone()),
        principal: builder.add_text_field("principal", keys),
        display: builder.add_text_field("display", STORED),
        names: builder.add_text_field("names", STORED),
        records: builder.add_text_field("records", STORED),
        birth_year: builder.add_u64_field("birth_year", INDEXED | FAST | STORED),
        birth_decade: builder.add_u64_field("birth_decade", FAST),
        region: builder.add_text_field("region", STRING | FAST | STORED),
        district: builder.add_text_field("district", STRING | FAST),
        fate: builder.add_text_field("fate", STRING | FAST),
        award: builder.add_text_field("award", STRING | FAST),
        republic: builder.add_text_field("republic", STRING | FAST),
        nationality: builder.add_text_field("nationality", STRING | FAST),
        death_year: builder.add_u64_field("death_year", INDEXED | FAST),
        death_month: builder.add_u64_field("death_month", FAST),
        category: builder.add_text_field("category", STRING | FAST),
        award_month: builder.add_u64_field("award_month", FAST),
        prominence: builder.add_u64_field(PROMINENCE, FAST),
    };
    (builder.build(), fields)
}

/// The name index of one data directory.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    stats: std::sync::Arc<stats::Counting>,
    /// The directory, where [`SearchIndex::mark_stale`] leaves its mark.
    dir: std::path::PathBuf,
}

/// The file whose presence says that the store changed in ways the index missed.
const STALE_MARK: &str = "STALE";

/// The mark while a rebuild that began after it runs: gone only once the rebuild is committed,
/// so that a rebuild killed half-way leaves the index marked.
const REBUILDING_MARK: &str = "STALE.rebuilding";

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating an empty one on first use. An index written with
    /// another schema or version, or damaged, is removed and recreated empty: it is derived
    /// data, and [`SearchIndex::is_current`] tells the caller to rebuild it.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = match open_or_create(dir, schema.clone()) {
            // Derived data: an index of another schema, another version of tantivy, or damaged
            // is recreated empty, and rebuilt from the store.
            Err(
                e @ (tantivy::TantivyError::SchemaError(_)
                | tantivy::TantivyError::IncompatibleIndex(_)
                | tantivy::TantivyError::DataCorruption(_)),
            ) => {
                tracing::warn!(dir = %dir.display(), "the search index cannot be used ({e}); it is recreated");
                std::fs::remove_dir_all(dir)?;
                std::fs::create_dir_all(dir)?;
                open_or_create(dir, schema)?
            }
            other => other?,
        };
        index.tokenizers().register(
            KEYS_TOKENIZER,
            TextAnalyzer::from(WhitespaceTokenizer::default()),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            stats: std::sync::Arc::new(stats::Counting::new()?),
            dir: dir.to_owned(),
        })
    }

    /// Which state of the index searches see now; it changes with every commit they see.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// How many persons the index holds.
    pub fn person_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds as many persons as the store, and no change was missed (see
    /// [`SearchIndex::mark_stale`]): after an interrupted import or an upgrade it does not,
    /// and must be rebuilt.
    pub fn is_current(&self, persons_in_store: u64) -> bool {
        self.person_count() == persons_in_store && !self.is_stale()
    }

    /// Records that a change of the store could not be put into the index (it was busy, or
    /// failed): the next start, or `yodnoma reindex`, rebuilds it.
    pub fn mark_stale(&self) -> Result<()> {
        std::fs::write(self.dir.join(STALE_MARK), b"")?;
        Ok(())
    }

    /// Whether [`SearchIndex::mark_stale`] marked the index (and no rebuild has been committed
    /// since), or a change begun with [`SearchIndex::pending`] has not reached it.
    pub fn is_stale(&self) -> bool {
        self.marks().is_ok_and(|marks| !marks.is_empty())
    }

    /// The marks in the index directory: `STALE`, `STALE.rebuilding` and `STALE.pending-…`.
    fn marks(&self) -> Result<Vec<std::path::PathBuf>> {
        let mut marks = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            if entry.file_name().to_string_lossy().starts_with(STALE_MARK) {
                marks.push(entry.path());
            }
        }
        Ok(marks)
    }

    /// Marks a change of the store about to be made, until [`Pending::done`] once it is in the
    /// index: a process killed in between (an import stopped with Ctrl-C while indexing) leaves
    /// the index marked, for the next start to rebuild.
    pub fn pending(&self) -> Result<Pending> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let path = self.dir.join(format!(
            "{STALE_MARK}.pending-{nanos}-{}",
            std::process::id()
        ));
        std::fs::write(&path, b"")?;
        Ok(Pending { path })
    }

    /// A rebuild takes over the marks as it takes the writer: a change marked from now on
    /// marks the index again, and the marks taken over stay, as one, until
    /// [`SearchIndex::clear_stale`].
    pub fn begin_rebuild(&self) -> Result<()> {
        let marks: Vec<_> = self
            .marks()?
            .into_iter()
            .filter(|m| !m.ends_with(REBUILDING_MARK))
            .collect();
        if marks.is_empty() {
            return Ok(());
        }
        std::fs::write(self.dir.join(REBUILDING_MARK), b"")?;
        for mark in marks {
            match std::fs::remove_file(mark) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
                _ => {}
            }
        }
        Ok(())
    }

    /// Forgets the mark a rebuild took over: the index was rebuilt from the store and committed.
    pub fn clear_stale(&self) -> Result<()> {
        match std::fs::remove_file(self.dir.join(REBUILDING_MARK)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Bytes the index takes on disk.
    pub fn size_on_disk(&self) -> Result<u64> {
        let searcher = self.reader.searcher();
        let usage = searcher.space_usage()?;
        Ok(usage.total().get_bytes())
    }

    /// [`SearchIndex::writer`], waiting up to five seconds while another writer holds the
    /// index (a curator's change being written, a short import).
    pub fn writer_patiently(&self) -> Result<Indexer> {
        let mut tries = 0;
        loop {
            match self.writer() {
                Err(SearchError::Busy) if tries < 20 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(250));
                }
                other => return other,
            }
        }
    }

    /// A writer for adding and replacing persons. Only one process may write at a time.
    pub fn writer(&self) -> Result<Indexer> {
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let writer = self
            .index
            .writer_with_num_threads(threads, 96 * 1024 * 1024 * threads)
            .map_err(|e| match e {
                // Held by another writer; any other failure to lock (a read-only directory) is
                // said as it is.
                tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::LockBusy,
                    _,
                ) => SearchError::Busy,
                e => SearchError::Index(e),
            })?;
        Ok(Indexer {
            writer,
            fields: self.fields,
            reader: self.reader.clone(),
            added: 0,
        })
    }
}

fn open_or_create(dir: &Path, schema: Schema) -> tantivy::Result<Index> {
    let directory = tantivy::directory::MmapDirectory::open(dir)?;
    Index::open_or_create(directory, schema)
}

/// A change of the store on its way to the index: see [`SearchIndex::pending`].
#[derive(Debug)]
pub struct Pending {
    path: std::path::PathBuf,
}

impl Pending {
    /// The change is in the index (or the index was marked stale for it): the mark goes.
    pub fn done(self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Adds persons to the index; nothing is visible to searches before [`Indexer::commit`].
pub struct Indexer {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
    reader: IndexReader,
    added: u64,
}

impl Indexer {
    /// Adds `person`, replacing what the index held for it.
    pub fn put(&mut self, person: &yodnoma_core::Person) -> Result<()> {
        let id = person.id.to_string();
        self.writer
            .delete_term(Term::from_field_text(self.fields.person, &id));
        let doc = document::person_document(&self.fields, &id, person);
        self.writer.add_document(doc)?;
        self.added += 1;
        Ok(())
    }

    /// Removes a person no record belongs to any more (merged into another).
    pub fn remove(&mut self, id: &yodnoma_core::PersonId) {
        self.writer
            .delete_term(Term::from_field_text(self.fields.person, id.as_str()));
    }

    /// Removes every person, for a rebuild; the old contents stay searchable until the commit.
    pub fn clear(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Persons added since the writer was opened.
    pub fn added(&self) -> u64 {
        self.added
    }

    /// Makes the changes visible and durable.
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Commits and waits for the background merges, so that the index is compact when the
    /// process exits.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(())
    }
}
