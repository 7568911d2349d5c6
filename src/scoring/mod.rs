//! Scoring: a finished (or stopped) session → a [`Scorecard`]: per-commitment scores (absolute
//! and relative to the best reachable), script steps done / out of order / missed, violations by
//! severity, outcome, a grade 0–100, pass or fail, and a debrief of every choice.
//!
//! The scorecard is a pure function of (rulebook, scenario, seed, choices): [`replay`] re-derives
//! it from a [`ChoiceLog`]. [`Tally`] is the running total that the explorer shares.

use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Value, json};
use thiserror::Error;

use crate::dialogue::{DialogueError, Session, Turn};
use crate::rulebook::{MAX_COMMITMENTS, Rulebook, Severity, ViolationIdx};
use crate::scenario::model::{Choice, EndingIdx, Lang, Outcome, Scenario, Text};
use crate::text::Ui;

/// Running totals along a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Tally {
    /// Commitment points earned, minus violation penalties.
    pub points: [i32; MAX_COMMITMENTS],
    /// Steps done (bits).
    pub steps_done: u64,
    /// Steps first done out of order (bits).
    pub steps_out_of_order: u64,
    /// Grade points lost to violations.
    pub penalty: u32,
    /// Number of critical violations.
    pub critical: u16,
    /// The ending reached.
    pub ending: Option<EndingIdx>,
}

impl Tally {
    /// Adds one choice's earnings; `step` is the step performed and whether in order,
    /// `deadline` whether this choice missed the passive-MNP deadline.
    pub fn add(
        &mut self,
        rb: &Rulebook,
        choice: &Choice,
        step: Option<(crate::scenario::model::StepIdx, bool)>,
        deadline: bool,
    ) {
        for (c, d) in &choice.scores {
            if let Some(p) = self.points.get_mut(usize::from(c.0)) {
                *p += d;
            }
        }
        for &v in &choice.violations {
            self.violate(rb, v);
        }
        if deadline {
            self.violate(rb, rb.deadlines.passive_mnp_violation);
        }
        if let Some((s, in_order)) = step {
            let bit = 1u64 << s.0;
            if self.steps_done & bit == 0 {
                self.steps_done |= bit;
                if !in_order {
                    self.steps_out_of_order |= bit;
                }
            }
        }
    }

    fn violate(&mut self, rb: &Rulebook, v: ViolationIdx) {
        let kind = rb.violation_kind(v);
        let p = rb.penalties.of(kind.severity);
        self.penalty += p.grade;
        if let Some(x) = self.points.get_mut(usize::from(kind.commitment.0)) {
            *x -= p.commitment as i32;
        }
        if kind.severity == Severity::Critical {
            self.critical += 1;
        }
    }

    /// The grade, pass/fail and per-commitment percentages.
    pub fn grade(&self, rb: &Rulebook, sc: &Scenario) -> Grade {
        let n = rb.commitments.len().min(MAX_COMMITMENTS);
        let mut percents = [None; MAX_COMMITMENTS];
        let (mut sum, mut count) = (0.0, 0u32);
        for (i, slot) in percents.iter_mut().enumerate().take(n) {
            let best = sc.commitment_max.get(i).copied().unwrap_or(0);
            if best > 0 {
                let r = (f64::from(self.points[i]) / f64::from(best)).clamp(0.0, 1.0);
                *slot = Some((r * 100.0).round() as u32);
                sum += r;
                count += 1;
            }
        }
        let commitments = if count == 0 {
            1.0
        } else {
            sum / f64::from(count)
        };
        let (mut req, mut got) = (0u32, 0.0);
        for (i, s) in sc.steps.iter().enumerate() {
            if !s.required {
                continue;
            }
            req += 1;
            let bit = 1u64 << i;
            if self.steps_done & bit != 0 {
                got += if self.steps_out_of_order & bit != 0 {
                    0.5
                } else {
                    1.0
                };
            }
        }
        let steps = if req == 0 { 1.0 } else { got / f64::from(req) };
        let outcome = self
            .ending
            .map_or(0.0, |e| f64::from(sc.ending(e).score) / 100.0);
        let w = rb.weights;
        let raw = f64::from(w.commitments) * commitments
            + f64::from(w.steps) * steps
            + f64::from(w.outcome) * outcome
            - f64::from(self.penalty);
        let mut grade = raw.round().clamp(0.0, 100.0) as u32;
        if self.critical > 0 {
            grade = grade.min(rb.penalties.critical_cap);
        }
        let weak = percents
            .iter()
            .take(n)
            .flatten()
            .filter(|&&p| p < rb.pass.per_commitment)
            .count();
        let passed = self.ending.is_some()
            && self.critical == 0
            && grade >= rb.pass.overall
            && weak <= rb.pass.weak_commitments_allowed as usize;
        Grade {
            grade,
            passed,
            percents,
            commitments_part: commitments,
            steps_part: steps,
            outcome_part: outcome,
        }
    }
}

