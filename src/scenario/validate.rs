//! Validation: raw file types → the validated model, collecting every problem as a diagnostic.

use std::collections::{HashMap, HashSet};

use unicode_normalization::is_nfc;

use super::diagnostic::{Code, Diagnostic, Locator, did_you_mean};
use super::file::{
    ChoiceFile, ConditionFile, OutcomeFile, PortOutFile, ScenarioFile, SegmentFile, SituationFile,
};
use super::model::*;
use crate::rulebook::Rulebook;

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

struct Refs<'a> {
    step_ids: &'a HashMap<String, StepIdx>,
    reason_ids: &'a HashMap<String, ReasonIdx>,
    flags: &'a [String],
    set_flags: &'a HashSet<&'a str>,
}

fn choice(
    cx: &mut Ctx<'_>,
    ch: &ChoiceFile,
    off: Option<usize>,
    refs: &Refs<'_>,
    targets: &HashMap<String, Target>,
    target_names: &[&str],
    rulebook: Option<&Rulebook>,
) -> Choice {
    let base = off.unwrap_or(0);
    check_text(cx, cx.loc.find_key("vi", base), "choice", &ch.vi, &ch.en);
    check_text(
        cx,
        cx.loc.find_key("feedback", base),
        "feedback",
        &ch.feedback.vi,
        &ch.feedback.en,
    );
    let when = condition(cx, &ch.when, refs, base);
    let step = ch.step.as_ref().and_then(|s| match refs.step_ids.get(s) {
        Some(&i) => Some(i),
        None => {
            let help = suggest(s, refs.step_ids.keys().map(String::as_str))
                .or_else(|| Some("declare the step under `steps`, or fix its id".into()));
            cx.push(
                Code::UnknownStep,
                cx.loc.find_field("step", s, base),
                format!("choice `{}` performs unknown step `{s}`", ch.id),
                help,
            );
            None
        }
    });
    let mut scores = Vec::new();
    let mut violations = Vec::new();
    if let Some(rb) = rulebook {
        for (cid, delta) in &ch.scores {
            match rb.commitment(cid) {
                Some(ci) => scores.push((ci, *delta)),
                None => {
                    let help = suggest(cid, rb.commitments.iter().map(|c| c.id.as_str()))
                        .or_else(|| Some("commitments are CK1 to CK8".into()));
                    cx.push(
                        Code::UnknownCommitment,
                        cx.loc.find_quoted(cid, base),
                        format!("choice `{}` scores unknown commitment `{cid}`", ch.id),
                        help,
                    );
                }
            }
            if delta.abs() > 10 {
                cx.push(
                    Code::InvalidValue,
                    cx.loc.find_quoted(cid, base),
                    format!("score {delta} for `{cid}` is outside -10..=10"),
                    Some("use small deltas such as 1, 2 or -2".into()),
                );
            }
        }
        for v in &ch.violations {
            match rb.violation(v) {
                Some(vi) => violations.push(vi),
                None => {
                    let help =
                        suggest(v, rb.violations.iter().map(|k| k.id.as_str())).or_else(|| {
                            Some("violation ids are listed in scenarios/rulebook.ron".into())
                        });
                    cx.push(
                        Code::UnknownViolation,
                        cx.loc.find_quoted(v, base),
                        format!("choice `{}` commits unknown violation `{v}`", ch.id),
                        help,
                    );
                }
            }
        }
    }
    let mut cites = Vec::new();
    if let Some(rb) = rulebook {
        for c in &ch.cites {
            match rb.porting_condition(c) {
                Some(i) => cites.push(i as u16),
                None => {
                    let help = suggest(c, rb.porting.conditions.iter().map(|k| k.id.as_str()))
                        .or_else(|| {
                            Some(
                                "porting conditions are listed under `porting` in rulebook.ron"
                                    .into(),
                            )
                        });
                    cx.push(
                        Code::UnknownReference,
                        cx.loc.find_quoted(c, base),
                        format!("choice `{}` cites unknown porting condition `{c}`", ch.id),
                        help,
                    );
                }
            }
        }
    }
    let next = resolve_target(cx, ch, &ch.next, base, targets, target_names);
    let mut branches = Vec::new();
    for b in &ch.branches {
        if let Some(t) = resolve_target(cx, ch, &b.next, base, targets, target_names) {
            branches.push((condition(cx, &b.when, refs, base), t));
        }
    }
    let bits = |names: &[String]| -> u64 {
        names
            .iter()
            .filter_map(|f| refs.flags.iter().position(|x| x == f))
            .fold(0u64, |m, i| m | (1 << i))
    };
    let set = bits(&ch.set);
    let clear = bits(&ch.clear);
    if ch.minutes > 24 * 60 {
        cx.push(
            Code::InvalidValue,
            cx.loc.find_key("minutes", base),
            format!(
                "choice `{}` takes {} minutes, more than a day",
                ch.id, ch.minutes
            ),
            None,
        );
    }
    Choice {
        id: ch.id.clone(),
        text: Text::new(ch.vi.clone(), ch.en.clone()),
        when,
        step,
        model: ch.model,
        scores,
        violations,
        cites,
        mood: ch.mood,
        willingness: ch.willingness,
        minutes: ch.minutes,
        set,
        clear,
        reveal: ch.reveal,
        feedback: ch.feedback.clone().into(),
        branches,
        next: next.unwrap_or(Target::End(EndingIdx(0))),
    }
}

