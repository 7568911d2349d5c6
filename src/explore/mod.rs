//! Bots and the exhaustive explorer.
//!
//! [`explore`] walks every path of a scenario (memoised on the full session state and running
//! tally, bounded in depth where loops exist) for every kind of customer the scenario can
//! generate, and reports reachable endings, dead ends, min/max grade and per-commitment ranges,
//! and the best and worst paths. [`Policy`] bots play single sessions.

mod validity;

pub use validity::{
    Branching, MIN_ENDINGS, MINOR_SLIP_MIN_PASS, NAIVE_MAX_PASS, NAIVE_RUNS, NAIVE_SEED, PassCount,
    Validity, explore_with_validity, session_seeds, validity,
};

use std::collections::HashMap;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::customer::{Customer, Plan};
use crate::dialogue::{Session, State, offered, step};
use crate::rulebook::MAX_COMMITMENTS;
use crate::rulebook::Rulebook;
use crate::scenario::cues;
use crate::scenario::model::{NodeIdx, ReasonIdx, Scenario, Text};
use crate::scoring::{Scorecard, Tally, score};

/// Longest path the explorer follows; a longer one is a loop and is cut.
pub const MAX_DEPTH: usize = 48;
/// Most states the explorer visits over all kinds of customer before it stops and reports the
/// exploration as truncated: a loop that changes mood or the clock on each turn multiplies paths
/// without end, and this bounds the time (a few seconds). Shared out evenly between the kinds, so
/// the result does not depend on how the threads ran; the largest shipped scenario needs 2.2 M.
pub const MAX_VISITS: u64 = 8_000_000;
/// The least a kind of customer gets of [`MAX_VISITS`], however many kinds there are.
const MIN_VISITS_PER_KIND: u64 = 100_000;
/// Most states the explorer remembers for one kind of customer; beyond it, it goes on without
/// remembering more, so memory stays bounded.
pub const MAX_MEMO: usize = 300_000;

/// A bot's way of choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Uniformly at random among the offered choices (seeded).
    Random,
    /// The model answer when offered, else the choice worth most right now.
    Best,
    /// The choice worth least right now (most violations, lowest scores).
    Worst,
    /// A test-wise trainee: the longest option on the screen.
    Longest,
    /// A test-wise trainee: the shortest option on the screen.
    Shortest,
    /// A test-wise trainee: the option with the most politeness markers (ties to the longer).
    Politest,
    /// A test-wise trainee: the option repeating most words of the customer's last line.
    Echo,
    /// A test-wise trainee: always option 1 of the order the screen shows.
    First,
}

