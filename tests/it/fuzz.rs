//! A fuzz loop for the loader on stable Rust: seeded byte and token mutations of the shipped
//! files go through `check`, and the ones that still validate through a bounded explore and bot
//! sessions (and one in 16 through the exhaustive explorer). Bounded in time: `CARE_TRAINER_FUZZ_SECS` (default 10; CI runs 60). Any panic fails
//! with the seed and mutation that reproduce it. docs/TESTING.md records what it found.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::{Duration, Instant};

use care_trainer::explore::{Policy, play};
use care_trainer::scenario::{Check, EMBEDDED};
use care_trainer::text::load::SourceFile;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Tokens a trainer (or a slip of the keyboard) can put anywhere.
const TOKENS: &[&str] = &[
    "[]",
    "()",
    "{}",
    ",",
    "\"",
    ")",
    "]",
    "nodes: [],",
    "choices: [],",
    "lines: [],",
    "steps: [],",
    "endings: [],",
    "-1",
    "0",
    "64",
    "65",
    "4294967295",
    "-2147483648",
    "99999999999999999999",
    "next: \"mo_dau\",",
    "when: Not(Always),",
    "when: All([]),",
    "when: Any([]),",
    "model: true,",
    "step: \"x\",",
    "{honorific",
    "{}",
    "\u{feff}",
    "\u{202e}",
    "ạ",
    "//",
    "/*",
];

fn mutate(src: &[u8], rng: &mut ChaCha8Rng) -> (Vec<u8>, String) {
    let mut b = src.to_vec();
    let mut what = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        if b.is_empty() {
            break;
        }
        let at = rng.random_range(0..b.len());
        match rng.random_range(0..8) {
            6 | 7 => {
                // Empty a random list (`nodes: []`, `choices: []`…) or drop a random item of it.
                let opens: Vec<usize> = (0..b.len()).filter(|&i| b[i] == b'[').collect();
                if opens.is_empty() {
                    continue;
                }
                let open = opens[rng.random_range(0..opens.len())];
                if let Some(close) = matching(&b, open) {
                    what.push(format!("empty the list at {open}"));
                    b.drain(open + 1..close);
                }
            }
            0 => {
                let v: u8 = rng.random();
                what.push(format!("byte {at} = {v:#04x}"));
                b[at] = v;
            }
            1 => {
                let n = rng.random_range(1..=64).min(b.len() - at);
                what.push(format!("delete {n} at {at}"));
                b.drain(at..at + n);
            }
            2 | 3 => {
                let t = TOKENS[rng.random_range(0..TOKENS.len())];
                what.push(format!("insert {t:?} at {at}"));
                b.splice(at..at, t.bytes());
            }
            4 => {
                // Duplicate a line.
                let start = b[..at]
                    .iter()
                    .rposition(|&c| c == b'\n')
                    .map_or(0, |i| i + 1);
                let end = b[at..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |i| at + i + 1);
                let line = b[start..end].to_vec();
                what.push(format!("duplicate line at {start}"));
                b.splice(end..end, line);
            }
            _ => {
                // Replace a number with another.
                let n = [0u32, 1, 63, 64, 100, 101, 255, 65_535, u32::MAX];
                let v = n[rng.random_range(0..n.len())].to_string();
                if b[at].is_ascii_digit() {
                    what.push(format!("number at {at} -> {v}"));
                    b.splice(at..at + 1, v.bytes());
                }
            }
        }
    }
    (b, what.join("; "))
}

/// The `]` closing the `[` at `open` (strings skipped).
fn matching(b: &[u8], open: usize) -> Option<usize> {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, &c) in b.iter().enumerate().skip(open) {
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return (c == b']').then_some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[test]
fn mutated_scenarios_never_panic() {
    let secs: u64 = std::env::var("CARE_TRAINER_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let files: Vec<(&str, &str)> = EMBEDDED
        .iter()
        .copied()
        .filter(|(n, _)| *n != "rulebook.ron")
        .collect();
    let mut failures = Vec::new();
    let (mut runs, mut valid) = (0u64, 0u64);
    let mut seed = 0u64;
    while Instant::now() < deadline && failures.len() < 5 {
        seed += 1;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (name, text) = files[rng.random_range(0..files.len())];
        let (bytes, what) = mutate(text.as_bytes(), &mut rng);
        runs += 1;
        let result = catch_unwind(AssertUnwindSafe(|| {
            let c = Check::run(
                None,
                vec![SourceFile {
                    path: format!("scenarios/{name}"),
                    bytes,
                }],
            );
            if let (Some(sc), Some(rb)) = (c.scenarios.first(), c.rulebook.as_ref()) {
                // The exhaustive walk on one valid mutant in 16: bounded, and never a panic.
                if seed.is_multiple_of(16) {
                    let e = care_trainer::explore::explore(sc, rb);
                    assert!(e.customers > 0);
                }
                for s in 0..5 {
                    for p in [Policy::Random, Policy::Best, Policy::Longest, Policy::Echo] {
                        let _ = play(Arc::clone(sc), Arc::clone(rb), s, p);
                    }
                }
                return true;
            }
            false
        }));
        match result {
            Ok(true) => valid += 1,
            Ok(false) => {}
            Err(_) => failures.push(format!("seed {seed}: {name}: {what}")),
        }
    }
    eprintln!(
        "fuzz: {runs} mutants in {secs} s, {valid} still valid, {} panics",
        failures.len()
    );
    assert!(failures.is_empty(), "panics:\n{}", failures.join("\n"));
}