fn resolve_target(
    cx: &mut Ctx<'_>,
    ch: &ChoiceFile,
    name: &str,
    base: usize,
    targets: &HashMap<String, Target>,
    target_names: &[&str],
) -> Option<Target> {
    if let Some(t) = targets.get(name) {
        return Some(*t);
    }
    let help = suggest(name, target_names.iter().copied())
        .or_else(|| Some("`next` must name a node or an ending of this scenario".into()));
    let at = cx.loc.find_field("next", name, base);
    cx.push(
        Code::UnknownTarget,
        at,
        format!(
            "choice `{}` leads to unknown node or ending `{name}`",
            ch.id
        ),
        help,
    );
    None
}

fn condition(cx: &mut Ctx<'_>, c: &ConditionFile, refs: &Refs<'_>, base: usize) -> Condition {
    match c {
        ConditionFile::Always => Condition::Always,
        ConditionFile::MoodAtLeast(n) => Condition::MoodAtLeast(*n),
        ConditionFile::MoodBelow(n) => Condition::MoodBelow(*n),
        ConditionFile::WillingnessAtLeast(n) => Condition::WillingnessAtLeast(*n),
        ConditionFile::WillingnessBelow(n) => Condition::WillingnessBelow(*n),
        ConditionFile::Flag(f) | ConditionFile::NotFlag(f) => {
            let bit = refs.flags.iter().position(|x| x == f);
            if bit.is_none() || !refs.set_flags.contains(f.as_str()) {
                let help = suggest(f, refs.set_flags.iter().copied().filter(|x| x != f))
                    .or_else(|| Some("a flag exists once some choice has it in `set` (clearing it is not enough)".into()));
                cx.push(
                    Code::UnknownReference,
                    cx.loc.find_quoted(f, base),
                    format!("flag `{f}` is never set by any choice"),
                    help,
                );
            }
            let bit = bit.unwrap_or(0) as u8;
            if matches!(c, ConditionFile::Flag(_)) {
                Condition::Flag(bit)
            } else {
                Condition::NotFlag(bit)
            }
        }
        ConditionFile::StepDone(s) => match refs.step_ids.get(s) {
            Some(&i) => Condition::StepDone(i),
            None => {
                let help = suggest(s, refs.step_ids.keys().map(String::as_str));
                cx.push(
                    Code::UnknownStep,
                    cx.loc.find_quoted(s, base),
                    format!("condition names unknown step `{s}`"),
                    help,
                );
                Condition::Always
            }
        },
        ConditionFile::Reason(r) => match refs.reason_ids.get(r) {
            Some(&i) => Condition::Reason(i),
            None => {
                let help = suggest(r, refs.reason_ids.keys().map(String::as_str)).or_else(|| {
                    Some("declare the reason under `customer: (reasons: [...])`".into())
                });
                cx.push(
                    Code::UnknownReference,
                    cx.loc.find_quoted(r, base),
                    format!("condition names unknown reason `{r}`"),
                    help,
                );
                Condition::Always
            }
        },
        ConditionFile::Segment(s) => Condition::Segment(match s {
            SegmentFile::Individual => Segment::Individual,
            SegmentFile::Enterprise => Segment::Enterprise,
        }),
        ConditionFile::Postpaid => Condition::Postpaid,
        ConditionFile::Prepaid => Condition::Prepaid,
        ConditionFile::InCommitment => Condition::InCommitment,
        ConditionFile::NotInCommitment => Condition::NotInCommitment,
        ConditionFile::DeadlineMissed => Condition::DeadlineMissed,
        ConditionFile::All(v) => {
            Condition::All(v.iter().map(|c| condition(cx, c, refs, base)).collect())
        }
        ConditionFile::Any(v) => {
            Condition::Any(v.iter().map(|c| condition(cx, c, refs, base)).collect())
        }
        ConditionFile::Not(b) => Condition::Not(Box::new(condition(cx, b, refs, base))),
    }
}

