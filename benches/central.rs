//! The central store under load (figures in docs/PERFORMANCE.md).
//!
//! `CARE_TRAINER_BENCH_PG=postgres://care:care@127.0.0.1/care_test \
//!  cargo bench --no-default-features --bench central`
//!
//! - `central/50_recorders_10000_sessions`: 50 threads, each with its own connection, record
//!   200 sessions each (10,000 in all) into a fresh schema on loopback; after each run the store
//!   holds exactly 10,000 distinct sessions. The p50/p99 of one record are printed.
//!
//! Without `CARE_TRAINER_BENCH_PG` the benchmark says so and measures nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use care_trainer::explore::{Policy, play};
use care_trainer::profile::{Mode, NewSession, Store};
use care_trainer::scenario::Curriculum;
use criterion::{Criterion, criterion_group, criterion_main};

const RECORDERS: usize = 50;
const EACH: usize = 200;

fn bench(c: &mut Criterion) {
    let Ok(url) = std::env::var("CARE_TRAINER_BENCH_PG") else {
        eprintln!("central: set CARE_TRAINER_BENCH_PG=postgres://… (loopback) to run");
        return;
    };
    let cur = Curriculum::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .expect("curriculum");
    let sc = cur
        .scenario("th1_hai_long_ca_nhan")
        .expect("scenario")
        .clone();
    let card = Arc::new(play(sc, cur.rulebook.clone(), 7, Policy::Random));
    let key = std::env::temp_dir().join("care-trainer-bench-central");
    let mut group = c.benchmark_group("central");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    let mut run = 0;
    group.bench_function("50_recorders_10000_sessions", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                run += 1;
                let schema = format!("bench_{}_{run}", std::process::id());
                let setup = Store::connect_in(&url, Some(&schema), &key).expect("connect");
                for r in 0..RECORDERS {
                    setup
                        .add_trainee_at(&format!("NV{r:03}"), "Bench", Some("B"), 1)
                        .expect("trainee");
                }
                let start = Instant::now();
                let latencies: Vec<Duration> = std::thread::scope(|s| {
                    let workers: Vec<_> = (0..RECORDERS)
                        .map(|r| {
                            let (url, schema, key, card) = (&url, &schema, &key, card.clone());
                            s.spawn(move || {
                                let store = Store::connect_in(url, Some(schema), key).expect("c");
                                let log = card.choice_log();
                                let who = format!("NV{r:03}");
                                (0..EACH)
                                    .map(|i| {
                                        let t = Instant::now();
                                        store
                                            .record(&NewSession {
                                                employee_id: &who,
                                                mode: Mode::Practice,
                                                log: &log,
                                                card: &card,
                                                started_unix: i as i64,
                                                finished_unix: i as i64 + 60,
                                                registration: None,
                                            })
                                            .expect("record");
                                        t.elapsed()
                                    })
                                    .collect::<Vec<_>>()
                            })
                        })
                        .collect();
                    workers
                        .into_iter()
                        .flat_map(|w| w.join().expect("worker"))
                        .collect()
                });
                total += start.elapsed();
                assert_eq!(setup.session_count().expect("n"), (RECORDERS * EACH) as u64);
                let mut l = latencies;
                l.sort_unstable();
                let pct = |p: usize| l[(l.len() * p / 100).min(l.len() - 1)];
                eprintln!("central: one record p50 {:?}, p99 {:?}", pct(50), pct(99));
                setup
                    .execute_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                    .expect("drop");
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
