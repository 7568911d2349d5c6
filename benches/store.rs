//! Profile store and report benchmarks (figures in docs/PERFORMANCE.md).
//!
//! `CARGO_TARGET_DIR=target/core cargo bench --no-default-features --bench store`
//!
//! - `record/one_session_durably`: one finished session committed (WAL, synchronous=FULL) —
//!   criterion's estimate, then p50/p99 over [`PERCENTILE_RUNS`] separately timed records.
//! - `dashboard/…`: the web dashboard's cohort page and an item analysis over the same store, on
//!   loopback, after the first request (p50/p95 over 100 requests printed).
//! - `report/csv_…`, `report/html_…`: what `care-trainer report --format csv|html --out FILE`
//!   does over [`TRAINEES`] × [`SESSIONS_EACH`] sessions — read them all, write the file. The
//!   database is generated once and kept under the target directory.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use care_trainer::explore::{Policy, play};
use care_trainer::profile::{Filter, Mode, NewSession, Store};
use care_trainer::report;
use care_trainer::scenario::{Curriculum, Lang};
use care_trainer::scoring::{ChoiceLog, Scorecard};
use criterion::{Criterion, criterion_group, criterion_main};

/// Trainees in the report benchmark.
const TRAINEES: usize = 10_000;
/// Sessions per trainee in the report benchmark.
const SESSIONS_EACH: usize = 50;
/// Separately timed records for the percentiles.
const PERCENTILE_RUNS: usize = 2_000;
/// Distinct bot sessions cycled through (every shipped scenario, several policies and seeds).
const SAMPLES: u64 = 8;

fn curriculum() -> Curriculum {
    Curriculum::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap_or_else(|d| panic!("shipped curriculum has errors: {d:?}"))
}

fn samples(cur: &Curriculum) -> Vec<(ChoiceLog, Scorecard)> {
    let mut out = Vec::new();
    for sc in &cur.scenarios {
        for seed in 0..SAMPLES {
            let policy = match seed % 3 {
                0 => Policy::Best,
                1 => Policy::Random,
                _ => Policy::Worst,
            };
            let card = play(sc.clone(), cur.rulebook.clone(), seed, policy);
            let log = card.choice_log();
            out.push((log, card));
        }
    }
    out
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-store")
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank - 1]
}

fn record(c: &mut Criterion) {
    let cur = curriculum();
    let samples = samples(&cur);
    let dir = tempfile::tempdir_in(std::env::temp_dir()).expect("tempdir");
    let store = Store::open(&dir.path().join("record.db")).expect("open");
    store
        .add_trainee_at("NV1", "Nguyễn Văn An", Some("K1"), 0)
        .expect("add");
    let mut i = 0usize;
    let mut one = |store: &Store| {
        let (log, card) = &samples[i % samples.len()];
        i += 1;
        store
            .record(&NewSession {
                employee_id: "NV1",
                mode: Mode::Assessment,
                log,
                card,
                started_unix: 1_767_225_600,
                finished_unix: 1_767_226_200 + i as i64,
                registration: None,
            })
            .expect("record")
    };
    let mut group = c.benchmark_group("record");
    group.bench_function("one_session_durably", |b| b.iter(|| one(&store)));
    group.finish();
    let mut times: Vec<Duration> = (0..PERCENTILE_RUNS)
        .map(|_| {
            let t = Instant::now();
            one(&store);
            t.elapsed()
        })
        .collect();
    times.sort_unstable();
    println!(
        "record/one_session_durably over {PERCENTILE_RUNS} records in {}: p50 {:?}  p99 {:?}  max {:?}",
        dir.path().display(),
        percentile(&times, 50),
        percentile(&times, 99),
        times[times.len() - 1]
    );
}

/// The 10,000 × 50 database, generated once (about half a million sessions).
fn big_store(cur: &Curriculum) -> Store {
    let dir = target_dir();
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!("report-{TRAINEES}x{SESSIONS_EACH}.sqlite3"));
    let expected = (TRAINEES * SESSIONS_EACH) as u64;
    if let Ok(store) = Store::open(&path)
        && store.session_count().ok() == Some(expected)
    {
        return store;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let started = Instant::now();
    let store = Store::open(&path).expect("open");
    let samples = samples(cur);
    let ids: Vec<String> = (0..TRAINEES).map(|t| format!("NV{t:05}")).collect();
    for (t, id) in ids.iter().enumerate() {
        store
            .add_trainee_at(
                id,
                &format!("Học viên số {t}"),
                Some(&format!("K{}", t % 20)),
                0,
            )
            .expect("add");
    }
    for chunk in ids.chunks(200).enumerate() {
        let (c, chunk) = chunk;
        let batch: Vec<NewSession<'_>> = chunk
            .iter()
            .enumerate()
            .flat_map(|(k, id)| {
                let t = c * 200 + k;
                let samples = &samples;
                (0..SESSIONS_EACH).map(move |s| {
                    let (log, card) = &samples[(t * 7 + s) % samples.len()];
                    let finished = 1_767_225_600 + (s as i64) * 86_400 + (t as i64 % 600) * 60;
                    NewSession {
                        employee_id: id,
                        mode: Mode::Assessment,
                        log,
                        card,
                        started_unix: finished - 900,
                        finished_unix: finished,
                        registration: None,
                    }
                })
            })
            .collect();
        store.record_all(&batch).expect("record batch");
    }
    println!(
        "generated {expected} sessions in {:?} at {}",
        started.elapsed(),
        path.display()
    );
    store
}

