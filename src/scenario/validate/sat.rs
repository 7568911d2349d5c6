//! Satisfiability of conditions, by expansion into a disjunction of conjunctions of literals.

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
