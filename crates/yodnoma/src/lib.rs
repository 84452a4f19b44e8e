//! The yodnoma binary's commands, as a library so that benchmarks and tests can call them
//! directly. One module per subcommand.

/// An import moves millions of small strings from the reading thread to the database thread,
/// where they are freed; glibc's allocator spends more time on that than SQLite spends writing.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod backup;
pub mod cli;
pub mod data_dir;
pub mod demo;
pub mod generate;
pub mod import;
pub mod import_exhibition;
pub mod import_image;
pub mod import_memory;
pub mod indexing;
pub mod link;
pub mod link_csv;
pub mod logging;
pub mod serve;
pub mod user;
