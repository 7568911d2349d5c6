//! `report --verify`: replays every stored session from its seed and choice log with today's
//! curriculum ([`crate::scoring::replay`]) and compares what it gives with what was stored: grade,
//! pass, outcome, ending, critical violations, simulated minutes, each commitment's points and
//! percent, and each trainee's mastery. A difference is a [`Mismatch`] whose [`Cause`] says
//! whether the content changed since (stored hashes differ from today's) or the record was
//! edited (hashes equal, so the same inputs must give the same scores).

use std::collections::BTreeMap;

use crate::profile::{StoredScore, StoredSession, mastery};
use crate::rulebook::Rulebook;
use crate::scenario::Curriculum;
use crate::scenario::Scenario;
use crate::scoring::{ChoiceLog, replay};

/// Why a stored value differs from the re-derived one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The scenario and rulebook are unchanged, so the stored record was edited.
    Tampered,
    /// The scenario file changed since the session was played.
    ScenarioChanged {
        /// Hash stored with the session.
        stored: String,
        /// Hash of today's file.
        current: String,
    },
    /// The rulebook changed since the session was played.
    RulebookChanged {
        /// Hash stored with the session.
        stored: String,
        /// Hash of today's rulebook.
        current: String,
    },
    /// The scenario is no longer in the curriculum.
    ScenarioMissing,
    /// Follows from the session mismatches listed for the same trainee.
    FollowsFromSessions,
}

impl Cause {
    /// In plain words.
    pub fn describe(&self) -> String {
        match self {
            Cause::Tampered => "tampering: the scenario and rulebook are unchanged since it was played, so the stored record was edited".into(),
            Cause::ScenarioChanged { stored, current } => format!(
                "the scenario changed since it was played (content hash {stored} then, {current} now)"
            ),
            Cause::RulebookChanged { stored, current } => format!(
                "the rulebook changed since it was played (hash {stored} then, {current} now)"
            ),
            Cause::ScenarioMissing => "the scenario is no longer in the curriculum".into(),
            Cause::FollowsFromSessions => "follows from this trainee's session mismatches".into(),
        }
    }
}

/// What a mismatch is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// A stored session.
    Session {
        /// Its id.
        id: i64,
        /// Scenario id.
        scenario: String,
    },
    /// A trainee's mastery of a commitment.
    Mastery {
        /// Commitment id.
        commitment: String,
    },
}

/// One stored value that the re-derivation does not reproduce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// Whose record.
    pub employee_id: String,
    /// Session or mastery.
    pub subject: Subject,
    /// What differs: `grade`, `passed`, `CK3 percent`, `choice log`…
    pub field: String,
    /// As stored.
    pub stored: String,
    /// As re-derived.
    pub derived: String,
    /// Why.
    pub cause: Cause,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.subject {
            Subject::Session { id, scenario } => write!(
                f,
                "session {id} ({}, {scenario}): {} stored {}, re-derived {} — {}",
                self.employee_id,
                self.field,
                self.stored,
                self.derived,
                self.cause.describe()
            ),
            Subject::Mastery { commitment } => write!(
                f,
                "mastery of {commitment} for {}: from stored scores {}, re-derived {} — {}",
                self.employee_id,
                self.stored,
                self.derived,
                self.cause.describe()
            ),
        }
    }
}

