//! IIIF tiles over HTTP, side by side with IIPImage: the same 10,000 × 8,000 JPEG ingested by
//! `yodnoma import image` and, for the baseline, made a tiled pyramidal TIFF by libvips (JPEG
//! tiles of 512 pixels, quality 92, as yodnoma's) and served by Debian's `iipsrv` behind
//! lighttpd (FastCGI, one process per core), which speaks IIIF Image API 2 on the same
//! requests. Every tile of every level, as a deep-zoom viewer asks for them: first asked
//! (cold) and asked again (warm), one at a time and 16 at once.
//!
//! `scripts/iipimage-setup` installs the baseline (Debian's iipimage-server, lighttpd,
//! libvips-tools); then `cargo bench -p yodnoma --bench iiif_http`
//! (`YODNOMA_BENCH_IIIF_SIDE=W,H` for another size).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_yodnoma");
const IIPSRV: &str = "/usr/lib/iipimage-server/iipsrv.fcgi";
const LIGHTTPD: &str = "/usr/sbin/lighttpd";
const TILE: u32 = 512;

/// Every tile of every level, as `region/size` of an IIIF request: level `l` shows the image
/// at 1/2^l, down to the level that fits one tile; the edge tiles are cut to the image.
fn tile_requests(width: u32, height: u32) -> Vec<String> {
    let mut requests = Vec::new();
    let mut scale = 1;
    loop {
        let span = TILE * scale;
        for row in 0..height.div_ceil(span) {
            for column in 0..width.div_ceil(span) {
                let (x, y) = (column * span, row * span);
                let (w, h) = (span.min(width - x), span.min(height - y));
                requests.push(format!("{x},{y},{w},{h}/{},", w.div_ceil(scale)));
            }
        }
        if width.div_ceil(scale) <= TILE && height.div_ceil(scale) <= TILE {
            return requests;
        }
        scale *= 2;
    }
}

/// IIIF requests (`region/size`) that are not tiles: the whole image at widths a page or a
/// thumbnail asks for, and regions scaled to fit 1,024 pixels.
fn render_requests() -> Vec<String> {
    let mut requests: Vec<String> = [120, 240, 400, 600, 800, 1000, 1200, 1600, 2000]
        .iter()
        .map(|w| format!("full/{w},"))
        .collect();
    for (x, y) in [(0, 0), (25, 0), (50, 25), (10, 60), (60, 60), (30, 30)] {
        requests.push(format!("pct:{x},{y},40,40/!1024,1024"));
    }
    requests
}

/// Runs `program` under GNU time: its wall time and its peak resident memory in MB (0 where
/// GNU time is missing).
fn measured(program: &str, args: &[&std::ffi::OsStr], peak_file: &Path) -> (Duration, f64) {
    let started = Instant::now();
    let gnu_time = Path::new("/usr/bin/time").exists();
    let output = if gnu_time {
        Command::new("/usr/bin/time")
            .args(["-f", "%M", "-o"])
            .arg(peak_file)
            .arg(program)
            .args(args)
            .output()
    } else {
        Command::new(program).args(args).output()
    }
    .unwrap();
    let took = started.elapsed();
    assert!(output.status.success(), "{program}: {output:?}");
    let kib: f64 = std::fs::read_to_string(peak_file)
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(0.0);
    (took, kib / 1024.0)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// lighttpd in the foreground with `iipsrv` behind it, over the TIFFs in `dir/images`.
fn start_iipsrv(dir: &Path) -> (Child, String) {
    let port = free_port();
    let config = dir.join("lighttpd.conf");
    let www = dir.join("www");
    std::fs::create_dir_all(&www).unwrap();
    let processes = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::fs::write(
        &config,
        format!(
            r#"server.document-root = "{www}"
server.bind = "127.0.0.1"
server.port = {port}
server.modules = ("mod_fastcgi")
server.errorlog = "{dir}/lighttpd-error.log"
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" =>
  (( "socket" => "{dir}/iipsrv.sock",
     "check-local" => "disable",
     "min-procs" => {processes},
     "max-procs" => {processes},
     "bin-path" => "{IIPSRV}",
     "bin-environment" => ( "FILESYSTEM_PREFIX" => "{dir}/images/", "VERBOSITY" => "0", "JPEG_QUALITY" => "92" )
  ))
)
"#,
            www = www.display(),
            dir = dir.display(),
        ),
    )
    .unwrap();
    let mut child = Command::new(LIGHTTPD)
        .arg("-D")
        .arg("-f")
        .arg(&config)
        .spawn()
        .expect("lighttpd starts");
    let url = format!("http://127.0.0.1:{port}/fcgi-bin/iipsrv.fcgi?IIIF=bench.tif");
    let agent: ureq::Agent = ureq::Agent::config_builder().build().into();
    let answers = (0..100).any(|_| {
        let answered = agent.get(format!("{url}/info.json")).call().is_ok();
        if !answered {
            std::thread::sleep(Duration::from_millis(50));
        }
        answered
    });
    if !answers {
        stop_iipsrv(&mut child);
        panic!(
            "iipsrv did not answer; see {}/lighttpd-error.log",
            dir.display()
        );
    }
    (child, url)
}