/// Checks a text whose placeholders are filled (lines, choices, feedback, endings, briefing).
fn check_text(cx: &mut Ctx<'_>, off: Option<usize>, what: &str, vi: &str, en: &str) {
    check_any_text(cx, off, what, vi, en, true);
}

/// Checks a text shown as written (titles, step titles, reasons): no placeholder is filled.
fn check_label(cx: &mut Ctx<'_>, off: Option<usize>, what: &str, vi: &str, en: &str) {
    check_any_text(cx, off, what, vi, en, false);
}

fn check_any_text(
    cx: &mut Ctx<'_>,
    off: Option<usize>,
    what: &str,
    vi: &str,
    en: &str,
    filled: bool,
) {
    if vi.trim().is_empty() {
        cx.push(
            Code::InvalidValue,
            off,
            format!("the Vietnamese {what} text is empty"),
            Some("every text needs Vietnamese first".into()),
        );
    }
    if en.trim().is_empty() {
        cx.push(
            Code::MissingEnglish,
            off,
            format!("the {what} text has no English gloss"),
            Some("add `en: \"…\"` next to `vi`".into()),
        );
    }
    for t in [vi, en] {
        if let Some(w) = super::cues::internal_word(t) {
            let at = off.and_then(|o| cx.loc.find_quoted(t, o)).or(off);
            cx.push(
                Code::InternalWord,
                at,
                format!("the {what} text shows the trainee an internal word: `{w}`"),
                Some("name the rule in plain words (\"quy trình chuẩn\", \"cam kết đích thân xin lỗi\"); ids, codes and document names are for authors, in `//` comments".into()),
            );
        }
        if !is_nfc(t) {
            let at = off.and_then(|o| cx.loc.find_quoted(t, o)).or(off);
            cx.push(Code::NotNfc, at, format!("the {what} text is not in Unicode NFC"), Some("re-save the file with composed (NFC) Vietnamese characters; many editors have a Normalize command".into()));
        }
        check_placeholders(cx, off, t, what, filled);
    }
}

fn check_placeholders(cx: &mut Ctx<'_>, off: Option<usize>, text: &str, what: &str, filled: bool) {
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            cx.push(
                Code::UnknownPlaceholder,
                off,
                "a `{` is never closed".into(),
                Some("write placeholders as {honorific}".into()),
            );
            return;
        };
        let name = &after[..close];
        let at = off
            .and_then(|o| cx.loc.find_raw(&format!("{{{name}}}"), o))
            .or(off);
        let always_empty = cx
            .empty
            .iter()
            .find(|(p, _)| *p == name)
            .map(|(_, why)| *why);
        if PLACEHOLDERS.contains(&name) && !filled {
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("placeholder `{{{name}}}` in a {what}, where placeholders are not filled"),
                Some(format!("a {what} is shown as written: write the words out; placeholders are filled in lines, choices, feedback, endings and the briefing")),
            );
        } else if let Some(why) = always_empty {
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("placeholder `{{{name}}}` is always empty here: {why}"),
                Some("write the words out, or use the placeholder in a scenario where it has a value".into()),
            );
        } else if !PLACEHOLDERS.contains(&name) {
            let help = suggest(name, PLACEHOLDERS.iter().copied())
                .or_else(|| Some(format!("known placeholders: {}", PLACEHOLDERS.join(", "))));
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("unknown placeholder `{{{name}}}`"),
                help,
            );
        }
        rest = &after[close + 1..];
    }
}