fn reports(c: &mut Criterion) {
    let cur = curriculum();
    let store = big_store(&cur);
    let filter = Filter::default();
    // One timed pass of each part, so the figures can be split in docs/PERFORMANCE.md.
    let t = Instant::now();
    let records = store.records(&filter).expect("records");
    let read = t.elapsed();
    let out = tempfile::tempdir_in(std::env::temp_dir()).expect("tempdir");
    let (csv_path, html_path) = (
        out.path().join("report.csv"),
        out.path().join("report.html"),
    );
    // As the command does: the CSV streamed through a buffer to the file, the HTML built and
    // written.
    let write_csv = |records: &care_trainer::profile::Records| {
        let file = std::fs::File::create(&csv_path).expect("csv file");
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        report::write_csv(records, &cur.rulebook, Lang::Vi, &mut w).expect("csv");
        std::io::Write::flush(&mut w).expect("flush csv");
    };
    let write_html = |records: &care_trainer::profile::Records| {
        let html = report::to_html(records, &cur, 1_767_225_600, "tất cả");
        std::fs::write(&html_path, html).expect("html file");
    };
    let t = Instant::now();
    write_csv(&records);
    let csv_time = t.elapsed();
    let t = Instant::now();
    write_html(&records);
    let html_time = t.elapsed();
    let size = |p: &PathBuf| std::fs::metadata(p).map_or(0, |m| m.len() / 1_000_000);
    println!(
        "report parts over {} sessions: read {read:?}, csv {csv_time:?} ({} MB), html {html_time:?} ({} MB)",
        records.sessions.len(),
        size(&csv_path),
        size(&html_path)
    );
    drop(records);
    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(45));
    group.bench_function("csv_10k_trainees_x_50", |b| {
        b.iter(|| write_csv(&store.records(&filter).expect("records")))
    });
    group.bench_function("html_10k_trainees_x_50", |b| {
        b.iter(|| write_html(&store.records(&filter).expect("records")))
    });
    group.bench_function("csv_and_html_one_read_10k_trainees_x_50", |b| {
        b.iter(|| {
            let records = store.records(&filter).expect("records");
            write_csv(&records);
            write_html(&records);
        })
    });
    // xAPI goes to the LMS one cohort at a time: 500 trainees × 50 sessions.
    let cohort = Filter {
        cohort: Some("K0".into()),
        ..Filter::default()
    };
    group.bench_function("xapi_one_cohort_500_trainees_x_50", |b| {
        b.iter(|| {
            let records = store.records(&cohort).expect("records");
            report::to_xapi(&records, &cur, report::DEFAULT_HOME_PAGE)
                .expect("xapi")
                .len()
        })
    });
    group.finish();
}

/// One GET on loopback with a cookie; the status and the body's length.
fn get(addr: std::net::SocketAddr, path: &str, cookie: &str) -> (u16, usize) {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let status = String::from_utf8_lossy(&raw[..raw.len().min(12)])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, raw.len())
}

/// The dashboard over the 10,000 × 50 store: the cohort page (HR of every cohort: 20 cohorts,
/// 10,000 trainee rows) and an item analysis, each after the first request has read the store.
fn dashboard(c: &mut Criterion) {
    use care_trainer::profile::accounts::Role;
    let cur = curriculum();
    let store = big_store(&cur);
    if store.user("bench").expect("user").is_none() {
        store
            .add_user("bench", "bench-password-1", Role::Hr, &[], 0)
            .expect("user");
    }
    let (token, _) = store
        .open_web_session("bench", care_trainer::clock::now_unix(), 3600)
        .expect("session");
    let cookie = format!("ct_session={token}");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = cur.clone();
    std::thread::spawn(move || care_trainer::web::serve_on(listener, store, served, false));
    let pages = ["/", "/scenarios/th1_hai_long_ca_nhan/items"];
    for path in pages {
        let t = Instant::now();
        let (status, len) = get(addr, path, &cookie);
        assert_eq!(status, 200, "{path}");
        println!(
            "dashboard {path}: first request (reads the store) {:?}, {len} bytes",
            t.elapsed()
        );
    }
    let mut group = c.benchmark_group("dashboard");
    group.sample_size(20);
    for (name, path) in [
        ("cohorts_10k_trainees_x_50", pages[0]),
        ("items_10k_trainees_x_50", pages[1]),
    ] {
        group.bench_function(name, |b| b.iter(|| get(addr, path, &cookie)));
        let mut times: Vec<Duration> = (0..100)
            .map(|_| {
                let t = Instant::now();
                get(addr, path, &cookie);
                t.elapsed()
            })
            .collect();
        times.sort_unstable();
        println!(
            "dashboard/{name} over 100 requests: p50 {:?}  p95 {:?}  max {:?}",
            percentile(&times, 50),
            percentile(&times, 95),
            times[times.len() - 1]
        );
    }
    group.finish();
}

criterion_group!(benches, record, reports, dashboard);
criterion_main!(benches);
