//! Validation: raw file types → the validated model, collecting every problem as a diagnostic.

use std::collections::{HashMap, HashSet};

use unicode_normalization::is_nfc;

use super::diagnostic::{Code, Diagnostic, Locator, did_you_mean};
use super::file::{
    ChoiceFile, ConditionFile, OutcomeFile, PortOutFile, ScenarioFile, SegmentFile, SituationFile,
};
use super::model::*;
use crate::rulebook::Rulebook;

mod choices;
mod graph;
mod sat;
mod text;

use choices::{Refs, choice, condition};
pub use graph::commitment_max;
use graph::graph_checks;
use text::{check_label, check_text};

/// Placeholders a text may use; `{Honorific}` and `{Wrong_honorific}` are capitalised forms.
pub const PLACEHOLDERS: &[&str] = &[
    "honorific",
    "Honorific",
    "wrong_honorific",
    "Wrong_honorific",
    "name",
    "full_name",
    "reason",
    "competitor",
    "staff",
    "staff_phone",
    "company",
    "lines",
    "province",
    "minutes_left",
];

/// Most flags a scenario may use (they are bits of a `u64`).
pub const MAX_FLAGS: usize = 64;
/// Most steps a scenario may declare (bits of a `u64`).
pub const MAX_STEPS: usize = 64;
/// Most terms a condition may expand to before the satisfiability check gives up (and assumes it can hold).
const MAX_DNF_TERMS: usize = 256;

struct Ctx<'a> {
    file: &'a str,
    loc: Locator<'a>,
    diags: Vec<Diagnostic>,
    /// Placeholders that are always empty (or 0) in this scenario, with why.
    empty: Vec<(&'static str, &'static str)>,
}

impl Ctx<'_> {
    fn push(&mut self, code: Code, offset: Option<usize>, message: String, help: Option<String>) {
        let pos = offset.map_or((1, 1), |o| self.loc.line_col(o));
        let mut d = Diagnostic::new(code, self.file, pos, message);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(d);
    }
}

fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    did_you_mean(word, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// Validates one parsed scenario file. `rulebook` is `None` when the rulebook itself is broken:
/// then commitment and violation ids are not checked and no scenario is returned.
pub fn validate_scenario(
    raw: ScenarioFile,
    src: &str,
    file: &str,
    rulebook: Option<&Rulebook>,
) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut empty = Vec::new();
    if matches!(raw.segment, SegmentFile::Individual) {
        for p in ["company", "lines"] {
            empty.push((p, "the customer is an individual (`segment: Individual`)"));
        }
    }
    if raw.deadline.is_none() {
        empty.push(("minutes_left", "the scenario has no `deadline`"));
    }
    let mut cx = Ctx {
        file,
        loc: Locator::new(src),
        diags: Vec::new(),
        empty,
    };
    let id_off = cx.loc.find_field("id", &raw.id, 0);
    check_label(&mut cx, id_off, "title", &raw.title.vi, &raw.title.en);
    check_text(
        &mut cx,
        id_off,
        "briefing",
        &raw.briefing.vi,
        &raw.briefing.en,
    );
    if raw.id.trim().is_empty() {
        cx.push(
            Code::InvalidValue,
            id_off,
            "the scenario id is empty".into(),
            Some("give it a short id such as `mnp_bi_dong`".into()),
        );
    }
    if !(1..=5).contains(&raw.difficulty) {
        let off = cx.loc.find_key("difficulty", 0);
        cx.push(
            Code::InvalidValue,
            off,
            format!("difficulty is {}, expected 1 to 5", raw.difficulty),
            None,
        );
    }

    // Steps.
    let mut step_ids: HashMap<String, StepIdx> = HashMap::new();
    let mut steps = Vec::new();
    let mut from = 0;
    for s in &raw.steps {
        let off = cx.loc.find_field("id", &s.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        if step_ids.contains_key(&s.id) {
            cx.push(
                Code::DuplicateId,
                off,
                format!("step `{}` is declared twice", s.id),
                Some("give each step its own id".into()),
            );
            continue;
        }
        check_label(&mut cx, off, "step title", &s.title.vi, &s.title.en);
        step_ids.insert(s.id.clone(), StepIdx(steps.len() as u16));
        steps.push(Step {
            id: s.id.clone(),
            title: s.title.clone().into(),
            required: s.required,
        });
    }
    if steps.len() > MAX_STEPS {
        cx.push(
            Code::InvalidValue,
            cx.loc.find_key("steps", 0),
            format!("{} steps; at most {MAX_STEPS} are allowed", steps.len()),
            None,
        );
    }

    // Customer parameters.
    let c = &raw.customer;
    let cust_off = cx.loc.find_key("customer", 0);
    let mut reason_ids: HashMap<String, ReasonIdx> = HashMap::new();
    let mut reasons = Vec::new();
    let mut from = cust_off.unwrap_or(0);
    for r in &c.reasons {
        let off = cx.loc.find_field("id", &r.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        if reason_ids.contains_key(&r.id) {
            cx.push(
                Code::DuplicateId,
                off,
                format!("reason `{}` is declared twice", r.id),
                None,
            );
            continue;
        }
        check_label(&mut cx, off, "reason", &r.text.vi, &r.text.en);
        reason_ids.insert(r.id.clone(), ReasonIdx(reasons.len() as u16));
        reasons.push(Reason {
            id: r.id.clone(),
            text: r.text.clone().into(),
            weight: r.weight,
        });
    }
    if !reasons.is_empty() && reasons.iter().all(|r| r.weight == 0) {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "every reason has weight 0".into(),
            Some("give at least one reason a weight above 0".into()),
        );
    }
    let ages = [c.ages.young, c.ages.adult, c.ages.middle, c.ages.senior];
    if ages.iter().all(|&w| w == 0) {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "every age band has weight 0".into(),
            None,
        );
    }
    for (name, v) in [("postpaid", c.postpaid), ("in_commitment", c.in_commitment)] {
        if v > 100 {
            cx.push(
                Code::InvalidValue,
                cx.loc.find_key(name, 0),
                format!("`{name}` is {v}%, above 100"),
                None,
            );
        }
    }
    for (name, (lo, hi)) in [("mood", c.mood), ("willingness", c.willingness)] {
        if lo > hi || lo < 0 || hi > 100 {
            cx.push(
                Code::InvalidValue,
                cx.loc.find_key(name, cust_off.unwrap_or(0)),
                format!("`{name}` range ({lo}, {hi}) must satisfy 0 ≤ low ≤ high ≤ 100"),
                None,
            );
        }
    }
    if c.competitors.is_empty() {
        cx.push(
            Code::InvalidValue,
            cust_off,
            "`competitors` is empty".into(),
            Some("list at least one, e.g. [\"Viettel\"]".into()),
        );
    }

    // Flags: every name a choice sets or clears gets a bit.
    let mut flags: Vec<String> = Vec::new();
    for ch in raw.nodes.iter().flat_map(|n| &n.choices) {
        for f in ch.set.iter().chain(&ch.clear) {
            if !flags.contains(f) {
                flags.push(f.clone());
            }
        }
    }
    if flags.len() > MAX_FLAGS {
        cx.push(
            Code::InvalidValue,
            None,
            format!("{} flags; at most {MAX_FLAGS} are allowed", flags.len()),
            None,
        );
        flags.truncate(MAX_FLAGS);
    }
    let set_flags: HashSet<&str> = raw
        .nodes
        .iter()
        .flat_map(|n| &n.choices)
        .flat_map(|c| &c.set)
        .map(String::as_str)
        .collect();

    // Node and ending ids share one namespace.
    let mut targets: HashMap<String, Target> = HashMap::new();
    let mut node_offsets = Vec::new();
    let mut from = 0;
    for (i, n) in raw.nodes.iter().enumerate() {
        let off = cx.loc.find_field("id", &n.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        node_offsets.push(off);
        if targets.contains_key(&n.id) {
            cx.push(
                Code::DuplicateNode,
                off,
                format!("node `{}` is defined twice", n.id),
                Some("rename one of them".into()),
            );
        } else {
            targets.insert(n.id.clone(), Target::Node(NodeIdx(i as u32)));
        }
    }
    let endings_off = cx.loc.find_key("endings", 0);
    let mut endings = Vec::new();
    let mut from = endings_off.unwrap_or(0);
    for (i, e) in raw.endings.iter().enumerate() {
        let off = cx.loc.find_field("id", &e.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        if targets.contains_key(&e.id) {
            cx.push(
                Code::DuplicateNode,
                off,
                format!("`{}` is already the id of a node or ending", e.id),
                Some("endings and nodes share one set of ids".into()),
            );
        } else {
            targets.insert(e.id.clone(), Target::End(EndingIdx(i as u32)));
        }
        if e.score > 100 {
            cx.push(
                Code::InvalidValue,
                off,
                format!("ending `{}` has score {}, above 100", e.id, e.score),
                None,
            );
        }
        check_text(&mut cx, off, "ending", &e.text.vi, &e.text.en);
        endings.push(Ending {
            id: e.id.clone(),
            outcome: outcome(e.outcome),
            score: e.score.min(100),
            text: e.text.clone().into(),
        });
    }
    let target_names: Vec<&str> = targets.keys().map(String::as_str).collect();

    let segment = match raw.segment {
        SegmentFile::Individual => Segment::Individual,
        SegmentFile::Enterprise => Segment::Enterprise,
    };
    let situation = match raw.situation {
        SituationFile::NoComplaint => Situation::NoComplaint,
        SituationFile::Complaint => Situation::Complaint,
        SituationFile::PortOut(PortOutFile::Passive) => Situation::PortOutPassive,
        SituationFile::PortOut(PortOutFile::Active) => Situation::PortOutActive,
    };
    let deadline = match &raw.deadline {
        None => None,
        Some(d) => {
            let off = cx.loc.find_key("deadline", 0);
            if situation != Situation::PortOutPassive {
                cx.push(
                    Code::InvalidValue,
                    off,
                    "a `deadline` only belongs in a passive port-out scenario".into(),
                    Some("remove it, or set `situation: PortOut(Passive)`".into()),
                );
            }
            match step_ids.get(&d.step) {
                Some(&step) => Some(Deadline {
                    step,
                    already_elapsed: d.already_elapsed,
                }),
                None => {
                    let help = suggest(&d.step, step_ids.keys().map(String::as_str));
                    cx.push(
                        Code::UnknownStep,
                        cx.loc.find_field("step", &d.step, off.unwrap_or(0)),
                        format!("deadline names unknown step `{}`", d.step),
                        help,
                    );
                    None
                }
            }
        }
    };

    let refs = Refs {
        step_ids: &step_ids,
        reason_ids: &reason_ids,
        flags: &flags,
        set_flags: &set_flags,
    };

    // Nodes and choices.
    let mut nodes = Vec::new();
    for (ni, n) in raw.nodes.iter().enumerate() {
        let noff = node_offsets[ni];
        let base = noff.unwrap_or(0);
        let mut lines = Vec::new();
        if n.lines.is_empty() {
            cx.push(
                Code::InvalidValue,
                noff,
                format!("node `{}` has no customer line", n.id),
                Some("add at least one line the customer says".into()),
            );
        }
        let mut line_from = base;
        for l in &n.lines {
            let off = cx.loc.find_key("vi", line_from);
            if let Some(o) = off {
                line_from = o + 1;
            }
            let when = condition(&mut cx, &l.when, &refs, base);
            check_text(&mut cx, off, "line", &l.vi, &l.en);
            lines.push(Line {
                when,
                text: Text::new(l.vi.clone(), l.en.clone()),
            });
        }
        let mut choice_ids = HashSet::new();
        let mut choices = Vec::new();
        let mut choice_from = base;
        for ch in &n.choices {
            let off = cx.loc.find_field("id", &ch.id, choice_from);
            if let Some(o) = off {
                choice_from = o + 1;
            }
            if !choice_ids.insert(ch.id.clone()) {
                cx.push(
                    Code::DuplicateId,
                    off,
                    format!("choice `{}` appears twice in node `{}`", ch.id, n.id),
                    None,
                );
            }
            let c = choice(&mut cx, ch, off, &refs, &targets, &target_names, rulebook);
            choices.push(c);
        }
        nodes.push(Node {
            id: n.id.clone(),
            lines,
            choices,
        });
    }

    let start = match targets.get(&raw.start) {
        Some(Target::Node(n)) => Some(*n),
        Some(Target::End(_)) => {
            cx.push(
                Code::MissingStart,
                cx.loc.find_field("start", &raw.start, 0),
                format!("`start` names ending `{}`, not a node", raw.start),
                Some("start at the first node of the conversation".into()),
            );
            None
        }
        None => {
            let names: Vec<&str> = raw.nodes.iter().map(|n| n.id.as_str()).collect();
            let help = suggest(&raw.start, names)
                .or_else(|| Some("set `start` to the id of the first node".into()));
            cx.push(
                Code::MissingStart,
                cx.loc
                    .find_field("start", &raw.start, 0)
                    .or(cx.loc.find_key("start", 0)),
                format!("start node `{}` does not exist", raw.start),
                help,
            );
            None
        }
    };

    let mut scenario = Scenario {
        id: raw.id.clone(),
        version: raw.version,
        title: raw.title.clone().into(),
        briefing: raw.briefing.clone().into(),
        situation,
        segment,
        difficulty: raw.difficulty,
        customer: CustomerParams {
            ages,
            postpaid: c.postpaid.min(100),
            in_commitment: c.in_commitment.min(100),
            mood: c.mood,
            willingness: c.willingness,
            reasons,
            competitors: c.competitors.clone(),
        },
        steps,
        deadline,
        start: start.unwrap_or(NodeIdx(0)),
        nodes,
        endings,
        flags,
        commitment_max: Vec::new(),
        file: file.to_owned(),
        content_hash: super::model::content_hash(src.as_bytes()),
    };

    if start.is_some() && !cx.diags.iter().any(Diagnostic::is_error) {
        graph_checks(&mut cx, &scenario, &node_offsets, &raw);
    }
    if !cx.diags.iter().any(Diagnostic::is_error) {
        let cues = super::cues::diagnostics(&scenario, &cx.loc, file, &node_offsets);
        cx.diags.extend(cues);
    }
    // Only a scenario without errors has a start node and targets that all exist.
    if let Some(rb) = rulebook
        && !cx.diags.iter().any(Diagnostic::is_error)
    {
        scenario.commitment_max = commitment_max(&scenario, rb.commitments.len());
    }
    let ok = rulebook.is_some() && !cx.diags.iter().any(Diagnostic::is_error);
    (ok.then_some(scenario), cx.diags)
}

fn outcome(o: OutcomeFile) -> Outcome {
    match o {
        OutcomeFile::Retained => Outcome::Retained,
        OutcomeFile::PortedOutCleanly => Outcome::PortedOutCleanly,
        OutcomeFile::PortedOutBadly => Outcome::PortedOutBadly,
        OutcomeFile::Resolved => Outcome::Resolved,
        OutcomeFile::Escalated => Outcome::Escalated,
        OutcomeFile::FollowUpScheduled => Outcome::FollowUpScheduled,
        OutcomeFile::Lost => Outcome::Lost,
    }
}
