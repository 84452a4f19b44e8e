//! Command-line arguments and the dispatch to each command.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use yodnoma_core::SourceName;

use crate::data_dir::DataDir;

#[derive(Debug, Parser)]
#[command(
    name = "yodnoma",
    version,
    about = "A book of remembrance: registry, record linkage and virtual exhibitions for the people of Central Asia in the Second World War"
)]
pub struct Cli {
    /// Where the database, media and index live.
    #[arg(
        long,
        global = true,
        env = "YODNOMA_DATA_DIR",
        default_value = "yodnoma-data"
    )]
    pub data_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web site, the JSON API and media.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Load the bundled demo ("Faces of Victory" and its heroes) when the store is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Import data.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Generate synthetic data for tests and benchmarks.
    #[command(subcommand)]
    Gen(GenCommand),
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

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve { listen, demo } => {
            crate::serve::run(&DataDir::create(&cli.data_dir)?, listen, demo).await
        }
        Command::Import(ImportCommand::Records { file, source }) => {
            let source = SourceName::parse(&source).context("--source")?;
            let store = DataDir::create(&cli.data_dir)?.open_store().await?;
            let summary = crate::import::import_file(&store, &file, &source).await;
            store.close().await;
            let summary = summary?;
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "imported {}, rejected {}",
                summary.imported, summary.rejected
            )?;
            Ok(())
        }
        Command::Gen(GenCommand::Records { count, seed }) => crate::generate::records(count, seed),
    }
}
