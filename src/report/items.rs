//! Item analysis of a scenario's choice points, as assessment platforms give it: how many
//! trainees reached each point, the difficulty `p` (share who chose a model answer), the
//! item-rest point-biserial discrimination (does choosing the model answer here go with doing
//! well on the rest of the call?) and each option's share (distractor analysis), with the flags
//! of the literature (Haladyna, Downing & Rodriguez): too easy (p > 0.90), too hard (p < 0.30),
//! weak (r < 0.20) or misleading (r < 0) discrimination, and options almost nobody picks (< 5%).
//! Figures from fewer than [`PROVISIONAL_BELOW`] responses are marked provisional.
//!
//! Each session's choices are replayed on the current scenario to know at which point each was
//! made (a choice id is unique within its node only); sessions played on another version of the
//! scenario, and bots' sessions, are left out. An item is a point's first visit in a session.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::profile::StoredSession;
use crate::rulebook::Rulebook;
use crate::scenario::Scenario;
use crate::scenario::model::NodeIdx;
use crate::scoring::replay;

/// Below this many responses an item's figures are provisional.
pub const PROVISIONAL_BELOW: usize = 50;
/// An item easier than this is flagged.
pub const TOO_EASY: f64 = 0.90;
/// An item harder than this is flagged.
pub const TOO_HARD: f64 = 0.30;
/// A discrimination below this is flagged weak.
pub const WEAK_DISCRIMINATION: f64 = 0.20;
/// An option chosen by fewer than this share of those who reached the point is flagged.
pub const RARE_OPTION: f64 = 0.05;

/// One option of a choice point.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionStat {
    /// Choice id.
    pub id: String,
    /// Its Vietnamese text as written.
    pub text: String,
    /// A model answer.
    pub model: bool,
    /// How many chose it (first visits).
    pub chosen: usize,
    /// Share of those who reached the point.
    pub share: f64,
}

/// One choice point.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Node id.
    pub node: String,
    /// Sessions that reached it.
    pub reached: usize,
    /// Difficulty: share who chose a model answer (`None`: nobody reached it).
    pub p: Option<f64>,
    /// Item-rest point-biserial correlation (`None`: not computable, e.g. everyone alike).
    pub discrimination: Option<f64>,
    /// Options, in file order.
    pub options: Vec<OptionStat>,
    /// Flags, as stable words: `too_easy`, `too_hard`, `weak_discrimination`,
    /// `negative_discrimination`, `rare_option:<id>`.
    pub flags: Vec<String>,
    /// Fewer than [`PROVISIONAL_BELOW`] responses.
    pub provisional: bool,
}

/// The analysis of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemAnalysis {
    /// Scenario id.
    pub scenario: String,
    /// Sessions analysed.
    pub sessions: usize,
    /// Sessions left out (another version of the scenario, or not replayable).
    pub left_out: usize,
    /// Choice points (nodes with two options or more), in file order.
    pub items: Vec<Item>,
}

/// Analyses a scenario from stored sessions and their choices (`choices[session id]`).
pub fn analyse(
    sc: &std::sync::Arc<Scenario>,
    rb: &std::sync::Arc<Rulebook>,
    sessions: &[StoredSession],
    choices: &HashMap<i64, Vec<String>>,
) -> ItemAnalysis {
    // Per session: for each node first visited, the index of the choice made.
    let mut responses: Vec<HashMap<NodeIdx, usize>> = Vec::new();
    let mut left_out = 0;
    for s in sessions.iter().filter(|s| *s.scenario == *sc.id && !s.bot) {
        let Some(log) = choices.get(&s.id) else {
            left_out += 1;
            continue;
        };
        if *s.scenario_hash != *sc.content_hash {
            left_out += 1;
            continue;
        }
        let Ok((session, _)) = replay(sc.clone(), rb.clone(), s.seed, log) else {
            left_out += 1;
            continue;
        };
        let mut first: HashMap<NodeIdx, usize> = HashMap::new();
        for t in session.turns() {
            first.entry(t.node).or_insert(t.choice);
        }
        responses.push(first);
    }
    let points: Vec<NodeIdx> = (0..sc.nodes.len())
        .map(|i| NodeIdx(i as u32))
        .filter(|&n| sc.node(n).choices.len() >= 2)
        .collect();
    // Total per session: model answers over every point it reached.
    let model = |n: NodeIdx, c: usize| sc.node(n).choices[c].model;
    let totals: Vec<f64> = responses
        .iter()
        .map(|r| {
            r.iter()
                .filter(|(n, c)| points.contains(n) && model(**n, **c))
                .count() as f64
        })
        .collect();
    let items = points
        .iter()
        .map(|&n| item(sc, n, &responses, &totals))
        .collect();
    ItemAnalysis {
        scenario: sc.id.clone(),
        sessions: responses.len(),
        left_out,
        items,
    }
}

