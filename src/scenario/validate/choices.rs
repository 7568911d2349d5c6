//! Choices, their targets and their conditions.

use super::*;
use crate::rulebook::{CommitmentIdx, ViolationIdx};

pub(super) struct Refs<'a> {
    pub(super) step_ids: &'a HashMap<String, StepIdx>,
    pub(super) reason_ids: &'a HashMap<String, ReasonIdx>,
    pub(super) flags: &'a [String],
    pub(super) set_flags: &'a HashSet<&'a str>,
}

pub(super) fn choice(
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
    let (scores, violations, cites) = match rulebook {
        Some(rb) => grading(cx, ch, base, rb),
        None => Default::default(),
    };
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

/// What a choice is graded on: commitment scores, violations and the porting conditions it cites.
fn grading(
    cx: &mut Ctx<'_>,
    ch: &ChoiceFile,
    base: usize,
    rb: &Rulebook,
) -> (Vec<(CommitmentIdx, i32)>, Vec<ViolationIdx>, Vec<u16>) {
    let mut scores = Vec::new();
    let mut violations = Vec::new();
    {
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
    {
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
    (scores, violations, cites)
}

pub(super) fn resolve_target(
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

pub(super) fn condition(
    cx: &mut Ctx<'_>,
    c: &ConditionFile,
    refs: &Refs<'_>,
    base: usize,
) -> Condition {
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