/// Satisfiability of conditions, by expansion into a disjunction of conjunctions of literals.
mod sat {
    use super::*;

    #[derive(Clone, Copy, PartialEq, Eq)]
    pub(super) enum Lit {
        MoodGe(i32),
        MoodLt(i32),
        WillGe(i32),
        WillLt(i32),
        Flag(u8, bool),
        Step(StepIdx, bool),
        Reason(ReasonIdx, bool),
        Segment(Segment),
        Postpaid(bool),
        Commit(bool),
        Deadline(bool),
        Never,
    }

    pub(super) struct Facts<'a> {
        pub segment: Segment,
        pub postpaid: u32,
        pub in_commitment: u32,
        pub has_deadline: bool,
        pub performable: &'a HashSet<StepIdx>,
        pub reasons: usize,
    }

    type Dnf = Vec<Vec<Lit>>;

    fn and(a: Dnf, b: Dnf) -> Option<Dnf> {
        if a.len() * b.len() > MAX_DNF_TERMS {
            return None;
        }
        Some(
            a.iter()
                .flat_map(|x| b.iter().map(move |y| [x.clone(), y.clone()].concat()))
                .collect(),
        )
    }

    pub(super) fn dnf(c: &Condition, neg: bool) -> Option<Dnf> {
        let lit = |l: Lit| Some(vec![vec![l]]);
        match (c, neg) {
            (Condition::Always, false) => Some(vec![vec![]]),
            (Condition::Always, true) => lit(Lit::Never),
            (Condition::MoodAtLeast(n), false) | (Condition::MoodBelow(n), true) => {
                lit(Lit::MoodGe(*n))
            }
            (Condition::MoodBelow(n), false) | (Condition::MoodAtLeast(n), true) => {
                lit(Lit::MoodLt(*n))
            }
            (Condition::WillingnessAtLeast(n), false) | (Condition::WillingnessBelow(n), true) => {
                lit(Lit::WillGe(*n))
            }
            (Condition::WillingnessBelow(n), false) | (Condition::WillingnessAtLeast(n), true) => {
                lit(Lit::WillLt(*n))
            }
            (Condition::Flag(b), n) => lit(Lit::Flag(*b, !n)),
            (Condition::NotFlag(b), n) => lit(Lit::Flag(*b, n)),
            (Condition::StepDone(s), n) => lit(Lit::Step(*s, !n)),
            (Condition::Reason(r), n) => lit(Lit::Reason(*r, !n)),
            (Condition::Segment(s), false) => lit(Lit::Segment(*s)),
            (Condition::Segment(s), true) => lit(Lit::Segment(match s {
                Segment::Individual => Segment::Enterprise,
                Segment::Enterprise => Segment::Individual,
            })),
            (Condition::Postpaid, n) => lit(Lit::Postpaid(!n)),
            (Condition::Prepaid, n) => lit(Lit::Postpaid(n)),
            (Condition::InCommitment, n) => lit(Lit::Commit(!n)),
            (Condition::NotInCommitment, n) => lit(Lit::Commit(n)),
            (Condition::DeadlineMissed, n) => lit(Lit::Deadline(!n)),
            (Condition::Not(inner), n) => dnf(inner, !n),
            (Condition::All(v), false) | (Condition::Any(v), true) => v
                .iter()
                .try_fold(vec![vec![]], |acc, c| and(acc, dnf(c, neg)?)),
            (Condition::Any(v), false) | (Condition::All(v), true) => {
                let mut out = Vec::new();
                for c in v {
                    out.extend(dnf(c, neg)?);
                    if out.len() > MAX_DNF_TERMS {
                        return None;
                    }
                }
                Some(out)
            }
        }
    }

    fn term_ok(t: &[Lit], f: &Facts<'_>) -> bool {
        let (mut mlo, mut mhi, mut wlo, mut whi) = (0, 101, 0, 101);
        let mut flags: HashMap<u8, bool> = HashMap::new();
        let mut steps: HashMap<StepIdx, bool> = HashMap::new();
        let mut reason_is = None;
        let mut reason_not = HashSet::new();
        let mut post = None;
        let mut commit = None;
        let mut dl = None;
        for l in t {
            match *l {
                Lit::Never => return false,
                Lit::MoodGe(n) => mlo = mlo.max(n),
                Lit::MoodLt(n) => mhi = mhi.min(n),
                Lit::WillGe(n) => wlo = wlo.max(n),
                Lit::WillLt(n) => whi = whi.min(n),
                Lit::Flag(b, v) => {
                    if *flags.entry(b).or_insert(v) != v {
                        return false;
                    }
                }
                Lit::Step(s, v) => {
                    if v && !f.performable.contains(&s) || *steps.entry(s).or_insert(v) != v {
                        return false;
                    }
                }
                Lit::Reason(r, true) => {
                    if reason_is.is_some_and(|x| x != r) {
                        return false;
                    }
                    reason_is = Some(r);
                }
                Lit::Reason(r, false) => {
                    reason_not.insert(r);
                }
                Lit::Segment(s) => {
                    if s != f.segment {
                        return false;
                    }
                }
                Lit::Postpaid(v) => {
                    if (v && f.postpaid == 0)
                        || (!v && f.postpaid == 100)
                        || *post.get_or_insert(v) != v
                    {
                        return false;
                    }
                }
                Lit::Commit(v) => {
                    if (v && f.in_commitment == 0)
                        || (!v && f.in_commitment == 100)
                        || *commit.get_or_insert(v) != v
                    {
                        return false;
                    }
                }
                Lit::Deadline(v) => {
                    if (v && !f.has_deadline) || *dl.get_or_insert(v) != v {
                        return false;
                    }
                }
            }
        }
        if let Some(r) = reason_is
            && reason_not.contains(&r)
        {
            return false;
        }
        if reason_is.is_none() && f.reasons > 0 && reason_not.len() >= f.reasons {
            return false;
        }
        mlo < mhi && mlo <= 100 && mhi > 0 && wlo < whi && wlo <= 100 && whi > 0
    }

    /// Whether some state makes `c` hold (`true` when the check gives up).
    pub(super) fn can_hold(c: &Condition, f: &Facts<'_>) -> bool {
        match dnf(c, false) {
            None => true,
            Some(terms) => terms.iter().any(|t| term_ok(t, f)),
        }
    }
}