impl Policy {
    /// Every policy, in the order reports list them.
    pub const ALL: [Policy; 8] = [
        Policy::Random,
        Policy::Best,
        Policy::Worst,
        Policy::Longest,
        Policy::Shortest,
        Policy::Politest,
        Policy::Echo,
        Policy::First,
    ];
    /// The naive test-wise bots: none of them may pass a balanced scenario.
    pub const NAIVE: [Policy; 6] = [
        Policy::Longest,
        Policy::Shortest,
        Policy::Politest,
        Policy::Echo,
        Policy::First,
        Policy::Random,
    ];

    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Random => "random",
            Policy::Best => "best",
            Policy::Worst => "worst",
            Policy::Longest => "longest",
            Policy::Shortest => "shortest",
            Policy::Politest => "politest",
            Policy::Echo => "echo",
            Policy::First => "first",
        }
    }

    /// Parses a name written by [`Policy::as_str`].
    pub fn parse(s: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The pick of a naive bot among the options shown, in the order shown (index into `shown`).
fn naive_pick(policy: Policy, shown: &[(usize, Text)], customer_line: Option<&Text>) -> usize {
    let len = |i: usize| shown[i].1.vi.chars().count();
    let all = 0..shown.len();
    // `max_by_key` keeps the last maximum; reversing keeps the first one shown.
    match policy {
        Policy::Longest => all.rev().max_by_key(|&i| len(i)).unwrap_or(0),
        Policy::Shortest => all.rev().min_by_key(|&i| len(i)).unwrap_or(0),
        Policy::Politest => all
            .rev()
            .max_by_key(|&i| (cues::politeness(&shown[i].1.vi), len(i)))
            .unwrap_or(0),
        Policy::Echo => {
            let said: std::collections::HashSet<String> = customer_line
                .map(|t| cues::words(&t.vi).into_iter().collect())
                .unwrap_or_default();
            all.rev()
                .max_by_key(|&i| {
                    let mut w = cues::words(&shown[i].1.vi);
                    w.sort_unstable();
                    w.dedup();
                    w.iter().filter(|x| said.contains(*x)).count()
                })
                .unwrap_or(0)
        }
        _ => 0,
    }
}

/// Immediate value of a choice, for the greedy bots.
fn value(rb: &Rulebook, sc: &Scenario, node: NodeIdx, ci: usize) -> i64 {
    let c = &sc.node(node).choices[ci];
    let points: i64 = c.scores.iter().map(|s| i64::from(s.1)).sum();
    let penalty: i64 = c
        .violations
        .iter()
        .map(|&v| i64::from(rb.penalties.of(rb.violation_kind(v).severity).grade))
        .sum();
    points * 10 - penalty * 10 + if c.model { 5 } else { 0 } + i64::from(c.step.is_some())
}

/// Applies choice `ci` to the state and adds what it earns to the running tally (the ending
/// too, when it ends the call): one step of every bot and of the explorer.
pub(crate) fn advance(
    sc: &Scenario,
    rb: &Rulebook,
    cu: &Customer,
    st: &mut State,
    tally: &mut Tally,
    ci: usize,
) {
    let node = st.node;
    let e = step(sc, rb, cu, st, ci);
    tally.add(rb, &sc.node(node).choices[ci], e.step, e.deadline_missed);
    if let crate::scenario::model::Target::End(end) = e.target {
        tally.ending = Some(end);
    }
}

/// The choice the best bot makes among `choices` (the model answer when offered).
pub(crate) fn best_pick(
    rb: &Rulebook,
    sc: &Scenario,
    node: NodeIdx,
    choices: &[usize],
) -> Option<usize> {
    choices
        .iter()
        .copied()
        .max_by_key(|&c| (value(rb, sc, node, c), std::cmp::Reverse(c)))
}

/// Plays one session with a bot. Loops are cut after [`MAX_DEPTH`] choices.
pub fn play(
    scenario: Arc<Scenario>,
    rulebook: Arc<Rulebook>,
    seed: u64,
    policy: Policy,
) -> Scorecard {
    let (mut session, _) = Session::start(scenario.clone(), rulebook.clone(), seed);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    for _ in 0..MAX_DEPTH {
        let choices: Vec<usize> = offered(&scenario, session.state(), session.customer()).collect();
        if choices.is_empty() {
            break;
        }
        let node = session.state().node;
        let pick = match policy {
            Policy::Longest
            | Policy::Shortest
            | Policy::Politest
            | Policy::Echo
            | Policy::First => {
                let shown = session.offered();
                let line = session.current_line();
                shown[naive_pick(policy, &shown, line.as_ref())].0
            }
            Policy::Random => choices[rng.random_range(0..choices.len())],
            Policy::Best => best_pick(&rulebook, &scenario, node, &choices).unwrap_or(choices[0]),
            Policy::Worst => *choices
                .iter()
                .min_by_key(|&&c| (value(&rulebook, &scenario, node, c), c))
                .unwrap_or(&choices[0]),
        };
        if session.choose_index(pick).is_err() {
            break;
        }
    }
    score(&session)
}

/// Counts the choices a random bot makes in one session, without building a scorecard (benchmarks).
pub fn play_fast(sc: &Scenario, rb: &Rulebook, seed: u64) -> (usize, u32) {
    let customer = Customer::generate(sc, seed);
    let mut st = State::initial(sc, &customer);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15);
    let mut tally = Tally::default();
    let mut n = 0;
    let mut buf = Vec::with_capacity(8);
    while st.ended.is_none() && n < MAX_DEPTH {
        buf.clear();
        buf.extend(offered(sc, &st, &customer));
        if buf.is_empty() {
            break;
        }
        let ci = buf[rng.random_range(0..buf.len())];
        advance(sc, rb, &customer, &mut st, &mut tally, ci);
        n += 1;
    }
    (n, tally.grade(rb, sc).grade)
}

