//! IIIF image serving: ingest of a 10,000 × 8,000 JPEG (time, peak memory), beside the same
//! image decoded whole and cut into the same pyramid; then tile requests rendered from its
//! pyramid, beside the baseline of no pyramid (the original decoded for each request, as a
//! naive server does), in one run. In process: the figures are the rendering itself, not HTTP.
//!
//! `cargo bench -p yodnoma --bench iiif`; `YODNOMA_BENCH_IIIF_SIDE=W,H` changes the image
//! (at 20000,20000 only the ingest in rows is measured: the baselines decode whole, which is
//! refused above 150 million pixels).

#![allow(clippy::unwrap_used, clippy::print_stdout)]

mod common;

use std::io::Cursor;
use std::time::Instant;

use yodnoma_core::ImageId;
use yodnoma_media::Media;
use yodnoma_media::iiif::ImageRequest;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One ingest in a process of its own, so that its peak memory is its own: what a child run of
/// this benchmark does when `YODNOMA_BENCH_IIIF_INGEST` is `rows` (yodnoma's ingest) or `whole`
/// (the baseline: the image decoded whole, then the same pyramid cut from it, as yodnoma's
/// ingest did before it decoded in rows). Prints seconds, peak MB above the resident memory
/// before, and that resident memory.
fn ingest_alone(mode: &str) {
    let file = std::env::var("YODNOMA_BENCH_IIIF_FILE").unwrap();
    let media = Media::local(std::env::var("YODNOMA_BENCH_IIIF_DIR").unwrap());
    let id = ImageId::parse("bench").unwrap();
    let jpeg = std::fs::read(file).unwrap();
    let resident = common::reset_peak_rss();
    let started = Instant::now();
    if mode == "rows" {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(media.store_image(&id, jpeg)).unwrap();
    } else {
        let image = yodnoma_media::check(&jpeg).unwrap().decode().unwrap();
        let (width, height) = image.dimensions();
        media.pyramid(&id, width, height).build(&image).unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("{seconds} {} {resident}", common::peak_rss_mb() - resident);
}

/// Runs [`ingest_alone`] in a child process: (seconds, peak MB, resident MB before).
fn ingest_in_child(mode: &str, file: &std::path::Path, media: &std::path::Path) -> (f64, f64, f64) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("YODNOMA_BENCH_IIIF_INGEST", mode)
        .env("YODNOMA_BENCH_IIIF_FILE", file)
        .env("YODNOMA_BENCH_IIIF_DIR", media)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let figures: Vec<f64> = text
        .lines()
        .last()
        .unwrap()
        .split(' ')
        .map(|f| f.parse().unwrap())
        .collect();
    (figures[0], figures[1], figures[2])
}