/// The result of [`Tally::grade`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grade {
    /// 0–100.
    pub grade: u32,
    /// Against the rulebook's pass marks.
    pub passed: bool,
    /// Per commitment, percent of the best reachable (`None`: not scored by this scenario).
    pub percents: [Option<u32>; MAX_COMMITMENTS],
    /// Share of the commitment part earned, 0–1.
    pub commitments_part: f64,
    /// Share of the steps part earned, 0–1.
    pub steps_part: f64,
    /// Share of the outcome part earned, 0–1.
    pub outcome_part: f64,
}

/// A commitment's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentScore {
    /// `CK1`…
    pub id: String,
    /// Title.
    pub title: Text,
    /// Points earned, after violation penalties.
    pub earned: i32,
    /// The best reachable in this scenario.
    pub best: i32,
    /// Percent of the best (`None`: the scenario does not score it).
    pub percent: Option<u32>,
}

/// How a script step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// Done, in order.
    Done,
    /// Done, but after a later step.
    OutOfOrder,
    /// Not done.
    Missed,
}

impl StepStatus {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Done => "done",
            StepStatus::OutOfOrder => "out_of_order",
            StepStatus::Missed => "missed",
        }
    }
}

/// A step's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// Step id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Whether missing it costs.
    pub required: bool,
    /// How it went.
    pub status: StepStatus,
}

/// A violation committed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViolationRecord {
    /// Violation id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Severity.
    pub severity: Severity,
    /// The commitment it breaks.
    pub commitment: String,
    /// 1-based turn.
    pub turn: usize,
}

/// One choice in the debrief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebriefItem {
    /// 1-based turn.
    pub turn: usize,
    /// Node id.
    pub node: String,
    /// What the customer said.
    pub said: Text,
    /// Choice id.
    pub choice: String,
    /// What the trainee said (filled).
    pub answer: Text,
    /// Whether it was the model answer.
    pub model: bool,
    /// Commitment deltas earned.
    pub earned: Vec<(String, i32)>,
    /// Step performed.
    pub step: Option<String>,
    /// Violations committed.
    pub violations: Vec<String>,
    /// Why it was right or wrong.
    pub feedback: Text,
    /// The model answer, when the trainee missed it: (choice id, filled text).
    pub model_answer: Option<(String, Text)>,
    /// The legal grounds the feedback rests on: each cited porting condition with its source.
    pub grounds: Vec<Text>,
}

/// The scorecard of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    /// Scenario id.
    pub scenario: String,
    /// Scenario content hash.
    pub scenario_hash: String,
    /// Rulebook hash.
    pub rulebook_hash: String,
    /// Seed.
    pub seed: u64,
    /// 0–100.
    pub grade: u32,
    /// Pass or fail.
    pub passed: bool,
    /// Outcome.
    pub outcome: Outcome,
    /// Ending id.
    pub ending: Option<String>,
    /// Per commitment.
    pub commitments: Vec<CommitmentScore>,
    /// Per step.
    pub steps: Vec<StepResult>,
    /// Violations.
    pub violations: Vec<ViolationRecord>,
    /// Each choice.
    pub debrief: Vec<DebriefItem>,
    /// Simulated minutes used.
    pub minutes: u32,
    /// Grade parts (commitments, steps, outcome shares 0–1) and penalty points.
    pub parts: (f64, f64, f64, u32),
}

impl Scorecard {
    /// The choice log that replays this scorecard: its debrief lists every choice made, in order.
    pub fn choice_log(&self) -> ChoiceLog {
        ChoiceLog {
            scenario: self.scenario.clone(),
            scenario_hash: self.scenario_hash.clone(),
            rulebook_hash: self.rulebook_hash.clone(),
            seed: self.seed,
            choices: self.debrief.iter().map(|d| d.choice.clone()).collect(),
        }
    }