/// The processes whose parent is `pid`: the iipsrv processes lighttpd started, and no other.
fn children_of(pid: u32) -> Vec<String> {
    let parent = pid.to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            // `pid (command) state ppid …`: the command may hold spaces, so read after its ')'.
            stat.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                == Some(parent.as_str())
        })
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Stops lighttpd and the `iipsrv` processes it started, and with them iipsrv's cache.
fn stop_iipsrv(lighttpd: &mut Child) {
    let signal = |pid: &str| {
        let _ = Command::new("kill").args(["-TERM", pid]).status();
    };
    let children = children_of(lighttpd.id());
    signal(&lighttpd.id().to_string());
    lighttpd.wait().unwrap();
    for child in children {
        signal(&child);
    }
    std::thread::sleep(Duration::from_millis(500));
}

/// Asks for `requests` under `base` from `clients` clients at once, each with its own
/// keep-alive connection: the time of each request, and the whole time. All the clients run on
/// one thread (hyper's HTTP/1.1 client on a single-threaded runtime): sixteen client threads on
/// a two-core machine would each wait their turn to run, and that wait would be counted as the
/// server's.
fn ask(base: &str, requests: &[String], clients: usize) -> (Vec<f64>, Duration) {
    use http_body_util::BodyExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let uri: hyper::Uri = base.parse().unwrap();
    let authority = uri.authority().unwrap().to_string();
    let prefix = uri.path_and_query().unwrap().as_str().to_owned();
    let requests = Arc::new(requests.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let times = runtime.block_on(async {
        let mut clients_running = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let (authority, prefix) = (authority.clone(), prefix.clone());
            let (requests, next) = (requests.clone(), next.clone());
            clients_running.spawn(async move {
                let stream = tokio::net::TcpStream::connect(&authority).await.unwrap();
                stream.set_nodelay(true).unwrap();
                let (mut sender, connection) =
                    hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
                        .await
                        .unwrap();
                tokio::spawn(connection);
                let mut times = Vec::new();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(request) = requests.get(k) else {
                        return times;
                    };
                    let path = format!("{prefix}/{request}/0/default.jpg");
                    let asked = Instant::now();
                    let response = sender
                        .send_request(
                            hyper::Request::get(&path)
                                .header("host", &authority)
                                .body(http_body_util::Empty::<hyper::body::Bytes>::new())
                                .unwrap(),
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{path}: {e}"));
                    assert!(
                        response.status().is_success(),
                        "{path}: {}",
                        response.status()
                    );
                    let body = response.into_body().collect().await.unwrap().to_bytes();
                    assert!(body.starts_with(&[0xFF, 0xD8]), "{path}");
                    times.push(asked.elapsed().as_secs_f64() * 1e3);
                }
            });
        }
        let mut times = Vec::new();
        while let Some(done) = clients_running.join_next().await {
            times.extend(done.unwrap());
        }
        times
    });
    (times, started.elapsed())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One line of figures; the requests per second returned for the ratio.
fn report(server: &str, phase: &str, (mut times, took): (Vec<f64>, Duration)) -> f64 {
    times.sort_by(f64::total_cmp);
    let per_second = times.len() as f64 / took.as_secs_f64();
    println!(
        "{server:<9} {phase:<20} {:>5} answers {per_second:>7.0} /s  p50 {:>6.2} ms  p99 {:>6.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
    );
    per_second
}

/// Peak resident memory of the iipsrv processes lighttpd started, in MB.
fn iipsrv_peak(lighttpd: &Child) -> f64 {
    let kib: u64 = children_of(lighttpd.id())
        .iter()
        .map(|pid| common::memory_kib(pid, "VmHWM:"))
        .sum();
    kib as f64 / 1024.0
}

fn main() {
    for tool in [IIPSRV, LIGHTTPD] {
        if !Path::new(tool).exists() {
            println!("{tool} is missing: run scripts/iipimage-setup first");
            std::process::exit(2);
        }
    }
    let side = std::env::var("YODNOMA_BENCH_IIIF_SIDE").unwrap_or_else(|_| "10000,8000".into());
    let (width, height): (u32, u32) = side
        .split_once(',')
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .expect("YODNOMA_BENCH_IIIF_SIDE=W,H");
    let dir = tempfile::tempdir().unwrap();
    let jpeg_path = dir.path().join("bench.jpg");
    std::fs::write(&jpeg_path, common::painting(width, height)).unwrap();
    let requests = tile_requests(width, height);
    println!(
        "== IIIF tiles over HTTP: a {width} × {height} JPEG, {} tiles of every level ==",
        requests.len()
    );

    let data = dir.path().join("data");
    let (ours_ingest, ours_peak) = measured(
        BIN,
        &[
            "--data-dir".as_ref(),
            data.as_os_str(),
            "import".as_ref(),
            "image".as_ref(),
            jpeg_path.as_os_str(),
            "--id".as_ref(),
            "bench".as_ref(),
            "--alt-en".as_ref(),
            "A painting-like test image".as_ref(),
        ],
        &dir.path().join("ours.peak"),
    );
    std::fs::create_dir_all(dir.path().join("images")).unwrap();
    let tiff = dir.path().join("images/bench.tif");
    let vips_args: Vec<&std::ffi::OsStr> = vec![
        "tiffsave".as_ref(),
        jpeg_path.as_os_str(),
        tiff.as_os_str(),
        "--tile".as_ref(),
        "--pyramid".as_ref(),
        "--compression".as_ref(),
        "jpeg".as_ref(),
        "--Q".as_ref(),
        "92".as_ref(),
        "--tile-width".as_ref(),
        "512".as_ref(),
        "--tile-height".as_ref(),
        "512".as_ref(),
    ];
    let (their_ingest, their_peak) = measured("vips", &vips_args, &dir.path().join("vips.peak"));
    println!(
        "ingest: yodnoma import image {:.2} s, peak {ours_peak:.0} MB; vips tiffsave (pyramidal TIFF) {:.2} s, peak {their_peak:.0} MB; time ratio {:.2}",
        ours_ingest.as_secs_f64(),
        their_ingest.as_secs_f64(),
        ours_ingest.as_secs_f64() / their_ingest.as_secs_f64()
    );

    // First asked one at a time, then again; then 16 at once. Servers restarted before the
    // cold pass at 16, so that each tile is new to them again.
    let mut rates: Vec<(String, f64, f64)> = Vec::new();
    let mut rate = |phase: &str, ours: f64, theirs: f64| {
        rates.push((phase.to_owned(), ours, theirs));
    };
    for round in 0..2 {
        let (mut server, url) = common::start_server(BIN, &data);
        let ours = format!("{url}/iiif/3/bench");
        let (mut lighttpd, theirs) = start_iipsrv(dir.path());
        if round == 0 {
            for (phase, clients) in [("cold, 1 at a time", 1), ("warm, 1 at a time", 1)] {
                let a = report("yodnoma", phase, ask(&ours, &requests, clients));
                let b = report("iipsrv", phase, ask(&theirs, &requests, clients));
                rate(phase, a, b);
            }
            let phase = "warm, 16 at once";
            let a = report("yodnoma", phase, ask(&ours, &requests, 16));
            let b = report("iipsrv", phase, ask(&theirs, &requests, 16));
            rate(phase, a, b);
        } else {
            let phase = "cold, 16 at once";
            let a = report("yodnoma", phase, ask(&ours, &requests, 16));
            let b = report("iipsrv", phase, ask(&theirs, &requests, 16));
            rate(phase, a, b);
            // Answers that are no stored tile, as pages and viewers ask them: the whole image
            // at the widths of page images and thumbnails, and regions scaled down. Asked
            // twice: the second time yodnoma answers from the renders it keeps.
            let renders = render_requests();
            for phase in ["renders, first asked", "renders, again"] {
                let a = report("yodnoma", phase, ask(&ours, &renders, 1));
                let b = report("iipsrv", phase, ask(&theirs, &renders, 1));
                rate(phase, a, b);
            }
        }
        println!(
            "peak memory: yodnoma {:.0} MB, iipsrv {:.0} MB (all its processes)",
            common::memory_kib(&server.id().to_string(), "VmHWM:") as f64 / 1024.0,
            iipsrv_peak(&lighttpd)
        );
        server.kill().unwrap();
        server.wait().unwrap();
        stop_iipsrv(&mut lighttpd);
    }
    for (phase, ours, theirs) in rates {
        println!(
            "per second, {phase:<20} yodnoma / iipsrv = {:.2}",
            ours / theirs
        );
    }
}
