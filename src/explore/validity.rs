//! Does the grade measure care skill? Naive test-wise bots, one-slip sessions, length and
//! politeness cues, and branching: `explore --json` reports them under `validity`, and the balance
//! rules (docs/scenario-format.md §5) bound them.

use std::sync::Arc;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Exploration, MAX_DEPTH, Policy, advance, best_pick, play};
use crate::customer::Customer;
use crate::dialogue::{State, offered};
use crate::rulebook::{Rulebook, Severity};
use crate::scenario::cues::{self, Cues};
use crate::scenario::model::Scenario;
use crate::scoring::Tally;
use crate::text::content_hash;

/// Sessions each naive bot plays in `explore`.
pub const NAIVE_RUNS: u32 = 2_000;
/// The master seed of those sessions.
pub const NAIVE_SEED: u64 = 1;

/// The seeds of a scenario's bot sessions: derived from the master seed and the scenario id
/// only, so adding another scenario to a run does not change them.
pub fn session_seeds(master: u64, scenario: &str, runs: u32) -> impl Iterator<Item = u64> {
    let id_hash = u64::from_str_radix(&content_hash(scenario.as_bytes()), 16).unwrap_or(0);
    let mut rng = ChaCha8Rng::seed_from_u64(master ^ id_hash);
    (0..runs).map(move |_| rng.next_u64())
}

/// How often a bot passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassCount {
    /// Sessions played.
    pub sessions: u32,
    /// Sessions passed.
    pub passed: u32,
}

impl PassCount {
    /// Share passed, 0–1 (0 when nothing was played).
    pub fn rate(self) -> f64 {
        if self.sessions == 0 {
            0.0
        } else {
            f64::from(self.passed) / f64::from(self.sessions)
        }
    }
}

/// Whether the choices change where the call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Branching {
    /// Nodes with two or more options.
    pub choice_points: usize,
    /// Of them, those where two options can lead to different places.
    pub with_consequences: usize,
    /// Different endings some path reaches.
    pub endings_reachable: usize,
}

/// The validity report of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Validity {
    /// Each naive bot of [`Policy::NAIVE`] over [`NAIVE_RUNS`] seeded sessions.
    pub naive: Vec<(Policy, PassCount)>,
    /// Model path with one non-critical wrong option.
    pub minor_slips: PassCount,
    /// Model path with one option that commits a critical violation.
    pub critical_slips: PassCount,
    /// Length and politeness cues.
    pub cues: Cues,
    /// Consequences and endings.
    pub branching: Branching,
}

/// Most a naive bot may pass, as a share of its sessions.
pub const NAIVE_MAX_PASS: f64 = 0.05;
/// Least share of minor-slip sessions that must pass.
pub const MINOR_SLIP_MIN_PASS: f64 = 0.80;
/// Fewest different endings a scenario must reach.
pub const MIN_ENDINGS: usize = 3;

impl Validity {
    /// Every balance rule this report breaks, in words (empty: it meets them all).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (p, c) in &self.naive {
            if c.rate() > NAIVE_MAX_PASS {
                out.push(format!(
                    "the `{}` bot passes {:.1}% of {} sessions (at most {:.0}%)",
                    p.as_str(),
                    c.rate() * 100.0,
                    c.sessions,
                    NAIVE_MAX_PASS * 100.0
                ));
            }
        }
        if self.minor_slips.sessions > 0 && self.minor_slips.rate() < MINOR_SLIP_MIN_PASS {
            out.push(format!(
                "one minor slip passes only {:.1}% of {} sessions (at least {:.0}%)",
                self.minor_slips.rate() * 100.0,
                self.minor_slips.sessions,
                MINOR_SLIP_MIN_PASS * 100.0
            ));
        }
        if self.critical_slips.passed > 0 {
            out.push(format!(
                "{} of {} critical-slip sessions pass (none may)",
                self.critical_slips.passed, self.critical_slips.sessions
            ));
        }
        let c = &self.cues;
        if c.model_longest > c.limit {
            out.push(format!(
                "the model is the longest option at {} of {} choice points (chance allows {})",
                c.model_longest, c.choice_points, c.limit
            ));
        }
        if c.model_shortest > c.limit {
            out.push(format!(
                "the model is the shortest option at {} of {} choice points (chance allows {})",
                c.model_shortest, c.choice_points, c.limit
            ));
        }
        if c.model_length_ratio_max > cues::MAX_MODEL_LENGTH_RATIO {
            out.push(format!(
                "a model answer is {:.2}× the mean length of the other options (at most {})",
                c.model_length_ratio_max,
                cues::MAX_MODEL_LENGTH_RATIO
            ));
        }
        let b = &self.branching;
        if b.with_consequences < cues::consequences_needed(b.choice_points) {
            out.push(format!(
                "choices change the course at {} of {} choice points (at least a third)",
                b.with_consequences, b.choice_points
            ));
        }
        if b.endings_reachable < MIN_ENDINGS {
            out.push(format!(
                "{} different endings are reachable (at least {MIN_ENDINGS})",
                b.endings_reachable
            ));
        }
        out
    }
}

