//! Validation: raw file types → the validated model, collecting every problem as a diagnostic.

use std::collections::{HashMap, HashSet};

use unicode_normalization::is_nfc;

use super::file::{
    ChoiceFile, ConditionFile, OutcomeFile, PortOutFile, ScenarioFile, SegmentFile, SituationFile,
};
use super::model::*;
use crate::rulebook::Rulebook;
use crate::text::diagnostic::{Code, Diagnostic, Locator, did_you_mean};

mod choices;
mod customer;
mod graph;
mod ids;
mod sat;
mod text;

use choices::{Refs, choice, condition};
pub use graph::commitment_max;
use graph::graph_checks;
use text::{check_label, check_text};

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
    let mut cx = Ctx::new(&raw, src, file);
    ids::header(&mut cx, &raw);
    let steps = ids::steps(&mut cx, &raw);
    let (customer, reason_ids) = customer::customer(&mut cx, &raw.customer);
    let (flags, set_flags) = flags(&mut cx, &raw);
    let ids = ids::targets(&mut cx, &raw);
    let situation = situation(raw.situation);
    let deadline = ids::deadline(&mut cx, &raw, situation, &steps.ids);
    let refs = Refs {
        step_ids: &steps.ids,
        reason_ids: &reason_ids,
        flags: &flags,
        set_flags: &set_flags,
    };
    let nodes = nodes(&mut cx, &raw, &ids, &refs, rulebook);
    let start = ids::start(&mut cx, &raw, &ids.targets);
    let mut scenario = Scenario {
        id: raw.id.clone(),
        version: raw.version,
        title: raw.title.clone().into(),
        briefing: raw.briefing.clone().into(),
        situation,
        segment: match raw.segment {
            SegmentFile::Individual => Segment::Individual,
            SegmentFile::Enterprise => Segment::Enterprise,
        },
        difficulty: raw.difficulty,
        customer,
        steps: steps.steps,
        deadline,
        start: start.unwrap_or(NodeIdx(0)),
        nodes,
        endings: ids.endings,
        flags,
        commitment_max: Vec::new(),
        file: file.to_owned(),
        content_hash: crate::text::content_hash(src.as_bytes()),
    };
    let has_errors = |cx: &Ctx<'_>| cx.diags.iter().any(Diagnostic::is_error);
    if start.is_some() && !has_errors(&cx) {
        graph_checks(&mut cx, &scenario, &ids.node_offsets, &raw);
    }
    if !has_errors(&cx) {
        let cues = super::cues::diagnostics(&scenario, &cx.loc, file, &ids.node_offsets);
        cx.diags.extend(cues);
    }
    // Only a scenario without errors has a start node and targets that all exist.
    if let Some(rb) = rulebook
        && !has_errors(&cx)
    {
        scenario.commitment_max = commitment_max(&scenario, rb.commitments.len());
    }
    let ok = rulebook.is_some() && !has_errors(&cx);
    (ok.then_some(scenario), cx.diags)
}

impl<'a> Ctx<'a> {
    /// A context for one file, knowing which placeholders are always empty in it.
    fn new(raw: &ScenarioFile, src: &'a str, file: &'a str) -> Ctx<'a> {
        let mut empty = Vec::new();
        if matches!(raw.segment, SegmentFile::Individual) {
            for p in ["company", "lines"] {
                empty.push((p, "the customer is an individual (`segment: Individual`)"));
            }
        }
        if raw.deadline.is_none() {
            empty.push(("minutes_left", "the scenario has no `deadline`"));
        }
        Ctx {
            file,
            loc: Locator::new(src),
            diags: Vec::new(),
            empty,
        }
    }
}

fn situation(s: SituationFile) -> Situation {
    match s {
        SituationFile::NoComplaint => Situation::NoComplaint,
        SituationFile::Complaint => Situation::Complaint,
        SituationFile::PortOut(PortOutFile::Passive) => Situation::PortOutPassive,
        SituationFile::PortOut(PortOutFile::Active) => Situation::PortOutActive,
    }
}

/// Every flag name a choice sets or clears gets a bit; also the names some choice sets.
fn flags<'r>(cx: &mut Ctx<'_>, raw: &'r ScenarioFile) -> (Vec<String>, HashSet<&'r str>) {
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
    let set_flags = raw
        .nodes
        .iter()
        .flat_map(|n| &n.choices)
        .flat_map(|c| &c.set)
        .map(String::as_str)
        .collect();
    (flags, set_flags)
}

/// The nodes: their lines and choices.
fn nodes(
    cx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    ids: &ids::Targets,
    refs: &Refs<'_>,
    rulebook: Option<&Rulebook>,
) -> Vec<Node> {
    let target_names: Vec<&str> = ids.targets.keys().map(String::as_str).collect();
    let mut nodes = Vec::new();
    for (ni, n) in raw.nodes.iter().enumerate() {
        let noff = ids.node_offsets[ni];
        let base = noff.unwrap_or(0);
        if n.lines.is_empty() {
            cx.push(
                Code::InvalidValue,
                noff,
                format!("node `{}` has no customer line", n.id),
                Some("add at least one line the customer says".into()),
            );
        }
        let mut lines = Vec::new();
        let mut line_from = base;
        for l in &n.lines {
            let off = cx.loc.find_key("vi", line_from);
            if let Some(o) = off {
                line_from = o + 1;
            }
            let when = condition(cx, &l.when, refs, base);
            check_text(cx, off, "line", &l.vi, &l.en);
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
            choices.push(choice(
                cx,
                ch,
                off,
                refs,
                &ids.targets,
                &target_names,
                rulebook,
            ));
        }
        nodes.push(Node {
            id: n.id.clone(),
            lines,
            choices,
        });
    }
    nodes
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