fn graph_checks(
    cx: &mut Ctx<'_>,
    s: &Scenario,
    node_offsets: &[Option<usize>],
    raw: &ScenarioFile,
) {
    let performable: HashSet<StepIdx> = s
        .nodes
        .iter()
        .flat_map(|n| &n.choices)
        .filter_map(|c| c.step)
        .collect();
    let facts = sat::Facts {
        segment: s.segment,
        postpaid: s.customer.postpaid,
        in_commitment: s.customer.in_commitment,
        has_deadline: s.deadline.is_some(),
        performable: &performable,
        reasons: s.customer.reasons.len(),
    };
    // Choices and lines whose conditions can never hold.
    let mut offerable: Vec<Vec<bool>> = Vec::new();
    for (ni, n) in s.nodes.iter().enumerate() {
        let base = node_offsets[ni].unwrap_or(0);
        let mut from = base;
        let mut row = Vec::new();
        for c in &n.choices {
            let off = cx.loc.find_field("id", &c.id, from);
            if let Some(o) = off {
                from = o + 1;
            }
            let ok = sat::can_hold(&c.when, &facts);
            if !ok {
                cx.push(Code::NeverOffered, off.and_then(|o| cx.loc.find_key("when", o)).or(off), format!("choice `{}` in node `{}` can never be offered: its condition can never hold", c.id, n.id), Some("check for contradictions such as All([Flag(\"x\"), NotFlag(\"x\")]) or a mood outside 0–100".into()));
            }
            row.push(ok);
        }
        for (li, l) in n.lines.iter().enumerate() {
            if !sat::can_hold(&l.when, &facts) {
                // At the line's own text when it can be found (not at the node).
                let at = cx.loc.find_quoted(&l.text.vi, base).or(Some(base));
                cx.push(
                    Code::NeverOffered,
                    at,
                    format!(
                        "line {} of node `{}` can never be said: its condition can never hold",
                        li + 1,
                        n.id
                    ),
                    Some("check for contradictions such as All([Flag(\"x\"), NotFlag(\"x\")]) or a mood outside 0–100".into()),
                );
            }
        }
        offerable.push(row);
    }
    // Reachability over offerable choices.
    let mut seen = vec![false; s.nodes.len()];
    let mut stack = vec![s.start];
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut seen[n.0 as usize], true) {
            continue;
        }
        for (ci, c) in s.node(n).choices.iter().enumerate() {
            if !offerable[n.0 as usize][ci] {
                continue;
            }
            for t in c.branches.iter().map(|b| b.1).chain([c.next]) {
                if let Target::Node(m) = t
                    && !seen[m.0 as usize]
                {
                    stack.push(m);
                }
            }
        }
    }
    for (ni, n) in s.nodes.iter().enumerate() {
        if !seen[ni] {
            cx.push(
                Code::Unreachable,
                node_offsets[ni],
                format!("node `{}` cannot be reached from the start node", n.id),
                Some("lead a choice's `next` to it, or remove it".into()),
            );
        } else if !offerable[ni].iter().any(|&b| b) {
            cx.push(
                Code::DeadEnd,
                node_offsets[ni],
                format!(
                    "node `{}` is a dead end: no choice can be offered there",
                    n.id
                ),
                Some("add a choice with no `when`, or lead to an ending".into()),
            );
        }
    }
    exit_checks(cx, s, node_offsets, &seen, &offerable);
    // Required steps no path performs.
    let steps_off = cx.loc.find_key("steps", 0).unwrap_or(0);
    for (si, st) in s.steps.iter().enumerate() {
        if !st.required {
            continue;
        }
        let done = s.nodes.iter().enumerate().any(|(ni, n)| {
            seen[ni]
                && n.choices
                    .iter()
                    .enumerate()
                    .any(|(ci, c)| offerable[ni][ci] && c.step == Some(StepIdx(si as u16)))
        });
        if !done {
            cx.push(
                Code::StepNeverPerformed,
                cx.loc.find_field("id", &st.id, steps_off),
                format!(
                    "required step `{}` is performed by no choice on any path",
                    st.id
                ),
                Some(
                    "add `step: \"…\"` to the choice that performs it, or set `required: false`"
                        .into(),
                ),
            );
        }
    }
    let _ = raw;
}

