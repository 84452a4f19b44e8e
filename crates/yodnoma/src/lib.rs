//! The yodnoma binary's commands, as a library so that benchmarks and tests can call them
//! directly. One module per subcommand.

pub mod cli;
pub mod data_dir;
pub mod demo;
pub mod generate;
pub mod import;
pub mod logging;
pub mod serve;