fn item(sc: &Scenario, n: NodeIdx, responses: &[HashMap<NodeIdx, usize>], totals: &[f64]) -> Item {
    let node = sc.node(n);
    let mut chosen = vec![0usize; node.choices.len()];
    let (mut xs, mut rests) = (Vec::new(), Vec::new());
    for (r, total) in responses.iter().zip(totals) {
        let Some(&c) = r.get(&n) else { continue };
        chosen[c] += 1;
        let x = f64::from(u8::from(node.choices[c].model));
        xs.push(x);
        rests.push(total - x);
    }
    let reached = xs.len();
    let p = (reached > 0).then(|| xs.iter().sum::<f64>() / reached as f64);
    let discrimination = point_biserial(&xs, &rests);
    let options: Vec<OptionStat> = node
        .choices
        .iter()
        .zip(&chosen)
        .map(|(c, &k)| OptionStat {
            id: c.id.clone(),
            text: c.text.vi.clone(),
            model: c.model,
            chosen: k,
            share: if reached == 0 {
                0.0
            } else {
                k as f64 / reached as f64
            },
        })
        .collect();
    let mut flags = Vec::new();
    if let Some(p) = p {
        if p > TOO_EASY {
            flags.push("too_easy".to_owned());
        }
        if p < TOO_HARD {
            flags.push("too_hard".to_owned());
        }
    }
    if let Some(r) = discrimination {
        if r < 0.0 {
            flags.push("negative_discrimination".to_owned());
        } else if r < WEAK_DISCRIMINATION {
            flags.push("weak_discrimination".to_owned());
        }
    }
    if reached > 0 {
        for o in options.iter().filter(|o| !o.model && o.share < RARE_OPTION) {
            flags.push(format!("rare_option:{}", o.id));
        }
    }
    Item {
        node: node.id.clone(),
        reached,
        p,
        discrimination,
        options,
        flags,
        provisional: reached < PROVISIONAL_BELOW,
    }
}

/// Pearson's correlation of a 0/1 item score with the rest score (the point-biserial); `None`
/// when either does not vary.
pub fn point_biserial(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    if xs.len() < 2 || xs.len() != ys.len() {
        return None;
    }
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The analyses as CSV (one row per option; the point's figures repeated on each row, so that a
/// spreadsheet filter keeps them), UTF-8 with a byte-order mark for Excel.
pub fn to_csv(analyses: &[ItemAnalysis]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "scenario",
        "node",
        "reached",
        "difficulty_p",
        "discrimination",
        "option",
        "model",
        "chosen",
        "share",
        "flags",
        "provisional",
        "option_text",
    ]);
    let fixed = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.3}"));
    for a in analyses {
        for it in &a.items {
            for o in &it.options {
                let _ = w.write_record([
                    a.scenario.clone(),
                    it.node.clone(),
                    it.reached.to_string(),
                    fixed(it.p),
                    fixed(it.discrimination),
                    o.id.clone(),
                    u8::from(o.model).to_string(),
                    o.chosen.to_string(),
                    format!("{:.3}", o.share),
                    it.flags.join(" "),
                    u8::from(it.provisional).to_string(),
                    super::neutralise(&o.text).into_owned(),
                ]);
            }
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let mut out = String::from("\u{feff}");
    let _ = write!(out, "{}", String::from_utf8_lossy(&body));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_biserial_is_pearson_on_a_binary_item() {
        // Those who chose the model answer also did better on the rest: strongly positive.
        let r = point_biserial(&[1.0, 1.0, 0.0, 0.0], &[5.0, 4.0, 1.0, 0.0]).expect("r");
        assert!((r - 0.9701).abs() < 1e-3, "{r}");
        // The opposite: negative.
        let r = point_biserial(&[0.0, 0.0, 1.0, 1.0], &[5.0, 4.0, 1.0, 0.0]).expect("r");
        assert!(r < -0.9);
        // Everyone alike: not computable.
        assert_eq!(point_biserial(&[1.0, 1.0], &[3.0, 1.0]), None);
    }
}
