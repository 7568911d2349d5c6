//! Mastery per commitment over a trainee's sessions, and the recommended next scenario.
//!
//! Mastery is an exponentially weighted mean of the commitment's percent over the sessions that
//! score it, newest first with weight 1, each older one [`DECAY`] times the next newer. Levels:
//! *thành thạo* (proficient) from [`PROFICIENT_VALUE`] over at least [`PROFICIENT_SESSIONS`]
//! sessions, *đạt* (achieved) from the rulebook's per-commitment pass mark, else *chưa đạt*.

use crate::rulebook::Rulebook;
use crate::scenario::{Curriculum, Text};
use crate::text::Ui;

use super::StoredSession;

/// Weight of a session relative to the next newer one.
pub const DECAY: f64 = 0.7;

/// Lowest mastery value that is proficient.
pub const PROFICIENT_VALUE: f64 = 85.0;

/// Fewest scored sessions for proficiency (one lucky session is not mastery).
pub const PROFICIENT_SESSIONS: usize = 3;

/// A mastery level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Chưa đạt: below the pass mark, or never practised.
    NotYet,
    /// Đạt: at or above the per-commitment pass mark.
    Achieved,
    /// Thành thạo: high and steady.
    Proficient,
}

impl Level {
    /// Vietnamese and English label.
    pub fn label(self) -> Ui {
        match self {
            Level::NotYet => Ui::new("chưa đạt", "not yet"),
            Level::Achieved => Ui::new("đạt", "achieved"),
            Level::Proficient => Ui::new("thành thạo", "proficient"),
        }
    }

    /// Stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::NotYet => "not_yet",
            Level::Achieved => "achieved",
            Level::Proficient => "proficient",
        }
    }
}

/// A trainee's mastery of one commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Mastery {
    /// `CK1`…
    pub commitment: String,
    /// Its title.
    pub title: Text,
    /// 0–100; 0 when never scored.
    pub value: f64,
    /// Sessions that scored it.
    pub sessions: usize,
    /// Level.
    pub level: Level,
}

/// What to practise next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// Scenario id.
    pub scenario: String,
    /// The commitment it trains (the weakest not yet mastered).
    pub commitment: String,
    /// Why, in Vietnamese and English.
    pub reason: Text,
}

/// Mastery of every rulebook commitment over `sessions` (any order; ordered here by finish time).
pub fn mastery(sessions: &[StoredSession], rulebook: &Rulebook) -> Vec<Mastery> {
    mastery_of(&sessions.iter().collect::<Vec<_>>(), rulebook)
}

/// [`mastery`] over borrowed sessions (reports over many trainees avoid copying).
pub(crate) fn mastery_of(sessions: &[&StoredSession], rulebook: &Rulebook) -> Vec<Mastery> {
    // Sessions played by a bot measure the bot, not the trainee.
    let mut ordered: Vec<&StoredSession> = sessions.iter().copied().filter(|s| !s.bot).collect();
    ordered.sort_by_key(|s| (s.finished, s.id));
    rulebook
        .commitments
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (mut sum, mut weights, mut count) = (0.0, 0.0, 0usize);
            let mut w = 1.0;
            for s in ordered.iter().rev() {
                if let Some(p) = s.percent_at(i, &c.id) {
                    sum += w * f64::from(p);
                    weights += w;
                    count += 1;
                    w *= DECAY;
                }
            }
            let value = if weights > 0.0 { sum / weights } else { 0.0 };
            let level = if count >= PROFICIENT_SESSIONS && value >= PROFICIENT_VALUE {
                Level::Proficient
            } else if count > 0 && value >= f64::from(rulebook.pass.per_commitment) {
                Level::Achieved
            } else {
                Level::NotYet
            };
            Mastery {
                commitment: c.id.clone(),
                title: c.title.clone(),
                value,
                sessions: count,
                level,
            }
        })
        .collect()
}

/// The next scenario: one that scores the weakest commitment not yet proficient, preferring those
/// played least, then those that weigh the commitment most, then the easiest. `None` when every
/// commitment is proficient or no scenario scores the weakest ones.
pub fn recommend(
    curriculum: &Curriculum,
    sessions: &[StoredSession],
    rulebook: &Rulebook,
) -> Option<Recommendation> {
    recommend_of(curriculum, &sessions.iter().collect::<Vec<_>>(), rulebook)
}

/// [`recommend`] over borrowed sessions.
pub(crate) fn recommend_of(
    curriculum: &Curriculum,
    sessions: &[&StoredSession],
    rulebook: &Rulebook,
) -> Option<Recommendation> {
    recommend_from(curriculum, sessions, mastery_of(sessions, rulebook))
}

/// [`recommend`] from an already computed [`mastery`] of the same sessions.
pub(crate) fn recommend_from(
    curriculum: &Curriculum,
    sessions: &[&StoredSession],
    mastery: Vec<Mastery>,
) -> Option<Recommendation> {
    let mut weak: Vec<(usize, Mastery)> = mastery
        .into_iter()
        .enumerate()
        .filter(|(_, m)| m.level != Level::Proficient)
        .collect();
    weak.sort_by(|(ia, a), (ib, b)| {
        a.value
            .total_cmp(&b.value)
            .then(a.sessions.cmp(&b.sessions))
            .then(ia.cmp(ib))
    });
    for (ci, m) in weak {
        let best = curriculum
            .scenarios
            .iter()
            .filter_map(|sc| {
                let weight = sc.commitment_max.get(ci).copied().unwrap_or(0);
                (weight > 0).then(|| {
                    let played = sessions.iter().filter(|s| *s.scenario == *sc.id).count();
                    (played, std::cmp::Reverse(weight), sc.difficulty, sc)
                })
            })
            .min_by(|a, b| (a.0, a.1, a.2, &a.3.id).cmp(&(b.0, b.1, b.2, &b.3.id)));
        let Some((played, _, _, sc)) = best else {
            continue;
        };
        let value = format!("{:.0}", m.value);
        let reason = if m.sessions == 0 {
            Text::new(
                format!(
                    "{} ({}) chưa được luyện lần nào; kịch bản «{}» rèn cam kết này.",
                    m.commitment, m.title.vi, sc.title.vi
                ),
                format!(
                    "{} ({}) has not been practised yet; scenario “{}” trains it.",
                    m.commitment,
                    m.title.get(crate::scenario::Lang::En),
                    sc.title.get(crate::scenario::Lang::En)
                ),
            )
        } else {
            Text::new(
                format!(
                    "{} ({}) là cam kết yếu nhất chưa thành thạo (mức {}/100, mức độ: {}); kịch bản «{}» rèn cam kết này{}.",
                    m.commitment,
                    m.title.vi,
                    value,
                    m.level.label().vi,
                    sc.title.vi,
                    if played == 0 {
                        ", bạn chưa chơi kịch bản này"
                    } else {
                        ""
                    }
                ),
                format!(
                    "{} ({}) is the weakest commitment not yet proficient ({}/100, {}); scenario “{}” trains it{}.",
                    m.commitment,
                    m.title.get(crate::scenario::Lang::En),
                    value,
                    m.level.label().en,
                    sc.title.get(crate::scenario::Lang::En),
                    if played == 0 {
                        ", and you have not played it yet"
                    } else {
                        ""
                    }
                ),
            )
        };
        return Some(Recommendation {
            scenario: sc.id.clone(),
            commitment: m.commitment,
            reason,
        });
    }
    None
}