    /// Number of critical violations.
    pub fn critical_count(&self) -> usize {
        self.violations
            .iter()
            .filter(|v| v.severity == Severity::Critical)
            .count()
    }

    /// Percent on a commitment, by id.
    pub fn percent(&self, id: &str) -> Option<u32> {
        self.commitments
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.percent)
    }
}

/// Scores a session (finished or not: an unfinished one is `Abandoned` and fails).
pub fn score(session: &Session) -> Scorecard {
    let sc = session.scenario();
    let rb = session.rulebook();
    let mut tally = Tally::default();
    for t in session.turns() {
        let choice = &sc.node(t.node).choices[t.choice];
        let deadline = t.violations.len() > choice.violations.len();
        tally.add(rb, choice, t.step, deadline);
    }
    tally.ending = session.state().ended;
    let g = tally.grade(rb, sc);
    let commitments = rb
        .commitments
        .iter()
        .enumerate()
        .take(MAX_COMMITMENTS)
        .map(|(i, c)| CommitmentScore {
            id: c.id.clone(),
            title: c.title.clone(),
            earned: tally.points[i],
            best: sc.commitment_max.get(i).copied().unwrap_or(0),
            percent: g.percents[i],
        })
        .collect();
    let steps = sc
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let bit = 1u64 << i;
            StepResult {
                id: s.id.clone(),
                title: s.title.clone(),
                required: s.required,
                status: if tally.steps_done & bit == 0 {
                    StepStatus::Missed
                } else if tally.steps_out_of_order & bit != 0 {
                    StepStatus::OutOfOrder
                } else {
                    StepStatus::Done
                },
            }
        })
        .collect();
    let mut violations = Vec::new();
    let mut debrief = Vec::new();
    for (i, t) in session.turns().iter().enumerate() {
        for &v in &t.violations {
            let k = rb.violation_kind(v);
            violations.push(ViolationRecord {
                id: k.id.clone(),
                title: k.title.clone(),
                severity: k.severity,
                commitment: rb.commitments[usize::from(k.commitment.0)].id.clone(),
                turn: i + 1,
            });
        }
        debrief.push(debrief_item(session, rb, sc, t, i + 1));
    }
    let ending = tally.ending.map(|e| sc.ending(e));
    Scorecard {
        scenario: sc.id.clone(),
        scenario_hash: sc.content_hash.clone(),
        rulebook_hash: rb.hash.clone(),
        seed: session.seed(),
        grade: g.grade,
        passed: g.passed,
        outcome: ending.map_or(Outcome::Abandoned, |e| e.outcome),
        ending: ending.map(|e| e.id.clone()),
        commitments,
        steps,
        violations,
        debrief,
        minutes: session.state().clock,
        parts: (
            g.commitments_part,
            g.steps_part,
            g.outcome_part,
            tally.penalty,
        ),
    }
}

/// The model answer among the choices offered at a turn: the first marked `model`, else the one
/// with the highest total score.
pub fn model_choice(sc: &Scenario, t: &Turn) -> Option<usize> {
    let node = sc.node(t.node);
    t.offered
        .iter()
        .copied()
        .find(|&i| node.choices[i].model)
        .or_else(|| {
            t.offered.iter().copied().max_by_key(|&i| {
                (
                    node.choices[i].scores.iter().map(|s| s.1).sum::<i32>(),
                    std::cmp::Reverse(i),
                )
            })
        })
}

fn debrief_item(
    session: &Session,
    rb: &Rulebook,
    sc: &Scenario,
    t: &Turn,
    turn: usize,
) -> DebriefItem {
    let node = sc.node(t.node);
    let choice = &node.choices[t.choice];
    let model = model_choice(sc, t);
    let model_answer = model.filter(|&m| m != t.choice).map(|m| {
        (
            node.choices[m].id.clone(),
            session.fill(&node.choices[m].text),
        )
    });
    DebriefItem {
        turn,
        node: node.id.clone(),
        said: t.said.clone(),
        choice: choice.id.clone(),
        answer: session.fill(&choice.text),
        model: model_answer.is_none(),
        earned: choice
            .scores
            .iter()
            .map(|(c, d)| (rb.commitments[usize::from(c.0)].id.clone(), *d))
            .collect(),
        step: t.step.map(|(s, _)| sc.step(s).id.clone()),
        violations: t
            .violations
            .iter()
            .map(|&v| rb.violation_kind(v).id.clone())
            .collect(),
        feedback: session.fill(&choice.feedback),
        model_answer,
        grounds: grounds(rb, choice),
    }
}

