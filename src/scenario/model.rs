//! The validated scenario model: ids resolved to indices, flags to bits, conditions checked.
//! Built only by [`super::validate`]; the engine and the game read it.

use crate::rulebook::{CommitmentIdx, ViolationIdx};
use crate::text::Ui;
pub use crate::text::{Lang, Text};

/// The playbook situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Situation {
    /// TH1: no complaint.
    NoComplaint,
    /// TH2: a complaint.
    Complaint,
    /// TH3, passive: the porting centre told us (2-hour window).
    PortOutPassive,
    /// TH3, active: the customer told us.
    PortOutActive,
}

impl Situation {
    /// Stable name, as in `check --format json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Situation::NoComplaint => "NoComplaint",
            Situation::Complaint => "Complaint",
            Situation::PortOutPassive => "PortOutPassive",
            Situation::PortOutActive => "PortOutActive",
        }
    }

    /// Label for trainees.
    pub fn label(self) -> Ui {
        match self {
            Situation::NoComplaint => Ui::new("Khách hàng không phàn nàn", "No complaint"),
            Situation::Complaint => Ui::new("Khách hàng phàn nàn", "Complaint"),
            Situation::PortOutPassive => Ui::new("Chuyển mạng – bị động", "Port-out – passive"),
            Situation::PortOutActive => Ui::new("Chuyển mạng – chủ động", "Port-out – active"),
        }
    }
}

/// Individual or enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A consumer.
    Individual,
    /// An enterprise account.
    Enterprise,
}

impl Segment {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Individual => "Individual",
            Segment::Enterprise => "Enterprise",
        }
    }

    /// Label for trainees.
    pub fn label(self) -> Ui {
        match self {
            Segment::Individual => Ui::new("Cá nhân", "Individual"),
            Segment::Enterprise => Ui::new("Doanh nghiệp", "Enterprise"),
        }
    }
}

/// Index of a node in [`Scenario::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeIdx(pub u32);
/// Index of an ending in [`Scenario::endings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EndingIdx(pub u32);
/// Index of a step in [`Scenario::steps`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StepIdx(pub u16);
/// Index of a reason in [`CustomerParams::reasons`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReasonIdx(pub u16);

/// Where a choice leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// Another node.
    Node(NodeIdx),
    /// The end of the session.
    End(EndingIdx),
}

/// Weights of the customer generator.
#[derive(Debug, Clone)]
pub struct CustomerParams {
    /// Relative weights of the age bands young, adult, middle-aged, senior.
    pub ages: [u32; 4],
    /// Percent chance of postpaid.
    pub postpaid: u32,
    /// Percent chance of being in a commitment programme.
    pub in_commitment: u32,
    /// Starting mood range (inclusive).
    pub mood: (i32, i32),
    /// Willingness-to-stay range (inclusive).
    pub willingness: (i32, i32),
    /// Reasons with weights.
    pub reasons: Vec<Reason>,
    /// Competitor names for `{competitor}`.
    pub competitors: Vec<String>,
}

/// A reason with its weight.
#[derive(Debug, Clone)]
pub struct Reason {
    /// Stable id.
    pub id: String,
    /// How the customer's reason reads.
    pub text: Text,
    /// Relative weight.
    pub weight: u32,
}

/// A script step.
#[derive(Debug, Clone)]
pub struct Step {
    /// Stable id.
    pub id: String,
    /// Title for the checklist.
    pub title: Text,
    /// Whether missing it costs points.
    pub required: bool,
}

/// The passive-MNP deadline watch.
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    /// The step that must be done in time.
    pub step: StepIdx,
    /// Minutes already gone at the start.
    pub already_elapsed: u32,
}

/// A condition on the session state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Always true.
    Always,
    /// Mood ≥ n.
    MoodAtLeast(i32),
    /// Mood < n.
    MoodBelow(i32),
    /// Willingness ≥ n.
    WillingnessAtLeast(i32),
    /// Willingness < n.
    WillingnessBelow(i32),
    /// A flag is set (bit index).
    Flag(u8),
    /// A flag is not set.
    NotFlag(u8),
    /// A step has been done.
    StepDone(StepIdx),
    /// The customer's reason is this one.
    Reason(ReasonIdx),
    /// The customer is in this segment.
    Segment(Segment),
    /// Postpaid plan.
    Postpaid,
    /// Prepaid plan.
    Prepaid,
    /// In a commitment programme.
    InCommitment,
    /// Not in a commitment programme.
    NotInCommitment,
    /// The passive-MNP deadline has been missed.
    DeadlineMissed,
    /// All hold.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

/// A customer line.
#[derive(Debug, Clone)]
pub struct Line {
    /// When it is said.
    pub when: Condition,
    /// The words (a template).
    pub text: Text,
}