/// Reachable nodes from which no ending can be reached (a loop with no way out: S0116, an error)
/// and endings that no reachable choice leads to (W0208). Iterative: no recursion on
/// user-sized input.
fn exit_checks(
    cx: &mut Ctx<'_>,
    s: &Scenario,
    node_offsets: &[Option<usize>],
    seen: &[bool],
    offerable: &[Vec<bool>],
) {
    let n = s.nodes.len();
    // Reverse edges over offerable choices; `exits` are nodes with a choice that can end the call.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut can_end = vec![false; n];
    let mut ending_reached = vec![false; s.endings.len()];
    let mut stack = Vec::new();
    for (ni, node) in s.nodes.iter().enumerate() {
        for (ci, c) in node.choices.iter().enumerate() {
            if !offerable[ni][ci] {
                continue;
            }
            for t in c.branches.iter().map(|b| b.1).chain([c.next]) {
                match t {
                    Target::Node(m) => preds[m.0 as usize].push(ni),
                    Target::End(e) => {
                        if seen[ni] {
                            ending_reached[e.0 as usize] = true;
                        }
                        if !can_end[ni] {
                            can_end[ni] = true;
                            stack.push(ni);
                        }
                    }
                }
            }
        }
    }
    while let Some(m) = stack.pop() {
        for &p in &preds[m] {
            if !can_end[p] {
                can_end[p] = true;
                stack.push(p);
            }
        }
    }
    for (ni, node) in s.nodes.iter().enumerate() {
        if seen[ni] && !can_end[ni] && offerable[ni].iter().any(|&b| b) {
            cx.push(
                Code::NoWayOut,
                node_offsets[ni],
                format!(
                    "no ending can be reached from node `{}`: the call would go round for ever",
                    node.id
                ),
                Some("give a choice on the loop a `next` that leads towards an ending".into()),
            );
        }
    }
    let endings_off = cx.loc.find_key("endings", 0).unwrap_or(0);
    for (ei, e) in s.endings.iter().enumerate() {
        if !ending_reached[ei] {
            cx.push(
                Code::EndingNeverReached,
                cx.loc.find_field("id", &e.id, endings_off),
                format!("no choice on any path leads to ending `{}`", e.id),
                Some("lead a choice's `next` (or a branch) to it, or remove it".into()),
            );
        }
    }
}