/// A choice's cited porting conditions, each as "condition (source)".
pub fn grounds(rb: &Rulebook, choice: &Choice) -> Vec<Text> {
    let law = &rb.porting;
    choice
        .cites
        .iter()
        .filter_map(|&i| law.conditions.get(usize::from(i)))
        .map(|c| Text {
            vi: format!("{} ({})", c.text.vi, law.source.vi),
            en: format!("{} ({})", c.text.get(Lang::En), law.source.get(Lang::En)),
        })
        .collect()
}

/// What a stored session keeps to be replayed and re-scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChoiceLog {
    /// Scenario id.
    pub scenario: String,
    /// Scenario content hash when played.
    pub scenario_hash: String,
    /// Rulebook hash when played.
    pub rulebook_hash: String,
    /// Seed.
    pub seed: u64,
    /// Choice ids, in order.
    pub choices: Vec<String>,
}

impl ChoiceLog {
    /// The log of a session.
    pub fn of(session: &Session) -> ChoiceLog {
        let sc = session.scenario();
        ChoiceLog {
            scenario: sc.id.clone(),
            scenario_hash: sc.content_hash.clone(),
            rulebook_hash: session.rulebook().hash.clone(),
            seed: session.seed(),
            choices: session
                .turns()
                .iter()
                .map(|t| sc.node(t.node).choices[t.choice].id.clone())
                .collect(),
        }
    }

    /// As JSON text.
    pub fn to_json(&self) -> String {
        json!({
            "scenario": self.scenario,
            "scenario_hash": self.scenario_hash,
            "rulebook_hash": self.rulebook_hash,
            "seed": self.seed,
            "choices": self.choices,
        })
        .to_string()
    }

