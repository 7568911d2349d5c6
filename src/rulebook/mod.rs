//! The rulebook: the 8 commitments (8 cam kết), the kinds of violation and their severities,
//! the scoring weights, pass marks, deadlines and escalation routes.
//!
//! Main types: [`Rulebook`] (validated) built from `scenarios/rulebook.ron` by [`Rulebook::parse`].

use std::collections::HashSet;

use serde::Deserialize;

use crate::text::diagnostic::{Code, Diagnostic, Locator};
use crate::text::load::parse_ron;
use crate::text::{Text, Ui, content_hash};

/// Most commitments a rulebook may have (the scorer's tally uses fixed arrays of this size).
pub const MAX_COMMITMENTS: usize = 16;

/// Index of a commitment in [`Rulebook::commitments`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CommitmentIdx(pub u8);

/// Index of a violation kind in [`Rulebook::violations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ViolationIdx(pub u16);

/// One of the 8 commitments.
#[derive(Debug, Clone)]
pub struct Commitment {
    /// `CK1` … `CK8`.
    pub id: String,
    /// Short title (e.g. "Xin lỗi" / "Apologise").
    pub title: Text,
    /// The full wording of the commitment.
    pub text: Text,
}

/// How serious a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum Severity {
    /// Costs a few points.
    Minor,
    /// Costs many points.
    Major,
    /// Fails the attempt whatever the total.
    Critical,
}

impl Severity {
    /// Vietnamese and English label.
    pub fn label(self) -> Ui {
        match self {
            Severity::Minor => Ui::new("nhẹ", "minor"),
            Severity::Major => Ui::new("nặng", "major"),
            Severity::Critical => Ui::new("nghiêm trọng", "critical"),
        }
    }
}

/// A kind of mistake the rulebook names.
#[derive(Debug, Clone)]
pub struct ViolationKind {
    /// Stable id, e.g. `cau_hoi_goi_y_phan_nan`.
    pub id: String,
    /// What the mistake is.
    pub title: Text,
    /// How serious it is.
    pub severity: Severity,
    /// The commitment it breaks.
    pub commitment: CommitmentIdx,
    /// The playbook or legal rule it cites.
    pub rule: String,
}

/// Share of the grade from each part; they sum to 100.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Points for the commitments (mean of the per-commitment percentages).
    pub commitments: u32,
    /// Points for the required script steps done in order.
    pub steps: u32,
    /// Points for the ending's outcome.
    pub outcome: u32,
}

/// Points a violation costs.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    /// Grade points taken off.
    pub grade: u32,
    /// Points taken off the commitment it breaks.
    pub commitment: u32,
}

/// Penalties by severity.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalties {
    /// For a minor violation.
    pub minor: Penalty,
    /// For a major violation.
    pub major: Penalty,
    /// For a critical violation.
    pub critical: Penalty,
    /// The highest grade an attempt with a critical violation can get.
    pub critical_cap: u32,
}

impl Penalties {
    /// The penalty for a severity.
    pub fn of(&self, s: Severity) -> Penalty {
        match s {
            Severity::Minor => self.minor,
            Severity::Major => self.major,
            Severity::Critical => self.critical,
        }
    }
}

/// Pass marks.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassMarks {
    /// Minimum overall grade, 0–100.
    pub overall: u32,
    /// Minimum percentage on each commitment the scenario scores (also the mastery level).
    pub per_commitment: u32,
    /// How many scored commitments one session may leave below `per_commitment` and still pass:
    /// one weak commitment is a slip, more are a pattern. Absent: 0.
    #[serde(default)]
    pub weak_commitments_allowed: u32,
}

/// Deadlines of the playbook.
#[derive(Debug, Clone)]
pub struct Deadlines {
    /// Minutes to act after the porting centre's notice (passive MNP).
    pub passive_mnp_minutes: u32,
    /// The violation recorded when that deadline is missed.
    pub passive_mnp_violation: ViolationIdx,
    /// Earliest follow-up call after a complaint, in days.
    pub follow_up_min_days: u32,
    /// Latest follow-up call after a complaint, in days.
    pub follow_up_max_days: u32,
}

/// Where a kind of problem is escalated.
#[derive(Debug, Clone)]
pub struct Escalation {
    /// Stable id.
    pub id: String,
    /// The kind of problem.
    pub topic: Text,
    /// Who handles it.
    pub route: Text,
}

/// A lawful condition for porting a number out, cited by feedback and the debrief.
#[derive(Debug, Clone)]
pub struct PortingCondition {
    /// Stable id (what a choice's `cites` names).
    pub id: String,
    /// The condition in words.
    pub text: Text,
}

