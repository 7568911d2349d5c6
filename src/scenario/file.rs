//! Raw file types: exactly what a trainer writes in `scenarios/*.ron`.
//!
//! These types mirror the RON text and reject unknown fields, so a typo such as `nxt` is reported
//! with its position. They are turned into the validated model in [`super::model`] by
//! [`super::validate`]; nothing else in the crate reads them.

use std::collections::BTreeMap;

use serde::Deserialize;

pub use crate::text::TextFile;

/// The situation of the playbook a scenario trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SituationFile {
    /// TH1: a subscriber with no complaint.
    NoComplaint,
    /// TH2: a subscriber with a complaint.
    Complaint,
    /// TH3: a port-out request.
    PortOut(PortOutFile),
}

/// How we learnt of a port-out request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum PortOutFile {
    /// The national porting centre told us; at most 2 hours to act.
    Passive,
    /// The customer told us.
    Active,
}

/// Individual subscriber or enterprise account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum SegmentFile {
    /// A consumer.
    Individual,
    /// An enterprise account (KHDN).
    Enterprise,
}

/// One scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct ScenarioFile {
    pub id: String,
    #[serde(default = "one")]
    pub version: u32,
    pub title: TextFile,
    pub briefing: TextFile,
    pub situation: SituationFile,
    pub segment: SegmentFile,
    #[serde(default = "one")]
    pub difficulty: u32,
    #[serde(default)]
    pub customer: CustomerFile,
    pub steps: Vec<StepFile>,
    /// Which step must happen before the passive-MNP deadline runs out.
    #[serde(default)]
    pub deadline: Option<DeadlineFile>,
    pub start: String,
    pub nodes: Vec<NodeFile>,
    pub endings: Vec<EndingFile>,
}

fn one() -> u32 {
    1
}

/// The deadline watch of a passive port-out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineFile {
    /// The step that must be done before the rulebook's passive-MNP deadline.
    pub step: String,
    /// Simulated minutes already gone when the trainee sees the notice.
    #[serde(default)]
    pub already_elapsed: u32,
}

/// Weights for the customer generator.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerFile {
    #[serde(default)]
    pub ages: AgeWeightsFile,
    /// Percent chance of a postpaid plan.
    #[serde(default = "fifty")]
    pub postpaid: u32,
    /// Percent chance of being inside a commitment programme.
    #[serde(default = "twenty")]
    pub in_commitment: u32,
    /// Starting mood range, 0 (furious) to 100 (delighted).
    #[serde(default = "default_mood")]
    pub mood: (i32, i32),
    /// Hidden willingness to stay, 0 to 100.
    #[serde(default = "default_willingness")]
    pub willingness: (i32, i32),
    #[serde(default)]
    pub reasons: Vec<ReasonFile>,
    #[serde(default = "default_competitors")]
    pub competitors: Vec<String>,
}

fn fifty() -> u32 {
    50
}
fn twenty() -> u32 {
    20
}
fn default_mood() -> (i32, i32) {
    (45, 70)
}
fn default_willingness() -> (i32, i32) {
    (40, 70)
}
fn default_competitors() -> Vec<String> {
    vec!["Viettel".to_owned(), "VinaPhone".to_owned()]
}

impl Default for CustomerFile {
    fn default() -> Self {
        CustomerFile {
            ages: AgeWeightsFile::default(),
            postpaid: fifty(),
            in_commitment: twenty(),
            mood: default_mood(),
            willingness: default_willingness(),
            reasons: Vec::new(),
            competitors: default_competitors(),
        }
    }
}

/// Relative weights of the age bands (they choose the honorific).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeWeightsFile {
    #[serde(default = "w1")]
    pub young: u32,
    #[serde(default = "w3")]
    pub adult: u32,
    #[serde(default = "w2")]
    pub middle: u32,
    #[serde(default = "w1")]
    pub senior: u32,
}

fn w1() -> u32 {
    1
}
fn w2() -> u32 {
    2
}
fn w3() -> u32 {
    3
}

impl Default for AgeWeightsFile {
    fn default() -> Self {
        AgeWeightsFile {
            young: 1,
            adult: 3,
            middle: 2,
            senior: 1,
        }
    }
}

/// A reason the customer may have (for complaining or porting out).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonFile {
    pub id: String,
    pub text: TextFile,
    #[serde(default = "w1")]
    pub weight: u32,
}

/// A script step of the playbook.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepFile {
    pub id: String,
    pub title: TextFile,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// A point in the conversation: what the customer says, and what the trainee may answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeFile {
    pub id: String,
    pub lines: Vec<LineFile>,
    pub choices: Vec<ChoiceFile>,
}

/// One customer line, said when its condition holds (the first that holds wins).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineFile {
    #[serde(default)]
    pub when: ConditionFile,
    pub vi: String,
    #[serde(default)]
    pub en: String,
}

/// One answer the trainee may choose.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceFile {
    pub id: String,
    pub vi: String,
    #[serde(default)]
    pub en: String,
    #[serde(default)]
    pub when: ConditionFile,
    #[serde(default)]
    pub step: Option<String>,
    #[serde(default)]
    pub model: bool,
    /// Commitment deltas, e.g. `{"CK7": 2, "CK2": 1}`.
    #[serde(default)]
    pub scores: BTreeMap<String, i32>,
    #[serde(default)]
    pub violations: Vec<String>,
    /// Porting conditions of the rulebook that this choice's feedback rests on.
    #[serde(default)]
    pub cites: Vec<String>,
    #[serde(default)]
    pub mood: i32,
    #[serde(default)]
    pub willingness: i32,
    #[serde(default = "one")]
    pub minutes: u32,
    #[serde(default)]
    pub set: Vec<String>,
    #[serde(default)]
    pub clear: Vec<String>,
    #[serde(default)]
    pub reveal: bool,
    pub feedback: TextFile,
    pub next: String,
    #[serde(default)]
    pub branches: Vec<BranchFile>,
}

/// A conditional `next`: the first branch whose condition holds wins, else the choice's `next`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchFile {
    pub when: ConditionFile,
    pub next: String,
}

/// How a session can end.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndingFile {
    pub id: String,
    pub outcome: OutcomeFile,
    /// How good this ending is, 0–100 (the outcome part of the grade).
    pub score: u32,
    pub text: TextFile,
}

/// The kind of an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum OutcomeFile {
    Retained,
    PortedOutCleanly,
    PortedOutBadly,
    Resolved,
    Escalated,
    FollowUpScheduled,
    Lost,
}

/// A condition on the session state.
#[derive(Debug, Clone, Default, Deserialize)]
pub enum ConditionFile {
    #[default]
    Always,
    MoodAtLeast(i32),
    MoodBelow(i32),
    WillingnessAtLeast(i32),
    WillingnessBelow(i32),
    Flag(String),
    NotFlag(String),
    StepDone(String),
    Reason(String),
    Segment(SegmentFile),
    Postpaid,
    Prepaid,
    InCommitment,
    NotInCommitment,
    DeadlineMissed,
    All(Vec<ConditionFile>),
    Any(Vec<ConditionFile>),
    Not(Box<ConditionFile>),
}
