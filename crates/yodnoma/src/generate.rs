//! `yodnoma gen records`: synthetic source records on stdout.

use std::io::{BufWriter, ErrorKind, Write};

use yodnoma_gen::{GenConfig, GenError};

pub fn records(count: u64, seed: u64) -> anyhow::Result<()> {
    let stdout = std::io::stdout().lock();
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let result = yodnoma_gen::write_records(&GenConfig { count, seed }, &mut out)
        .and_then(|()| out.flush().map_err(GenError::from));
    match result {
        // A reader that stops early (`| head`) is not an error.
        Err(GenError::Io(e)) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(GenError::Csv(e)) if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == ErrorKind::BrokenPipe) => {
            Ok(())
        }
        other => Ok(other?),
    }
}
