//! What the benchmarks share. Each benchmark includes this module and uses a part of it.

#![allow(dead_code)]

/// The peak resident memory of this process so far, in MB (Linux's `VmHWM`; 0 elsewhere).
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A `yodnoma serve` of the benchmarks' binary over `data` on a free port: the child and the
/// base URL it printed.
pub fn start_server(bin: &str, data: &std::path::Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("piped stdout");
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the server says where it listens");
    let url = line
        .trim()
        .strip_prefix("yodnoma listening on ")
        .expect("the server's first line")
        .trim_end_matches('/')
        .to_owned();
    (child, url)
}
