//! Command-line arguments and the dispatch to each command.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use yodnoma_core::SourceName;

use crate::data_dir::DataDir;
use crate::import_memory::{MemoryFile, import_memory};

#[derive(Debug, Parser)]
#[command(
    name = "yodnoma",
    version,
    about = "A book of remembrance: registry, record linkage and virtual exhibitions for the people of Central Asia in the Second World War"
)]
pub struct Cli {
    /// Where the database, media and index live [default: $YODNOMA_DATA_DIR, else ./yodnoma-data]
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web site, the JSON API and media.
    Serve {
        /// Address to listen on: HOST:PORT, the host a name (`localhost`) or an address.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load the bundled demo ("Faces of Victory" and its heroes) when the store is empty.
        #[arg(long)]
        demo: bool,
        /// Let visitors make contributor accounts themselves at /signup (to share their
        /// families' stories, under moderation).
        #[arg(long, env = "YODNOMA_OPEN_SIGN_UP")]
        open_sign_up: bool,
        /// The address harvesters write to about the repository (OAI-PMH `adminEmail`).
        #[arg(long, env = "YODNOMA_ADMIN_EMAIL")]
        admin_email: Option<String>,
    },
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Write the stored data to the standard output.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Manage the accounts of staff (admins, curators, moderators) and contributors.
    #[command(subcommand)]
    User(UserCommand),
    /// Rebuild the search index from the database.
    Reindex,
    /// Rebuild every image's IIIF tiles from its original.
    Retile,
    /// Write the database and every original image, with a manifest of checksums, to one tar
    /// FILE; safe while the server runs.
    Backup { file: PathBuf },
    /// Restore a backup FILE into an empty data directory, checking every file first; tiles
    /// and the search index are rebuilt.
    Restore { file: PathBuf },
    /// Generate synthetic data for tests and benchmarks.
    #[command(subcommand)]
    Gen(GenCommand),
    /// Group the stored source records into persons (record linkage). After the first run
    /// only records stored since the last run are compared; curators' decisions always win.
    Link {
        /// Compare every record again, not only the new ones.
        #[arg(long)]
        full: bool,
    },
    /// Link two lists, or deduplicate one, read from CSV; writes
    /// `left_id,right_id,probability,decision,explanation`.
    LinkCsv {
        left: PathBuf,
        right: Option<PathBuf>,
        /// The column holding each record's id.
        #[arg(long)]
        id: String,
        /// The columns to compare, comma-separated, each optionally with its kind
        /// (name, date, place, code, text, category): `surname:name,born:date`. Default: every column the
        /// lists share but the id, kinds inferred from the column names and values.
        #[arg(long, value_delimiter = ',')]
        fields: Option<Vec<String>>,
        /// Write the pairs to FILE instead of the standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Source records as CSV in the import format (with a `source` column first, unless
    /// `--source` picks one source).
    Records {
        #[arg(long)]
        source: Option<String>,
    },
    /// Persons as JSON Lines: names, facts, source records, awards, exhibits.
    Persons,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. The password is asked twice on a terminal, else read as the first
    /// line of the standard input.
    Add {
        /// admin, curator, moderator or contributor.
        #[arg(long)]
        role: String,
        email: String,
    },
    /// Set a new password for an account and sign it out everywhere. The password is read as
    /// for `user add`.
    ResetPassword { email: String },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import source records from a CSV file (see the README for the columns).
    Records {
        file: PathBuf,
        /// The source the records come from, e.g. `draft-list-karaganda-1941`.
        #[arg(long)]
        source: String,
    },
    /// Import an exhibition from a TOML file with its images beside it (see the curator's
    /// guide). Importing the same file again updates the exhibition; a published one is refused
    /// while any image lacks alt text in one of its languages.
    Exhibition { file: PathBuf },
    /// Import events of the war (battles, operations, formations, home-front events, deeds)
    /// from a CSV file; a row of an id already stored replaces it. See the curator's guide.
    Events { file: PathBuf },
    /// Import places of memory (memorials, monuments, museums, burial places) from a CSV file;
    /// a row of an id already stored replaces it. See the curator's guide.
    Memorials { file: PathBuf },
    /// Import the published figures the statistics page sets beside the registry's counts,
    /// from a CSV file that replaces the whole list. See the curator's guide.
    Figures { file: PathBuf },
    /// Import an image (JPEG, PNG, TIFF, WebP) and serve it over IIIF; prints its id.
    Image {
        file: PathBuf,
        /// The image's id (letters, digits, `.`, `_`, `-`); default: a new one.
        #[arg(long)]
        id: Option<String>,
        /// What the image shows, in Russian. Without any --alt-*, the image is stored but
        /// shown on no page until described by importing the same file again with them.
        #[arg(long, value_name = "TEXT")]
        alt_ru: Option<String>,
        /// What the image shows, in Kazakh.
        #[arg(long, value_name = "TEXT")]
        alt_kk: Option<String>,
        /// What the image shows, in Uzbek.
        #[arg(long, value_name = "TEXT")]
        alt_uz: Option<String>,
        /// What the image shows, in English.
        #[arg(long, value_name = "TEXT")]
        alt_en: Option<String>,
        /// The rights statement: a Creative Commons or RightsStatements.org URI.
        #[arg(long, value_name = "URI")]
        rights: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum GenCommand {
    /// Write synthetic source records as CSV to stdout.
    Records {
        #[arg(long)]
        count: u64,
        #[arg(long, default_value_t = 1941)]
        seed: u64,
    },
}

impl Cli {
    /// `--data-dir`, else `$YODNOMA_DATA_DIR` unless it is empty (as an unset variable often is
    /// in service files), else `./yodnoma-data`.
    pub fn data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| {
                std::env::var_os("YODNOMA_DATA_DIR")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("yodnoma-data"))
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let data_dir = cli.data_dir();
    match cli.command {
        Command::Serve {
            listen,
            demo,
            open_sign_up,
            admin_email,
        } => {
            let options = crate::serve::Options {
                listen,
                demo,
                open_sign_up,
                admin_email,
            };
            crate::serve::run(&DataDir::create(&data_dir)?, options).await
        }
        Command::Import(ImportCommand::Records { file, source }) => {
            let source = SourceName::parse(&source).context("--source")?;
            if source.as_str() == SourceName::FAMILIES {
                anyhow::bail!(
                    "--source {}: the name is kept for the records of families' approved \
                     proposals; choose another",
                    SourceName::FAMILIES
                );
            }
            // A file that cannot be opened is refused before the data directory is touched.
            std::fs::File::open(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let index = data.open_index()?;
            let summary = crate::import::import_file(&store, &file, &source, Some(&index)).await;
            store.close().await;
            let summary = summary?;
            if let Some(problem) = &summary.index_problem {
                eprintln!(
                    "warning: the records are stored but the search index was not updated \
                     ({problem}); run `yodnoma reindex`"
                );
            }
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "imported {}, rejected {}",
                summary.imported, summary.rejected
            )?;
            Ok(())
        }
        Command::Export(command) => {
            let source = match &command {
                ExportCommand::Records { source: Some(s) } => {
                    Some(SourceName::parse(s).context("--source")?)
                }
                _ => None,
            };
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written = match command {
                ExportCommand::Records { .. } => {
                    yodnoma_web::export::export_records(&store, source.as_ref(), &mut out)
                        .await
                        .map_err(anyhow::Error::from)
                }
                ExportCommand::Persons => yodnoma_web::export::export_persons(&store, &mut out)
                    .await
                    .map_err(anyhow::Error::from),
            };
            store.close().await;
            let written = written?;
            if source.is_some() && written == 0 {
                anyhow::bail!(
                    "no records of source {} are stored",
                    source.map(|s| s.to_string()).unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::User(command) => crate::user::run(&DataDir::create(&data_dir)?, command).await,
        Command::Import(ImportCommand::Exhibition { file }) => {
            // A file that cannot be read is refused before the data directory is touched.
            std::fs::File::open(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let imported =
                crate::import_exhibition::import_exhibition(&store, &data.media(), &file).await;
            store.close().await;
            let imported = imported?;
            writeln!(
                std::io::stdout().lock(),
                "exhibition {} ({}): {} exhibits, {} new images",
                imported.id,
                imported.status.as_str(),
                imported.exhibits,
                imported.images_stored
            )?;
            Ok(())
        }
        Command::Import(ImportCommand::Events { file }) => {
            import_memory_file(&data_dir, MemoryFile::Events, &file).await
        }
        Command::Import(ImportCommand::Memorials { file }) => {
            import_memory_file(&data_dir, MemoryFile::Memorials, &file).await
        }
        Command::Import(ImportCommand::Figures { file }) => {
            import_memory_file(&data_dir, MemoryFile::Figures, &file).await
        }
        Command::Import(ImportCommand::Image {
            file,
            id,
            alt_ru,
            alt_kk,
            alt_uz,
            alt_en,
            rights,
        }) => {
            let alt: Vec<(yodnoma_core::Language, String)> = [
                (yodnoma_core::Language::Ru, alt_ru),
                (yodnoma_core::Language::Kk, alt_kk),
                (yodnoma_core::Language::Uz, alt_uz),
                (yodnoma_core::Language::En, alt_en),
            ]
            .into_iter()
            .filter_map(|(lang, text)| Some((lang, text?)))
            .collect();
            // A file that cannot be read is refused before the data directory is touched.
            std::fs::File::open(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let imported = crate::import_image::import_image(
                &store,
                &data.media(),
                crate::import_image::ImageImport {
                    file: &file,
                    id: id.as_deref(),
                    alt,
                    rights,
                },
            )
            .await;
            store.close().await;
            let imported = imported?;
            if !imported.described {
                writeln!(
                    std::io::stderr().lock(),
                    "warning: image {id} has no alt text, so no page shows it yet: import the same \
                     file again with `--id {id} --alt-ru …` (or --alt-kk, --alt-uz, --alt-en) to \
                     say what it shows",
                    id = imported.id
                )?;
            }
            writeln!(std::io::stdout().lock(), "{}", imported.id)?;
            Ok(())
        }
        Command::Retile => {
            let data = DataDir::create(&data_dir)?;
            let started = std::time::Instant::now();
            let images = retile(&data).await?;
            writeln!(
                std::io::stdout().lock(),
                "retiled {images} images in {:.1} s",
                started.elapsed().as_secs_f64()
            )?;
            Ok(())
        }
        Command::Backup { file } => {
            let data = DataDir::existing(&data_dir)?;
            let summary = crate::backup::backup(&data, &file).await?;
            writeln!(
                std::io::stdout().lock(),
                "backed up the database and {} images ({} bytes) to {}",
                summary.images,
                summary.bytes,
                file.display()
            )?;
            Ok(())
        }
        Command::Restore { file } => {
            let summary = crate::backup::restore(&data_dir, &file)?;
            writeln!(
                std::io::stdout().lock(),
                "restored the database and {} images ({} bytes) into {}",
                summary.images,
                summary.bytes,
                data_dir.display()
            )?;
            // The derived data, rebuilt from what was restored. Should that fail, the restore
            // itself stands: the commands that rebuild are named.
            let data = DataDir::create(&data_dir)?;
            retile(&data).await.context(
                "the restore is complete, but the images' tiles could not be rebuilt; run \
                 `yodnoma retile` to try again",
            )?;
            let store = data.open_store().await?;
            let index = data.open_index()?;
            let indexed = crate::indexing::rebuild(&store, &index).await;
            store.close().await;
            indexed.context(
                "the restore is complete, but the search index could not be rebuilt; run \
                 `yodnoma reindex` to try again",
            )?;
            Ok(())
        }
        Command::Reindex => {
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let index = data.open_index()?;
            let indexed = crate::indexing::rebuild(&store, &index).await;
            store.close().await;
            let indexed = indexed?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "indexed {} persons in {:.1} s ({:.0} per second)",
                indexed.persons,
                indexed.seconds,
                indexed.per_second()
            )?;
            Ok(())
        }
        Command::Link { full } => {
            let data = DataDir::create(&data_dir)?;
            let store = data.open_store().await?;
            let index = data.open_index();
            let summary = match &index {
                Ok(index) => crate::link::link_store(&store, Some(index), full).await,
                Err(_) => crate::link::link_store(&store, None, full).await,
            };
            store.close().await;
            let summary = summary?;
            if let Err(problem) = &index {
                eprintln!(
                    "warning: the search index could not be opened ({problem:#}); it is \
                     rebuilt when the server starts, or by `yodnoma reindex`"
                );
            }
            if let Some(problem) = &summary.index_problem {
                eprintln!(
                    "warning: the persons are linked but the search index was not updated \
                     ({problem}); run `yodnoma reindex`"
                );
            }
            let mut out = std::io::stdout().lock();
            if summary.new_records == 0 {
                writeln!(
                    out,
                    "nothing new to link: {} records in {} persons",
                    summary.records, summary.persons_after
                )?;
                return Ok(());
            }
            let compared = if summary.full {
                "all compared".to_owned()
            } else {
                format!("{} new, only they compared", summary.new_records)
            };
            writeln!(
                out,
                "linked {} records ({compared}) into {} persons (were {}): {} records moved, \
                 {} pairs compared, {} matched pairs, {} pairs to review, {} curator decisions \
                 applied, in {:.1} s",
                summary.records,
                summary.persons_after,
                summary.persons_before,
                summary.records_moved,
                summary.compared,
                summary.matched_pairs,
                summary.review_pairs,
                summary.decisions_applied,
                summary.seconds
            )?;
            Ok(())
        }
        Command::Gen(GenCommand::Records { count, seed }) => crate::generate::records(count, seed),
        Command::LinkCsv {
            left,
            right,
            id,
            fields,
            out,
        } => {
            let options = crate::link_csv::Options {
                left,
                right,
                id,
                fields,
            };
            let (summary, linkage, dataset) = match &out {
                Some(path) => link_csv_into(&options, path)?,
                None => crate::link_csv::run(&options, std::io::stdout().lock())?,
            };
            let mut err = std::io::stderr().lock();
            for (field, model) in dataset.fields.iter().zip(&linkage.model.fields) {
                let levels: Vec<String> = yodnoma_linkage::compare::levels(field.kind)
                    .iter()
                    .zip(model.m.iter().zip(&model.u))
                    .map(|(level, (m, u))| format!("{level} {:+.1}", (m / u).log2()))
                    .collect();
                let learned = if linkage.model.conditional_u {
                    "m and u learned over the candidates"
                } else if model.trained {
                    "m learned"
                } else {
                    "m assumed"
                };
                writeln!(
                    err,
                    "field {} ({}, {learned}): {}",
                    field.name,
                    field.kind.as_str(),
                    levels.join(", ")
                )?;
            }
            writeln!(
                err,
                "prior: {:.4} of the compared pairs are matches ({:+.1})",
                linkage.model.prior,
                linkage.model.prior_weight()
            )?;
            for rule in &linkage.rules {
                writeln!(
                    err,
                    "blocking on {}: {} pairs, {} skipped in oversized blocks, finds {:.1} % of the matches",
                    rule.rule,
                    rule.pairs,
                    rule.skipped,
                    rule.recall * 100.0
                )?;
            }
            writeln!(
                err,
                "{} records, {} pairs compared, {} matches, {} to review, in {:.2} s",
                summary.records,
                summary.compared,
                summary.matches,
                summary.reviews,
                summary.seconds
            )?;
            Ok(())
        }
    }
}

/// Rebuilds the tiles of every raster image from its original; returns how many. One that
/// fails is named and the others are rebuilt all the same (after a restore, every image left
/// untiled would be missing from the site); the command fails at the end if any did. A size
/// read from the original that differs from the stored one is stored, as the tiles have it.
async fn retile(data: &DataDir) -> anyhow::Result<usize> {
    let store = data.open_store().await?;
    let media = data.media();
    let retiled = async {
        let images = store.raster_images().await?;
        let mut failed = 0usize;
        for image in &images {
            match media.rebuild_pyramid(&image.id).await {
                Ok(stored) if (stored.width, stored.height) != (image.width, image.height) => {
                    store
                        .set_image_size(&image.id, stored.width, stored.height)
                        .await?;
                }
                Ok(_) => {}
                Err(e) => {
                    failed += 1;
                    writeln!(std::io::stderr().lock(), "image {}: {e}", image.id)?;
                }
            }
        }
        if failed > 0 {
            anyhow::bail!(
                "{failed} of {} images could not be retiled (named above)",
                images.len()
            );
        }
        Ok(images.len())
    }
    .await;
    store.close().await;
    retiled
}

/// `import events|memorials|figures FILE`
async fn import_memory_file(
    data_dir: &std::path::Path,
    kind: MemoryFile,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    // A file that cannot be read is refused before the data directory is touched.
    let reader =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let data = DataDir::create(data_dir)?;
    let store = data.open_store().await?;
    let shown = file.display().to_string();
    let stored = import_memory(&store, kind, reader, &shown, "cli").await;
    store.close().await;
    writeln!(std::io::stdout().lock(), "{shown}: {} rows stored", stored?)?;
    Ok(())
}

/// Runs `link-csv` into the file `path`: written beside it under a temporary name and put in
/// its place only once complete, so that a failed run leaves an existing file as it was. An
/// output that is one of the inputs is refused.
fn link_csv_into(
    options: &crate::link_csv::Options,
    path: &std::path::Path,
) -> anyhow::Result<(
    crate::link_csv::Summary,
    yodnoma_linkage::Linkage,
    yodnoma_linkage::Dataset,
)> {
    let same = |input: &std::path::Path| {
        matches!(
            (std::fs::canonicalize(input), std::fs::canonicalize(path)),
            (Ok(a), Ok(b)) if a == b
        )
    };
    if same(&options.left) || options.right.as_deref().is_some_and(same) {
        anyhow::bail!(
            "--out {} is one of the lists read: write the pairs to another file",
            path.display()
        );
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "pairs.csv".to_owned());
    let partial = path.with_file_name(format!(".{name}.partial"));
    let written = (|| {
        let file = std::fs::File::create(&partial)
            .with_context(|| format!("cannot write {}", partial.display()))?;
        let mut writer = std::io::BufWriter::new(file);
        let outcome = crate::link_csv::run(options, &mut writer)?;
        writer
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .with_context(|| format!("cannot write {}", partial.display()))?;
        std::fs::rename(&partial, path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(outcome)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}