/// The porting law in force, as data: its source, its conditions and what is only MobiFone's
/// internal practice.
#[derive(Debug, Clone, Default)]
pub struct PortingLaw {
    /// The legal text, e.g. Circular 09/2025/TT-BKHCN.
    pub source: Text,
    /// The conditions a port-out must meet.
    pub conditions: Vec<PortingCondition>,
    /// Notes on operator practice that is not law (the 2-hour window).
    pub notes: Vec<Text>,
}

/// The validated rulebook.
#[derive(Debug, Clone)]
pub struct Rulebook {
    /// Format version.
    pub version: u32,
    /// CK1–CK8 in order.
    pub commitments: Vec<Commitment>,
    /// Violation kinds.
    pub violations: Vec<ViolationKind>,
    /// Grade weights.
    pub weights: Weights,
    /// Violation penalties.
    pub penalties: Penalties,
    /// Pass marks.
    pub pass: PassMarks,
    /// Deadlines.
    pub deadlines: Deadlines,
    /// Escalation routes.
    pub escalations: Vec<Escalation>,
    /// The porting law (empty when the file has none).
    pub porting: PortingLaw,
    /// Hash of the file's bytes, stored with every session.
    pub hash: String,
    /// Where it was loaded from.
    pub file: String,
}

impl Rulebook {
    /// Looks up a porting condition by id.
    pub fn porting_condition(&self, id: &str) -> Option<usize> {
        self.porting.conditions.iter().position(|c| c.id == id)
    }

    /// Looks up a commitment by id.
    pub fn commitment(&self, id: &str) -> Option<CommitmentIdx> {
        self.commitments
            .iter()
            .position(|c| c.id == id)
            .map(|i| CommitmentIdx(i as u8))
    }

    /// Looks up a violation kind by id.
    pub fn violation(&self, id: &str) -> Option<ViolationIdx> {
        self.violations
            .iter()
            .position(|v| v.id == id)
            .map(|i| ViolationIdx(i as u16))
    }

    /// The violation kind at an index.
    pub fn violation_kind(&self, v: ViolationIdx) -> &ViolationKind {
        &self.violations[usize::from(v.0)]
    }

    /// Parses and validates the rulebook's text. Returns it when there are no errors, and every
    /// problem found.
    pub fn parse(src: &str, file: &str) -> (Option<Rulebook>, Vec<Diagnostic>) {
        let raw: RulebookFile = match parse_ron(src, file) {
            Ok(r) => r,
            Err(d) => return (None, vec![d]),
        };
        let loc = Locator::new(src);
        let mut diags = Vec::new();
        let at = |key: &str, value: &str| {
            loc.find_field(key, value, 0)
                .map_or((1, 1), |o| loc.line_col(o))
        };
        let mut seen = HashSet::new();
        let mut commitments = Vec::new();
        for c in &raw.commitments {
            if !seen.insert(c.id.clone()) {
                diags.push(Diagnostic::new(
                    Code::DuplicateId,
                    file,
                    at("id", &c.id),
                    format!("commitment `{}` is defined twice", c.id),
                ));
            }
            commitments.push(Commitment {
                id: c.id.clone(),
                title: c.title.clone().into(),
                text: c.text.clone().into(),
            });
        }
        if commitments.is_empty() || commitments.len() > MAX_COMMITMENTS {
            diags.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    file,
                    (1, 1),
                    "the rulebook must list between 1 and 16 commitments",
                )
                .with_help("list CK1–CK8 under `commitments`"),
            );
        }
        let violations = violations(&raw, file, &at, &mut diags);
        let mut seen = HashSet::new();
        for c in raw.porting.iter().flat_map(|p| &p.conditions) {
            if !seen.insert(c.id.as_str()) {
                diags.push(Diagnostic::new(
                    Code::DuplicateId,
                    file,
                    at("id", &c.id),
                    format!("porting condition `{}` is defined twice", c.id),
                ));
            }
        }
        check_numbers(&raw, &loc, file, &mut diags);
        let d = &raw.deadlines;
        let mnp_violation = violations
            .iter()
            .position(|v| v.id == d.passive_mnp_violation);
        if mnp_violation.is_none() {
            diags.push(Diagnostic::new(
                Code::UnknownViolation,
                file,
                at("passive_mnp_violation", &d.passive_mnp_violation),
                format!(
                    "deadline violation `{}` is not defined",
                    d.passive_mnp_violation
                ),
            ));
        }
        if diags.iter().any(Diagnostic::is_error) {
            return (None, diags);
        }
        let rulebook = Rulebook {
            version: raw.version,
            commitments,
            violations,
            weights: raw.weights,
            penalties: raw.penalties,
            pass: raw.pass,
            deadlines: Deadlines {
                passive_mnp_minutes: d.passive_mnp_minutes,
                passive_mnp_violation: ViolationIdx(mnp_violation.unwrap_or(0) as u16),
                follow_up_min_days: d.follow_up_min_days,
                follow_up_max_days: d.follow_up_max_days,
            },
            escalations: raw
                .escalations
                .iter()
                .map(|e| Escalation {
                    id: e.id.clone(),
                    topic: e.topic.clone().into(),
                    route: e.route.clone().into(),
                })
                .collect(),
            porting: raw
                .porting
                .as_ref()
                .map_or_else(PortingLaw::default, PortingLaw::from_file),
            hash: content_hash(src.as_bytes()),
            file: file.to_owned(),
        };
        (Some(rulebook), diags)
    }
}

