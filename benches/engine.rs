//! Engine benchmarks (docs/PERFORMANCE.md): random-bot sessions per second on each shipped
//! scenario (and so simulated choices per second on one core), full scorecards, and the explorer.

use std::hint::black_box;
use std::path::Path;

use care_trainer::explore::{Policy, explore, explore_with_validity, play, play_fast};
use care_trainer::scenario::Curriculum;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Sessions per measured iteration.
const SESSIONS: u64 = 1_000;

fn curriculum() -> Curriculum {
    Curriculum::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .unwrap_or_else(|d| panic!("curriculum: {d:?}"))
}

fn random_bot(c: &mut Criterion) {
    let cur = curriculum();
    let mut g = c.benchmark_group("random_bot_choices");
    for sc in &cur.scenarios {
        // Throughput in simulated choices: count them once for this batch of seeds.
        let choices: u64 = (0..SESSIONS)
            .map(|s| play_fast(sc, &cur.rulebook, s).0 as u64)
            .sum();
        g.throughput(Throughput::Elements(choices));
        g.bench_with_input(BenchmarkId::from_parameter(&sc.id), sc, |b, sc| {
            b.iter(|| {
                for seed in 0..SESSIONS {
                    black_box(play_fast(sc, &cur.rulebook, black_box(seed)));
                }
            });
        });
    }
    g.finish();
}

fn scored_sessions(c: &mut Criterion) {
    let cur = curriculum();
    let mut g = c.benchmark_group("session_with_scorecard");
    g.throughput(Throughput::Elements(1));
    for sc in cur.scenarios.iter().take(3) {
        g.bench_with_input(BenchmarkId::from_parameter(&sc.id), sc, |b, sc| {
            let mut seed = 0;
            b.iter(|| {
                seed += 1;
                black_box(play(sc.clone(), cur.rulebook.clone(), seed, Policy::Random))
            });
        });
    }
    g.finish();
}

fn explorer(c: &mut Criterion) {
    let cur = curriculum();
    let mut g = c.benchmark_group("explore");
    g.sample_size(10);
    for sc in &cur.scenarios {
        g.bench_with_input(BenchmarkId::from_parameter(&sc.id), sc, |b, sc| {
            b.iter(|| black_box(explore(sc, &cur.rulebook)))
        });
    }
    g.finish();
}

/// What `explore SCENARIO` computes: the exhaustive walk and the validity report (12,000 naive-bot
/// sessions, the one-slip sessions, cues), on all cores.
fn explorer_with_validity(c: &mut Criterion) {
    let cur = curriculum();
    let mut g = c.benchmark_group("explore_with_validity");
    g.sample_size(10);
    for sc in &cur.scenarios {
        g.bench_with_input(BenchmarkId::from_parameter(&sc.id), sc, |b, sc| {
            b.iter(|| black_box(explore_with_validity(sc, &cur.rulebook)))
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    random_bot,
    scored_sessions,
    explorer,
    explorer_with_validity
);
criterion_main!(benches);