fn main() {
    if let Ok(mode) = std::env::var("YODNOMA_BENCH_IIIF_INGEST") {
        return ingest_alone(&mode);
    }
    let side = std::env::var("YODNOMA_BENCH_IIIF_SIDE").unwrap_or_else(|_| "10000,8000".into());
    let (width, height) = side
        .split_once(',')
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .expect("YODNOMA_BENCH_IIIF_SIDE=W,H");
    let dir = tempfile::tempdir().unwrap();
    let jpeg = common::painting(width, height);
    println!(
        "== IIIF: a {width} × {height} JPEG of {:.1} MB ==",
        jpeg.len() as f64 / 1e6
    );
    let file = dir.path().join("painting.jpg");
    std::fs::write(&file, &jpeg).unwrap();

    let media_dir = dir.path().join("media");
    let (rows_seconds, rows_peak, resident) = ingest_in_child("rows", &file, &media_dir);
    println!(
        "ingest, decoded in rows: {rows_seconds:.2} s (checked, decoded, tiles of every level written); peak {rows_peak:.0} MB above the {resident:.0} MB resident before (mostly the JPEG's bytes)",
    );
    if u64::from(width) * u64::from(height) <= yodnoma_media::MAX_PIXELS {
        let (whole_seconds, whole_peak, resident) =
            ingest_in_child("whole", &file, &dir.path().join("whole"));
        println!(
            "baseline, decoded whole: {whole_seconds:.2} s; peak {whole_peak:.0} MB above the {resident:.0} MB resident before; rows / whole: time {:.2}, peak {:.2}",
            rows_seconds / whole_seconds,
            rows_peak / whole_peak
        );
    } else {
        println!(
            "baseline, decoded whole: refused (more than {} pixels)",
            yodnoma_media::MAX_PIXELS
        );
    }
    let media = Media::local(&media_dir);
    let id = ImageId::parse("bench").unwrap();
    let pyramid = media.pyramid(&id, width, height);

    // Tiles of the full resolution and of the levels a viewer asks first.
    let mut requests = Vec::new();
    for row in 0..height.div_ceil(512).min(6) {
        for column in 0..width.div_ceil(512).min(6) {
            requests.push((
                format!("{},{},512,512", column * 512, row * 512),
                "512,".to_owned(),
            ));
        }
    }
    requests.push(("full".into(), "!1024,1024".into()));
    requests.push(("0,0,4096,4096".into(), "512,".into()));

    let render = |region: &str, size: &str| {
        ImageRequest::parse(region, size, "0", "default.jpg")
            .unwrap()
            .render(&pyramid)
            .unwrap()
    };
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    for pass in 0..3 {
        for (region, size) in &requests {
            let started = Instant::now();
            let bytes = render(region, size);
            assert!(!bytes.is_empty());
            let ms = started.elapsed().as_secs_f64() * 1e3;
            if pass == 0 {
                cold.push(ms)
            } else {
                warm.push(ms)
            }
        }
    }
    cold.sort_by(f64::total_cmp);
    warm.sort_by(f64::total_cmp);
    let ours_p50 = percentile(&warm, 0.5);
    println!(
        "pyramid: {} requests; first pass p50 {:.3} ms p99 {:.1} ms; later passes p50 {:.3} ms p99 {:.1} ms",
        requests.len(),
        percentile(&cold, 0.5),
        percentile(&cold, 0.99),
        ours_p50,
        percentile(&warm, 0.99)
    );

    // Throughput with 16 requests in flight (on this machine's cores).
    let started = Instant::now();
    let total = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|t| {
                let requests = &requests;
                let render = &render;
                scope.spawn(move || {
                    let mut n = 0;
                    for k in 0..requests.len() {
                        let (region, size) = &requests[(k + t) % requests.len()];
                        render(region, size);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .sum::<usize>()
    });
    let per_second = total as f64 / started.elapsed().as_secs_f64();
    println!("pyramid, 16 at once: {per_second:.0} requests/s");

    // Baseline: no pyramid, the original decoded for every request (three requests suffice).
    if u64::from(width) * u64::from(height) > yodnoma_media::MAX_PIXELS {
        return;
    }
    let mut naive = Vec::new();
    for (region, size) in requests.iter().take(3) {
        let started = Instant::now();
        let original = image::load(Cursor::new(&jpeg), image::ImageFormat::Jpeg)
            .unwrap()
            .into_rgb8();
        let request = ImageRequest::parse(region, size, "0", "default.jpg").unwrap();
        let ((x, y, w, h), (tw, _)) = request.resolve(width, height).unwrap();
        let part = image::imageops::crop_imm(&original, x, y, w, h).to_image();
        let part = image::imageops::resize(
            &part,
            tw,
            tw * h / w,
            image::imageops::FilterType::CatmullRom,
        );
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
            .encode_image(&part)
            .unwrap();
        naive.push(started.elapsed().as_secs_f64() * 1e3);
    }
    naive.sort_by(f64::total_cmp);
    let naive_p50 = percentile(&naive, 0.5);
    println!(
        "baseline (decode the original per request): p50 {naive_p50:.0} ms; pyramid / baseline {:.2e}",
        ours_p50 / naive_p50
    );
}