/// Plays from `st` with model answers to the end; whether the session passes.
fn finish_with_model(
    sc: &Scenario,
    rb: &Rulebook,
    cu: &Customer,
    mut st: State,
    mut tally: Tally,
    mut depth: usize,
) -> bool {
    let mut buf = Vec::with_capacity(8);
    while st.ended.is_none() && depth < MAX_DEPTH {
        buf.clear();
        buf.extend(offered(sc, &st, cu));
        let Some(ci) = best_pick(rb, sc, st.node, &buf) else {
            break;
        };
        advance(sc, rb, cu, &mut st, &mut tally, ci);
        depth += 1;
    }
    tally.grade(rb, sc).passed
}

/// One-slip sessions for every customer kind: (minor, critical).
fn slips(sc: &Scenario, rb: &Rulebook) -> (PassCount, PassCount) {
    let mut minor = PassCount {
        sessions: 0,
        passed: 0,
    };
    let mut critical = minor;
    for cu in super::customer_kinds(sc) {
        let mut st = State::initial(sc, &cu);
        let mut tally = Tally::default();
        let mut buf = Vec::with_capacity(8);
        for depth in 0..MAX_DEPTH {
            if st.ended.is_some() {
                break;
            }
            buf.clear();
            buf.extend(offered(sc, &st, &cu));
            let Some(model) = best_pick(rb, sc, st.node, &buf) else {
                break;
            };
            for &other in buf.iter().filter(|&&c| c != model) {
                let choice = &sc.node(st.node).choices[other];
                let is_critical = choice
                    .violations
                    .iter()
                    .any(|&v| rb.violation_kind(v).severity == Severity::Critical);
                let (mut s, mut t) = (st, tally);
                advance(sc, rb, &cu, &mut s, &mut t, other);
                let passed = finish_with_model(sc, rb, &cu, s, t, depth + 1);
                let slot = if is_critical {
                    &mut critical
                } else {
                    &mut minor
                };
                slot.sessions += 1;
                slot.passed += u32::from(passed);
            }
            advance(sc, rb, &cu, &mut st, &mut tally, model);
        }
    }
    (minor, critical)
}

/// The validity report of a scenario whose exploration is `e`.
pub fn validity(sc: &Arc<Scenario>, rb: &Arc<Rulebook>, e: &Exploration) -> Validity {
    validity_reaching(sc, rb, e.endings.len())
}

/// The exploration and the validity report, computed on two threads (what `explore` prints).
pub fn explore_with_validity(sc: &Arc<Scenario>, rb: &Arc<Rulebook>) -> (Exploration, Validity) {
    std::thread::scope(|s| {
        let bots = s.spawn(|| validity_reaching(sc, rb, 0));
        let e = super::explore(sc, rb);
        let mut v = bots.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        v.branching.endings_reachable = e.endings.len();
        (e, v)
    })
}

/// The validity report, given how many endings the exploration reached.
fn validity_reaching(sc: &Arc<Scenario>, rb: &Arc<Rulebook>, endings: usize) -> Validity {
    let naive = Policy::NAIVE
        .iter()
        .map(|&p| {
            let mut c = PassCount {
                sessions: 0,
                passed: 0,
            };
            for seed in session_seeds(NAIVE_SEED, &sc.id, NAIVE_RUNS) {
                c.sessions += 1;
                c.passed += u32::from(play(sc.clone(), rb.clone(), seed, p).passed);
            }
            (p, c)
        })
        .collect();
    let (minor_slips, critical_slips) = slips(sc, rb);
    let points = cues::choice_points(sc);
    let nodes = cues::branching(sc);
    Validity {
        naive,
        minor_slips,
        critical_slips,
        cues: cues::cues(&points),
        branching: Branching {
            choice_points: nodes.len(),
            with_consequences: nodes.iter().filter(|n| n.consequences).count(),
            endings_reachable: endings,
        },
    }
}