/// A path with its grade.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathResult {
    /// Grade 0–100.
    pub grade: u32,
    /// Whether it passes.
    pub passed: bool,
    /// Choice ids, in order.
    pub choices: Vec<String>,
    /// Ids of the script steps the path performs.
    pub steps: Vec<String>,
    /// The customer it was played against (a short description).
    pub customer: String,
}

/// An ending and how many paths reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndingReach {
    /// Ending id.
    pub id: String,
    /// Outcome name.
    pub outcome: String,
    /// Paths that reach it (over all customer kinds).
    pub paths: u64,
}

/// The result of [`explore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exploration {
    /// Scenario id.
    pub scenario: String,
    /// Distinct paths walked, over all customer kinds.
    pub paths: u64,
    /// Customer kinds explored.
    pub customers: usize,
    /// Whether some path was cut at [`MAX_DEPTH`].
    pub truncated: bool,
    /// Reachable endings.
    pub endings: Vec<EndingReach>,
    /// Nodes reached where no choice is on offer (ids).
    pub dead_ends: Vec<String>,
    /// The best path for the hardest customer kind.
    pub best: PathResult,
    /// The worst path for the most forgiving customer kind.
    pub worst: PathResult,
    /// Per commitment: (id, min percent, max percent) over all paths.
    pub commitments: Vec<(String, u32, u32)>,
}

#[derive(Clone)]
struct Summary {
    paths: u64,
    best: (u32, bool, Path),
    worst: (u32, bool, Path),
    cmin: [u32; MAX_COMMITMENTS],
    cmax: [u32; MAX_COMMITMENTS],
    endings: Vec<u64>,
    dead_ends: Vec<NodeIdx>,
    truncated: bool,
}

struct Walker<'a> {
    sc: &'a Scenario,
    rb: &'a Rulebook,
    cu: &'a Customer,
    memo: HashMap<(State, Tally), Summary, foldhash::fast::RandomState>,
    visits: u64,
    budget: u64,
}

impl Walker<'_> {
    fn leaf(&self, tally: &Tally, dead: Option<NodeIdx>, truncated: bool) -> Summary {
        let g = tally.grade(self.rb, self.sc);
        let mut cmin = [u32::MAX; MAX_COMMITMENTS];
        let mut cmax = [0; MAX_COMMITMENTS];
        for i in 0..MAX_COMMITMENTS {
            if let Some(p) = g.percents[i] {
                cmin[i] = p;
                cmax[i] = p;
            }
        }
        let mut endings = vec![0; self.sc.endings.len()];
        if let Some(e) = tally.ending {
            endings[e.0 as usize] = 1;
        }
        Summary {
            paths: 1,
            best: (g.grade, g.passed, Path::default()),
            worst: (g.grade, g.passed, Path::default()),
            cmin,
            cmax,
            endings,
            dead_ends: dead.into_iter().collect(),
            truncated,
        }
    }

    fn walk(&mut self, st: State, tally: Tally, depth: usize) -> Summary {
        if st.ended.is_some() {
            return self.leaf(&tally, None, false);
        }
        if depth >= MAX_DEPTH || self.visits >= self.budget {
            return self.leaf(&tally, None, true);
        }
        if let Some(s) = self.memo.get(&(st, tally)) {
            return s.clone();
        }
        self.visits += 1;
        let choices: Vec<usize> = offered(self.sc, &st, self.cu).collect();
        if choices.is_empty() {
            let s = self.leaf(&tally, Some(st.node), false);
            self.remember(st, tally, &s);
            return s;
        }
        let mut acc: Option<Summary> = None;
        for ci in choices {
            let (mut next, mut t) = (st, tally);
            advance(self.sc, self.rb, self.cu, &mut next, &mut t, ci);
            let mut child = self.walk(next, t, depth + 1);
            child.best.2 = Path::cons((st.node, ci), child.best.2);
            child.worst.2 = Path::cons((st.node, ci), child.worst.2);
            acc = Some(match acc {
                None => child,
                Some(a) => merge(a, child),
            });
        }
        let s = acc.unwrap_or_else(|| self.leaf(&tally, Some(st.node), false));
        self.remember(st, tally, &s);
        s
    }

    fn remember(&mut self, st: State, tally: Tally, s: &Summary) {
        if self.memo.len() < MAX_MEMO {
            self.memo.insert((st, tally), s.clone());
        }
    }
}

