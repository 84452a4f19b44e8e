//! The `yodnoma` command. Every failure ends as one line on stderr and exit status 1.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

/// Help and version go to stdout as clap writes them; a wrong command line is one line on
/// stderr and exit status 1, like every other error.
fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::FAILURE
        }
        _ => {
            // The message is its first paragraph: for a missing argument, the argument's name
            // is on the lines after the first. Usage and tips follow a blank line.
            let rendered = e.render().to_string();
            let message: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = match message.join(" ") {
                m if m.is_empty() => "error: invalid arguments".to_owned(),
                m => m,
            };
            eprintln!("{message} (see `yodnoma --help`)");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let cli = match yodnoma::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    yodnoma::logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(yodnoma::cli::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` puts the whole chain of causes on one line.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