/// Re-derives every session in `stored` (each with its choice log) and each trainee's mastery;
/// returns every mismatch, sessions first, in the order given.
pub fn verify(curriculum: &Curriculum, stored: &[(StoredSession, ChoiceLog)]) -> Vec<Mismatch> {
    let rb = &curriculum.rulebook;
    let mut out = Vec::new();
    let mut by_trainee: BTreeMap<&str, (Vec<StoredSession>, Vec<StoredSession>)> = BTreeMap::new();
    for (s, log) in stored {
        let mut derived = s.clone();
        let subject = Subject::Session {
            id: s.id,
            scenario: s.scenario.to_string(),
        };
        let mut push = |field: &str, stored: String, derived: String, cause: Cause| {
            out.push(Mismatch {
                employee_id: s.employee_id.to_string(),
                subject: subject.clone(),
                field: field.to_owned(),
                stored,
                derived,
                cause,
            });
        };
        let Some(sc) = curriculum.scenario(&log.scenario) else {
            push(
                "scenario",
                log.scenario.clone(),
                "(absent)".into(),
                Cause::ScenarioMissing,
            );
            continue;
        };
        let cause = cause(sc, rb, log);
        match replay(sc.clone(), rb.clone(), log.seed, &log.choices) {
            Err(e) => push(
                "choice log",
                format!("{} choices", log.choices.len()),
                format!("cannot be replayed ({e})"),
                cause.clone(),
            ),
            Ok((_, card)) => {
                let mut cmp = |field: &str, a: String, b: String| {
                    if a != b {
                        push(field, a, b, cause.clone());
                    }
                };
                cmp("grade", s.grade.to_string(), card.grade.to_string());
                cmp("passed", s.passed.to_string(), card.passed.to_string());
                cmp(
                    "outcome",
                    s.outcome.as_str().into(),
                    card.outcome.as_str().into(),
                );
                cmp(
                    "ending",
                    s.ending.as_deref().unwrap_or_default().to_owned(),
                    card.ending.clone().unwrap_or_default(),
                );
                cmp(
                    "critical violations",
                    s.critical.to_string(),
                    card.critical_count().to_string(),
                );
                cmp("minutes", s.minutes.to_string(), card.minutes.to_string());
                let show = |p: Option<u32>| p.map_or_else(|| "—".to_owned(), |p| p.to_string());
                for c in &card.commitments {
                    let st = s.commitments.iter().find(|x| *x.id == *c.id);
                    cmp(
                        &format!("{} percent", c.id),
                        show(st.and_then(|x| x.percent)),
                        show(c.percent),
                    );
                    cmp(
                        &format!("{} points", c.id),
                        st.map_or_else(|| "—".into(), |x| x.earned.to_string()),
                        c.earned.to_string(),
                    );
                }
                derived.grade = card.grade;
                derived.passed = card.passed;
                derived.commitments = card
                    .commitments
                    .iter()
                    .map(|c| StoredScore {
                        id: c.id.as_str().into(),
                        earned: c.earned,
                        best: c.best,
                        percent: c.percent,
                    })
                    .collect();
            }
        }
        let e = by_trainee.entry(&*s.employee_id).or_default();
        e.0.push(s.clone());
        e.1.push(derived);
    }
    out.extend(mastery_mismatches(by_trainee, rb));
    out
}

/// Why a stored score may differ: the scenario or rulebook changed since, else tampering.
fn cause(sc: &Scenario, rb: &Rulebook, log: &ChoiceLog) -> Cause {
    if sc.content_hash != log.scenario_hash {
        Cause::ScenarioChanged {
            stored: log.scenario_hash.clone(),
            current: sc.content_hash.clone(),
        }
    } else if rb.hash != log.rulebook_hash {
        Cause::RulebookChanged {
            stored: log.rulebook_hash.clone(),
            current: rb.hash.clone(),
        }
    } else {
        Cause::Tampered
    }
}

/// Mastery computed from the stored sessions against mastery from the re-derived ones.
fn mastery_mismatches(
    by_trainee: BTreeMap<&str, (Vec<StoredSession>, Vec<StoredSession>)>,
    rb: &Rulebook,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (employee, (stored, derived)) in by_trainee {
        let a = mastery(&stored, rb);
        let b = mastery(&derived, rb);
        for (x, y) in a.iter().zip(&b) {
            if (x.value - y.value).abs() > 1e-9 || x.level != y.level {
                out.push(Mismatch {
                    employee_id: employee.to_owned(),
                    subject: Subject::Mastery {
                        commitment: x.commitment.clone(),
                    },
                    field: "mastery".into(),
                    stored: format!("{:.1} ({})", x.value, x.level.label().en),
                    derived: format!("{:.1} ({})", y.value, y.level.label().en),
                    cause: Cause::FollowsFromSessions,
                });
            }
        }
    }
    out
}