/// The violation kinds, each with the commitment it breaks.
fn violations(
    raw: &RulebookFile,
    file: &str,
    at: &dyn Fn(&str, &str) -> (usize, usize),
    diags: &mut Vec<Diagnostic>,
) -> Vec<ViolationKind> {
    let mut violations = Vec::new();
    let mut seen = HashSet::new();
    for v in &raw.violations {
        if !seen.insert(v.id.clone()) {
            diags.push(Diagnostic::new(
                Code::DuplicateId,
                file,
                at("id", &v.id),
                format!("violation `{}` is defined twice", v.id),
            ));
        }
        let Some(ci) = raw.commitments.iter().position(|c| c.id == v.commitment) else {
            let known: Vec<&str> = raw.commitments.iter().map(|c| c.id.as_str()).collect();
            let mut d = Diagnostic::new(
                Code::UnknownCommitment,
                file,
                at("commitment", &v.commitment),
                format!(
                    "violation `{}` breaks unknown commitment `{}`",
                    v.id, v.commitment
                ),
            );
            if let Some(s) = crate::text::diagnostic::did_you_mean(&v.commitment, known) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            continue;
        };
        violations.push(ViolationKind {
            id: v.id.clone(),
            title: v.title.clone().into(),
            severity: v.severity,
            commitment: CommitmentIdx(ci as u8),
            rule: v.rule.clone(),
        });
    }
    violations
}

/// Weights that sum to 100, pass marks and caps up to 100, follow-up days in order.
fn check_numbers(raw: &RulebookFile, loc: &Locator<'_>, file: &str, diags: &mut Vec<Diagnostic>) {
    let w = raw.weights;
    if w.commitments + w.steps + w.outcome != 100 {
        diags.push(
            Diagnostic::new(
                Code::InvalidValue,
                file,
                loc.find_key("weights", 0)
                    .map_or((1, 1), |o| loc.line_col(o)),
                format!(
                    "weights sum to {}, not 100",
                    w.commitments + w.steps + w.outcome
                ),
            )
            .with_help("make commitments + steps + outcome = 100"),
        );
    }
    for (name, v) in [
        ("pass.overall", raw.pass.overall),
        ("pass.per_commitment", raw.pass.per_commitment),
        ("penalties.critical_cap", raw.penalties.critical_cap),
    ] {
        if v > 100 {
            diags.push(Diagnostic::new(
                Code::InvalidValue,
                file,
                (1, 1),
                format!("{name} is {v}, above 100"),
            ));
        }
    }
    let d = &raw.deadlines;
    if d.follow_up_min_days > d.follow_up_max_days {
        diags.push(Diagnostic::new(
            Code::InvalidValue,
            file,
            loc.find_key("follow_up_min_days", 0)
                .map_or((1, 1), |o| loc.line_col(o)),
            "follow_up_min_days is after follow_up_max_days",
        ));
    }
}

impl PortingLaw {
    fn from_file(p: &PortingFile) -> PortingLaw {
        PortingLaw {
            source: p.source.clone().into(),
            conditions: p
                .conditions
                .iter()
                .map(|c| PortingCondition {
                    id: c.id.clone(),
                    text: c.text.clone().into(),
                })
                .collect(),
            notes: p.notes.iter().map(|n| n.clone().into()).collect(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Rulebook")]
struct RulebookFile {
    version: u32,
    commitments: Vec<CommitmentFile>,
    violations: Vec<ViolationFile>,
    weights: Weights,
    penalties: Penalties,
    pass: PassMarks,
    deadlines: DeadlinesFile,
    escalations: Vec<EscalationFile>,
    #[serde(default)]
    porting: Option<PortingFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortingFile {
    source: crate::text::TextFile,
    conditions: Vec<PortingConditionFile>,
    #[serde(default)]
    notes: Vec<crate::text::TextFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PortingConditionFile {
    id: String,
    text: crate::text::TextFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitmentFile {
    id: String,
    title: crate::text::TextFile,
    text: crate::text::TextFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ViolationFile {
    id: String,
    title: crate::text::TextFile,
    severity: Severity,
    commitment: String,
    #[serde(default)]
    rule: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlinesFile {
    passive_mnp_minutes: u32,
    passive_mnp_violation: String,
    follow_up_min_days: u32,
    follow_up_max_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EscalationFile {
    id: String,
    topic: crate::text::TextFile,
    route: crate::text::TextFile,
}