/// For each commitment, the best total reachable on some path from the start (conditions
/// ignored; a loop is walked at most once). Iterative: a scenario of 100,000 nodes in a chain
/// does not overflow the stack.
pub fn commitment_max(s: &Scenario, commitments: usize) -> Vec<i32> {
    (0..commitments)
        .map(|ci| best_from(s, s.start, ci as u8).max(0))
        .collect()
}

/// One node being explored: which choice and which of its targets comes next, and the best so far.
struct Frame {
    node: usize,
    choice: usize,
    target: usize,
    best: i32,
}

/// The best total of commitment `ci` from `start`: the maximum over choices of the choice's own
/// points plus the best from its target (0 at an ending or back on the current path), memoised
/// per node. A depth-first walk with an explicit stack.
fn best_from(s: &Scenario, start: NodeIdx, ci: u8) -> i32 {
    let own = |node: usize, choice: usize| -> i32 {
        s.nodes[node].choices[choice]
            .scores
            .iter()
            .filter(|(k, _)| k.0 == ci)
            .map(|(_, d)| *d)
            .sum()
    };
    let target = |node: usize, choice: usize, t: usize| -> Option<Target> {
        let c = &s.nodes[node].choices[choice];
        c.branches
            .get(t)
            .map(|b| b.1)
            .or((t == c.branches.len()).then_some(c.next))
    };
    let mut memo: Vec<Option<i32>> = vec![None; s.nodes.len()];
    let mut on_path = vec![false; s.nodes.len()];
    let start = start.0 as usize;
    on_path[start] = true;
    let mut stack = vec![Frame {
        node: start,
        choice: 0,
        target: 0,
        best: i32::MIN,
    }];
    // The value a finished child hands back to the frame that pushed it.
    let mut returned: Option<i32> = None;
    while let Some(f) = stack.last_mut() {
        if let Some(v) = returned.take() {
            f.best = f.best.max(own(f.node, f.choice) + v);
            f.target += 1;
        }
        let mut child = None;
        while f.choice < s.nodes[f.node].choices.len() {
            let Some(t) = target(f.node, f.choice, f.target) else {
                f.choice += 1;
                f.target = 0;
                continue;
            };
            let rest = match t {
                Target::End(_) => Some(0),
                Target::Node(m) if on_path[m.0 as usize] => Some(0),
                Target::Node(m) => memo[m.0 as usize],
            };
            match (rest, t) {
                (Some(r), _) => {
                    f.best = f.best.max(own(f.node, f.choice) + r);
                    f.target += 1;
                }
                (None, Target::Node(m)) => {
                    child = Some(m.0 as usize);
                    break;
                }
                (None, Target::End(_)) => f.target += 1,
            }
        }
        if let Some(m) = child {
            on_path[m] = true;
            stack.push(Frame {
                node: m,
                choice: 0,
                target: 0,
                best: i32::MIN,
            });
            continue;
        }
        let done = stack.pop().map_or((0, 0), |f| (f.node, f.best));
        on_path[done.0] = false;
        let v = if done.1 == i32::MIN { 0 } else { done.1 };
        memo[done.0] = Some(v);
        if stack.is_empty() {
            return v;
        }
        returned = Some(v);
    }
    0
}
