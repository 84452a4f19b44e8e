//! The site under load, over HTTP on loopback: 200 visitors reading person pages, first alone
//! (the baseline) and then while 10 contributors send stories with a photo, side by side in one
//! run. Prints requests per second, p50/p99 latency and every error.
//!
//! `cargo bench -p yodnoma --bench load` (set `LOAD_SECONDS` for longer phases; default 15).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");
const VISITORS: usize = 200;
const CONTRIBUTORS: usize = 10;
const STORIES_EACH: usize = 10;
const RECORDS: usize = 20_000;

fn yodnoma(data: &Path, args: &[&str], input: Option<&[u8]>) -> Vec<u8> {
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    if let Some(bytes) = input {
        stdin.write_all(bytes).unwrap();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "yodnoma {args:?}");
    output.stdout
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

struct Outcome {
    times: Vec<Duration>,
    errors: Vec<String>,
}

fn summary(name: &str, mut outcome: Outcome, seconds: f64) -> f64 {
    outcome.times.sort();
    let n = outcome.times.len();
    let p99 = percentile(&outcome.times, 0.99);
    println!(
        "  {name:<34} {n:>7} requests, {:>7.0} req/s, p50 {:>6.1} ms, p99 {:>6.1} ms, errors {}",
        n as f64 / seconds,
        percentile(&outcome.times, 0.5),
        p99,
        outcome.errors.len()
    );
    for e in outcome.errors.iter().take(5) {
        println!("      {e}");
    }
    p99
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// Visitors reading person pages until `stop`.
fn read_pages(url: &str, persons: &[String], stop: &AtomicBool) -> Outcome {
    let outcome = Arc::new(Mutex::new(Outcome {
        times: Vec::new(),
        errors: Vec::new(),
    }));
    std::thread::scope(|scope| {
        for v in 0..VISITORS {
            let outcome = Arc::clone(&outcome);
            scope.spawn(move || {
                let agent = agent();
                let (mut times, mut errors) = (Vec::new(), Vec::new());
                let mut i = v * 7919;
                while !stop.load(Ordering::Relaxed) {
                    let person = &persons[i % persons.len()];
                    i += 1;
                    let started = Instant::now();
                    match agent.get(format!("{url}/persons/{person}")).call() {
                        Ok(mut r) => {
                            let status = r.status().as_u16();
                            let _ = r.body_mut().read_to_string();
                            times.push(started.elapsed());
                            if status != 200 {
                                errors.push(format!("GET /persons/{person}: {status}"));
                            }
                        }
                        Err(e) => errors.push(format!("GET /persons/{person}: {e}")),
                    }
                }
                let mut all = outcome.lock().unwrap();
                all.times.extend(times);
                all.errors.extend(errors);
            });
        }
    });
    Arc::into_inner(outcome).unwrap().into_inner().unwrap()
}

fn multipart(fields: &[(&str, &str)], photo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "yodnoma-load-boundary-4d2f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Contributors each signing in and sending their stories, spread over `seconds`.
fn send_stories(url: &str, persons: &[String], photo: &[u8], seconds: f64) -> Outcome {
    let outcome = Arc::new(Mutex::new(Outcome {
        times: Vec::new(),
        errors: Vec::new(),
    }));
    std::thread::scope(|scope| {
        for c in 0..CONTRIBUTORS {
            let outcome = Arc::clone(&outcome);
            scope.spawn(move || {
                let agent = agent();
                let email = format!("family{c}@example.kz");
                let login = agent
                    .post(format!("{url}/login"))
                    .send_form([("email", email.as_str()), ("password", "a family password")])
                    .unwrap();
                let cookie = login.headers()["set-cookie"].to_str().unwrap();
                let cookie = cookie.split(';').next().unwrap().to_owned();
                let (mut times, mut errors) = (Vec::new(), Vec::new());
                for s in 0..STORIES_EACH {
                    let person = &persons[(c * 31 + s) % persons.len()];
                    let path = format!("/persons/{person}/contribute");
                    let mut form = agent
                        .get(format!("{url}{path}"))
                        .header("Cookie", &cookie)
                        .call()
                        .unwrap();
                    let page = form.body_mut().read_to_string().unwrap();
                    let start = page.find("name=\"csrf\" value=\"").unwrap() + 19;
                    let csrf = &page[start..start + page[start..].find('"').unwrap()];
                    let title = format!("Story {s} of family {c}");
                    let (kind, body) = multipart(
                        &[
                            ("csrf", csrf),
                            ("title", &title),
                            ("body", "He came home in *1945*."),
                            ("photo_alt", "A soldier by a house"),
                            ("consent", "yes"),
                        ],
                        photo,
                    );
                    let started = Instant::now();
                    let sent = agent
                        .post(format!("{url}{path}"))
                        .header("Cookie", &cookie)
                        .header("Content-Type", &kind)
                        .send(&body[..]);
                    match sent {
                        Ok(r) if r.status().as_u16() == 303 => times.push(started.elapsed()),
                        Ok(r) => errors.push(format!("POST {path}: {}", r.status())),
                        Err(e) => errors.push(format!("POST {path}: {e}")),
                    }
                    std::thread::sleep(Duration::from_secs_f64(seconds / STORIES_EACH as f64));
                }
                let mut all = outcome.lock().unwrap();
                all.times.extend(times);
                all.errors.extend(errors);
            });
        }
    });
    Arc::into_inner(outcome).unwrap().into_inner().unwrap()
}

fn main() {
    let seconds: f64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15.0);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let records = yodnoma(
        &data,
        &[
            "gen",
            "records",
            "--count",
            &RECORDS.to_string(),
            "--seed",
            "11",
        ],
        None,
    );
    let file = dir.path().join("records.csv");
    std::fs::write(&file, records).unwrap();
    yodnoma(
        &data,
        &[
            "import",
            "records",
            file.to_str().unwrap(),
            "--source",
            "load",
        ],
        None,
    );
    for c in 0..CONTRIBUTORS {
        let email = format!("family{c}@example.kz");
        yodnoma(
            &data,
            &["user", "add", "--role", "contributor", &email],
            Some(b"a family password\n"),
        );
    }
    let persons: Vec<String> = String::from_utf8(yodnoma(&data, &["export", "persons"], None))
        .unwrap()
        .lines()
        .take(5000)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["person_id"].as_str().unwrap().to_owned()
        })
        .collect();
    let photo = {
        let image = image::RgbImage::from_fn(1200, 900, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
        out.into_inner()
    };

    let (mut child, url) = common::start_server(BIN, &data);

    println!(
        "load over loopback: {RECORDS} generated records, {VISITORS} visitors reading person pages, \
         {seconds} s a phase"
    );
    let stop = AtomicBool::new(false);
    let started = Instant::now();
    let alone = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_pages(&url, &persons, &stop));
        std::thread::sleep(Duration::from_secs_f64(seconds));
        stop.store(true, Ordering::Relaxed);
        reading.join().unwrap()
    });
    let alone_seconds = started.elapsed().as_secs_f64();
    println!("baseline: visitors alone ({alone_seconds:.1} s)");
    let p99_alone = summary("GET /persons/{id}", alone, alone_seconds);

    stop.store(false, Ordering::Relaxed);
    let started = Instant::now();
    let (reading, sending) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| read_pages(&url, &persons, &stop));
        let sending = send_stories(&url, &persons, &photo, seconds);
        stop.store(true, Ordering::Relaxed);
        (reading.join().unwrap(), sending)
    });
    let mixed_seconds = started.elapsed().as_secs_f64();
    println!(
        "with {CONTRIBUTORS} contributors each sending {STORIES_EACH} stories with a 1200×900 \
         photo ({mixed_seconds:.1} s)"
    );
    let p99_mixed = summary("GET /persons/{id}", reading, mixed_seconds);
    summary("POST /persons/{id}/contribute", sending, mixed_seconds);
    println!(
        "  p99 of reading, with contributors / alone: {:.2}",
        p99_mixed / p99_alone.max(0.001)
    );
    let _ = child.kill();
    let _ = child.wait();
}