fn better(a: &(u32, bool, Path), b: &(u32, bool, Path)) -> bool {
    (b.1, b.0) > (a.1, a.0)
}

fn merge(mut a: Summary, b: Summary) -> Summary {
    a.paths += b.paths;
    if better(&a.best, &b.best) {
        a.best = b.best;
    }
    if (b.worst.1, b.worst.0) < (a.worst.1, a.worst.0) {
        a.worst = b.worst;
    }
    for i in 0..MAX_COMMITMENTS {
        a.cmin[i] = a.cmin[i].min(b.cmin[i]);
        a.cmax[i] = a.cmax[i].max(b.cmax[i]);
    }
    for (x, y) in a.endings.iter_mut().zip(&b.endings) {
        *x += y;
    }
    for d in b.dead_ends {
        if !a.dead_ends.contains(&d) {
            a.dead_ends.push(d);
        }
    }
    a.truncated |= b.truncated;
    a
}

/// A path of choices as a shared list: prepending is O(1) and a summary's clone shares it.
#[derive(Clone, Default)]
struct Path(Option<Arc<(NodeIdx, usize, Path)>>);

impl Path {
    fn cons(step: (NodeIdx, usize), rest: Path) -> Path {
        Path(Some(Arc::new((step.0, step.1, rest))))
    }

    fn to_vec(&self) -> Vec<(NodeIdx, usize)> {
        let mut out = Vec::new();
        let mut at = &self.0;
        while let Some(link) = at {
            out.push((link.0, link.1));
            at = &link.2.0;
        }
        out
    }
}

/// The kinds of customer a scenario can generate, as far as its conditions can tell them apart:
/// every reason × plan × commitment status × (lowest, highest) mood and willingness.
pub fn customer_kinds(sc: &Scenario) -> Vec<Customer> {
    let base = Customer::generate(sc, 0);
    let reasons: Vec<Option<ReasonIdx>> = if sc.customer.reasons.is_empty() {
        vec![None]
    } else {
        (0..sc.customer.reasons.len())
            .filter(|&i| sc.customer.reasons[i].weight > 0)
            .map(|i| Some(ReasonIdx(i as u16)))
            .collect()
    };
    let plans: Vec<Plan> = match (sc.customer.postpaid, sc.segment) {
        (_, crate::scenario::Segment::Enterprise) | (100, _) => vec![Plan::Postpaid],
        (0, _) => vec![Plan::Prepaid],
        _ => vec![Plan::Prepaid, Plan::Postpaid],
    };
    let commits: Vec<bool> = match sc.customer.in_commitment {
        0 => vec![false],
        100 => vec![true],
        _ => vec![false, true],
    };
    let (m, w) = (sc.customer.mood, sc.customer.willingness);
    let temper = if m == (m.0, m.0) && w == (w.0, w.0) {
        vec![(m.0, w.0)]
    } else {
        vec![(m.0, w.0), (m.1, w.1)]
    };
    let mut out = Vec::new();
    for &reason in &reasons {
        for &plan in &plans {
            for &in_commitment in &commits {
                for &(mood, willingness) in &temper {
                    out.push(Customer {
                        reason,
                        plan,
                        in_commitment,
                        mood,
                        willingness,
                        ..base.clone()
                    });
                }
            }
        }
    }
    out
}

fn describe(sc: &Scenario, c: &Customer) -> String {
    let reason = c
        .reason
        .map_or("-", |r| sc.customer.reasons[usize::from(r.0)].id.as_str());
    format!(
        "reason={reason} plan={} commitment={} mood={} willingness={}",
        if c.plan == Plan::Postpaid {
            "postpaid"
        } else {
            "prepaid"
        },
        c.in_commitment,
        c.mood,
        c.willingness
    )
}