    /// From JSON text.
    pub fn from_json(s: &str) -> Result<ChoiceLog, ReplayError> {
        let v: Value = serde_json::from_str(s).map_err(|e| ReplayError::BadLog(e.to_string()))?;
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ReplayError::BadLog(format!("missing `{k}`")))
        };
        Ok(ChoiceLog {
            scenario: text("scenario")?,
            scenario_hash: text("scenario_hash")?,
            rulebook_hash: text("rulebook_hash")?,
            seed: v
                .get("seed")
                .and_then(Value::as_u64)
                .ok_or_else(|| ReplayError::BadLog("missing `seed`".into()))?,
            choices: v
                .get("choices")
                .and_then(Value::as_array)
                .ok_or_else(|| ReplayError::BadLog("missing `choices`".into()))?
                .iter()
                .map(|c| {
                    c.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| ReplayError::BadLog("a choice is not text".into()))
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Why a replay failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// A logged choice is not possible at that point (the scenario changed, or the log was edited).
    #[error("turn {turn}: {source}")]
    Choice {
        /// 1-based turn.
        turn: usize,
        /// What the dialogue said.
        source: DialogueError,
    },
    /// The log cannot be read.
    #[error("the choice log cannot be read: {0}")]
    BadLog(String),
}

/// Replays a choice log and scores it.
pub fn replay(
    scenario: Arc<Scenario>,
    rulebook: Arc<Rulebook>,
    seed: u64,
    choices: &[String],
) -> Result<(Session, Scorecard), ReplayError> {
    let (mut session, _) = Session::start(scenario, rulebook, seed);
    for (i, c) in choices.iter().enumerate() {
        session.choose(c).map_err(|source| ReplayError::Choice {
            turn: i + 1,
            source,
        })?;
    }
    let card = score(&session);
    Ok((session, card))
}

impl Scorecard {
    /// The debrief as text (terminal preview, golden tests).
    pub fn render(&self, rb: &Rulebook, lang: Lang) -> String {
        let mut o = String::new();
        let _ = writeln!(o, "=== {} ===", Ui::new("KẾT QUẢ", "DEBRIEF").get(lang));
        let _ = writeln!(
            o,
            "{}: {}/100 — {}",
            Ui::new("Điểm", "Grade").get(lang),
            self.grade,
            if self.passed {
                Ui::new("ĐẠT", "PASS").get(lang)
            } else {
                Ui::new("CHƯA ĐẠT", "FAIL").get(lang)
            }
        );
        let _ = writeln!(
            o,
            "{}: {}",
            Ui::new("Kết cục", "Outcome").get(lang),
            self.outcome.label().get(lang)
        );
        let _ = writeln!(
            o,
            "{}: {} {}",
            Ui::new("Thời gian mô phỏng", "Simulated time").get(lang),
            self.minutes,
            Ui::new("phút", "min").get(lang)
        );
        let _ = writeln!(
            o,
            "-- {} --",
            Ui::new("8 cam kết", "The 8 commitments").get(lang)
        );
        for c in &self.commitments {
            match c.percent {
                Some(p) => {
                    let bar = "#".repeat((p / 10) as usize);
                    let _ = writeln!(
                        o,
                        "{:<4} {:<10} {:>3}%  ({}/{}) {}",
                        c.id,
                        bar,
                        p,
                        c.earned,
                        c.best,
                        c.title.get(lang)
                    );
                }
                None => {
                    let _ = writeln!(o, "{:<4} {:<10}  —    {}", c.id, "", c.title.get(lang));
                }
            }
        }
        let _ = writeln!(
            o,
            "-- {} --",
            Ui::new("Các bước kịch bản", "Script steps").get(lang)
        );
        for s in &self.steps {
            let mark = match s.status {
                StepStatus::Done => "[x]",
                StepStatus::OutOfOrder => "[~]",
                StepStatus::Missed => "[ ]",
            };
            let req = if s.required {
                ""
            } else {
                Ui::new(" (tùy chọn)", " (optional)").get(lang)
            };
            let _ = writeln!(o, "{mark} {}{req}", s.title.get(lang));
        }
        if !self.violations.is_empty() {
            let _ = writeln!(o, "-- {} --", Ui::new("Vi phạm", "Violations").get(lang));
            for v in &self.violations {
                let _ = writeln!(
                    o,
                    "! [{}] {} ({}, {} {})",
                    v.severity.label().get(lang),
                    v.title.get(lang),
                    v.commitment,
                    Ui::new("lượt", "turn").get(lang),
                    v.turn
                );
            }
        }
        self.render_choices(&mut o, lang);
        let _ = rb;
        o
    }

    /// The debrief's "each choice" section: answer, points, feedback, legal basis, model answer.
    fn render_choices(&self, o: &mut String, lang: Lang) {
        let _ = writeln!(
            o,
            "-- {} --",
            Ui::new("Từng lựa chọn", "Each choice").get(lang)
        );
        for d in &self.debrief {
            let earned: Vec<String> = d.earned.iter().map(|(c, v)| format!("{c} {v:+}")).collect();
            let _ = writeln!(
                o,
                "{}. {} {}",
                d.turn,
                if d.model { "✓" } else { "✗" },
                d.answer.get(lang)
            );
            if !earned.is_empty() {
                let _ = writeln!(o, "   {}", earned.join(", "));
            }
            let _ = writeln!(o, "   → {}", d.feedback.get(lang));
            for g in &d.grounds {
                let _ = writeln!(
                    o,
                    "   {}: {}",
                    Ui::new("Căn cứ", "Legal basis").get(lang),
                    g.get(lang)
                );
            }
            if let Some((_, m)) = &d.model_answer {
                let _ = writeln!(
                    o,
                    "   {}: {}",
                    Ui::new("Câu mẫu", "Model answer").get(lang),
                    m.get(lang)
                );
            }
        }
    }

    /// The scorecard as JSON (for `--json` outputs and stores).
    pub fn to_json(&self) -> Value {
        json!({
            "scenario": self.scenario,
            "scenario_hash": self.scenario_hash,
            "rulebook_hash": self.rulebook_hash,
            "seed": self.seed,
            "grade": self.grade,
            "passed": self.passed,
            "outcome": self.outcome.as_str(),
            "ending": self.ending,
            "minutes": self.minutes,
            "commitments": self.commitments.iter().map(|c| json!({"id": c.id, "earned": c.earned, "best": c.best, "percent": c.percent})).collect::<Vec<_>>(),
            "steps": self.steps.iter().map(|s| json!({"id": s.id, "required": s.required, "status": s.status.as_str()})).collect::<Vec<_>>(),
            "violations": self.violations.iter().map(|v| json!({"id": v.id, "severity": format!("{:?}", v.severity), "commitment": v.commitment, "turn": v.turn})).collect::<Vec<_>>(),
            "choices": self.debrief.iter().map(|d| d.choice.clone()).collect::<Vec<_>>(),
        })
    }
}