/// A trainee's possible answer.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Stable id within its node.
    pub id: String,
    /// The words (a template).
    pub text: Text,
    /// When it is offered.
    pub when: Condition,
    /// The script step it performs.
    pub step: Option<StepIdx>,
    /// Whether this is the playbook's model answer at this node.
    pub model: bool,
    /// Commitment deltas.
    pub scores: Vec<(CommitmentIdx, i32)>,
    /// Violations it commits.
    pub violations: Vec<ViolationIdx>,
    /// Porting conditions of the rulebook its feedback cites (indices).
    pub cites: Vec<u16>,
    /// Mood change.
    pub mood: i32,
    /// Willingness change.
    pub willingness: i32,
    /// Simulated minutes it takes.
    pub minutes: u32,
    /// Flags it sets (bit mask).
    pub set: u64,
    /// Flags it clears (bit mask).
    pub clear: u64,
    /// Whether it reveals the customer's reason.
    pub reveal: bool,
    /// Why it is right or wrong.
    pub feedback: Text,
    /// Conditional targets, first match wins.
    pub branches: Vec<(Condition, Target)>,
    /// Target when no branch matches.
    pub next: Target,
}

/// A point in the conversation.
#[derive(Debug, Clone)]
pub struct Node {
    /// Stable id.
    pub id: String,
    /// Customer lines, first match wins.
    pub lines: Vec<Line>,
    /// Possible answers.
    pub choices: Vec<Choice>,
}

/// The kind of an ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// The customer stays.
    Retained,
    /// The customer ported out and was helped properly.
    PortedOutCleanly,
    /// The customer ported out angry or obstructed.
    PortedOutBadly,
    /// The issue was resolved.
    Resolved,
    /// Escalated to the right unit.
    Escalated,
    /// A follow-up call is scheduled.
    FollowUpScheduled,
    /// The customer is lost.
    Lost,
    /// The session was stopped before any ending.
    Abandoned,
}

impl Outcome {
    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Retained => "Retained",
            Outcome::PortedOutCleanly => "PortedOutCleanly",
            Outcome::PortedOutBadly => "PortedOutBadly",
            Outcome::Resolved => "Resolved",
            Outcome::Escalated => "Escalated",
            Outcome::FollowUpScheduled => "FollowUpScheduled",
            Outcome::Lost => "Lost",
            Outcome::Abandoned => "Abandoned",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Outcome> {
        [
            Outcome::Retained,
            Outcome::PortedOutCleanly,
            Outcome::PortedOutBadly,
            Outcome::Resolved,
            Outcome::Escalated,
            Outcome::FollowUpScheduled,
            Outcome::Lost,
            Outcome::Abandoned,
        ]
        .into_iter()
        .find(|o| o.as_str() == s)
    }

    /// Label for trainees.
    pub fn label(self) -> Ui {
        match self {
            Outcome::Retained => Ui::new("Giữ chân được khách hàng", "Customer retained"),
            Outcome::PortedOutCleanly => Ui::new(
                "Khách chuyển mạng, được hỗ trợ đúng quy định",
                "Ported out, properly supported",
            ),
            Outcome::PortedOutBadly => {
                Ui::new("Khách chuyển mạng trong bức xúc", "Ported out unhappy")
            }
            Outcome::Resolved => Ui::new("Đã giải quyết", "Resolved"),
            Outcome::Escalated => Ui::new("Chuyển cấp khác xử lý tiếp", "Handed on for escalation"),
            Outcome::FollowUpScheduled => Ui::new("Đã hẹn liên hệ lại", "Follow-up scheduled"),
            Outcome::Lost => Ui::new("Mất khách hàng", "Customer lost"),
            Outcome::Abandoned => Ui::new("Bỏ dở", "Abandoned"),
        }
    }
}

/// An ending.
#[derive(Debug, Clone)]
pub struct Ending {
    /// Stable id.
    pub id: String,
    /// Its kind.
    pub outcome: Outcome,
    /// Its value, 0–100.
    pub score: u32,
    /// What happens.
    pub text: Text,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Stable id.
    pub id: String,
    /// Author's version number.
    pub version: u32,
    /// Title.
    pub title: Text,
    /// What the trainee is told before the call.
    pub briefing: Text,
    /// Playbook situation.
    pub situation: Situation,
    /// Segment.
    pub segment: Segment,
    /// 1 (easy) to 5 (hard).
    pub difficulty: u32,
    /// Customer generator parameters.
    pub customer: CustomerParams,
    /// Script steps, in order.
    pub steps: Vec<Step>,
    /// Passive-MNP deadline watch.
    pub deadline: Option<Deadline>,
    /// Start node.
    pub start: NodeIdx,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Endings.
    pub endings: Vec<Ending>,
    /// Flag names, by bit index.
    pub flags: Vec<String>,
    /// The best total each commitment can reach on some path from the start (conditions ignored).
    pub commitment_max: Vec<i32>,
    /// Where it was loaded from.
    pub file: String,
    /// Hash of the file's bytes.
    pub content_hash: String,
}

impl Scenario {
    /// A node.
    pub fn node(&self, n: NodeIdx) -> &Node {
        &self.nodes[n.0 as usize]
    }

    /// An ending.
    pub fn ending(&self, e: EndingIdx) -> &Ending {
        &self.endings[e.0 as usize]
    }

    /// A step.
    pub fn step(&self, s: StepIdx) -> &Step {
        &self.steps[usize::from(s.0)]
    }

    /// Looks a node up by id.
    pub fn node_by_id(&self, id: &str) -> Option<NodeIdx> {
        self.nodes
            .iter()
            .position(|n| n.id == id)
            .map(|i| NodeIdx(i as u32))
    }

    /// Number of choices in all nodes.
    pub fn choice_count(&self) -> usize {
        self.nodes.iter().map(|n| n.choices.len()).sum()
    }
}