/// Walks every customer kind, on every core; the summaries come back in kind order, so the
/// result is the same however many threads ran.
fn walk_kinds(sc: &Scenario, rb: &Rulebook, kinds: &[Customer]) -> Vec<Option<Summary>> {
    let budget = (MAX_VISITS / kinds.len().max(1) as u64).max(MIN_VISITS_PER_KIND);
    let walk = |cu: &Customer| {
        let mut w = Walker {
            sc,
            rb,
            cu,
            memo: HashMap::with_capacity_and_hasher(
                1 << 16,
                foldhash::fast::RandomState::default(),
            ),
            visits: 0,
            budget,
        };
        w.walk(State::initial(sc, cu), Tally::default(), 0)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(kinds.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut summaries: Vec<Option<Summary>> = vec![None; kinds.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(cu) = kinds.get(k) else { break };
                        done.push((k, walk(cu)));
                    }
                    done
                })
            })
            .collect();
        for w in workers {
            match w.join() {
                Ok(done) => {
                    for (k, s) in done {
                        summaries[k] = Some(s);
                    }
                }
                Err(p) => std::panic::resume_unwind(p),
            }
        }
    });
    summaries
}

/// The kinds' summaries merged, with the hardest kind (lowest best) and the easiest (highest
/// worst) and their indices; none when no kind was walked.
fn fold(summaries: Vec<Option<Summary>>) -> Option<(Summary, (Summary, usize), (Summary, usize))> {
    let mut total: Option<(Summary, (Summary, usize), (Summary, usize))> = None;
    for (k, s) in summaries.into_iter().enumerate() {
        let Some(s) = s else { continue };
        total = Some(match total {
            None => (s.clone(), (s.clone(), k), (s, k)),
            Some((agg, hardest, easiest)) => {
                let hardest = if better(&s.best, &hardest.0.best) {
                    (s.clone(), k)
                } else {
                    hardest
                };
                let easiest = if (s.worst.1, s.worst.0) > (easiest.0.worst.1, easiest.0.worst.0) {
                    (s.clone(), k)
                } else {
                    easiest
                };
                (merge(agg, s), hardest, easiest)
            }
        });
    }
    total
}

/// Explores every path of a scenario for every customer kind.
pub fn explore(sc: &Scenario, rb: &Rulebook) -> Exploration {
    let kinds = customer_kinds(sc);
    let Some((agg, hardest, easiest)) = fold(walk_kinds(sc, rb, &kinds)) else {
        return Exploration {
            scenario: sc.id.clone(),
            paths: 0,
            customers: 0,
            truncated: false,
            endings: Vec::new(),
            dead_ends: Vec::new(),
            best: PathResult::default(),
            worst: PathResult::default(),
            commitments: Vec::new(),
        };
    };
    let ids = |p: &[(NodeIdx, usize)]| {
        p.iter()
            .map(|&(n, c)| sc.node(n).choices[c].id.clone())
            .collect::<Vec<_>>()
    };
    let steps = |p: &[(NodeIdx, usize)]| {
        let mut out: Vec<String> = Vec::new();
        for s in p.iter().filter_map(|&(n, c)| sc.node(n).choices[c].step) {
            let id = &sc.step(s).id;
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    };
    let n = rb.commitments.len().min(MAX_COMMITMENTS);
    Exploration {
        scenario: sc.id.clone(),
        paths: agg.paths,
        customers: kinds.len(),
        truncated: agg.truncated,
        endings: sc
            .endings
            .iter()
            .zip(&agg.endings)
            .filter(|(_, p)| **p > 0)
            .map(|(e, &p)| EndingReach {
                id: e.id.clone(),
                outcome: e.outcome.as_str().to_owned(),
                paths: p,
            })
            .collect(),
        dead_ends: agg
            .dead_ends
            .iter()
            .map(|&d| sc.node(d).id.clone())
            .collect(),
        best: PathResult {
            grade: hardest.0.best.0,
            passed: hardest.0.best.1,
            choices: ids(&hardest.0.best.2.to_vec()),
            steps: steps(&hardest.0.best.2.to_vec()),
            customer: describe(sc, &kinds[hardest.1]),
        },
        worst: PathResult {
            grade: easiest.0.worst.0,
            passed: easiest.0.worst.1,
            choices: ids(&easiest.0.worst.2.to_vec()),
            steps: steps(&easiest.0.worst.2.to_vec()),
            customer: describe(sc, &kinds[easiest.1]),
        },
        commitments: rb.commitments[..n]
            .iter()
            .enumerate()
            .filter(|(i, _)| agg.cmin[*i] != u32::MAX)
            .map(|(i, c)| (c.id.clone(), agg.cmin[i], agg.cmax[i]))
            .collect(),
    }
}
