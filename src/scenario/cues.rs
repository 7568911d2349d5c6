//! Cues a test-wise trainee could use instead of care: the model answer spotted by its length,
//! by being the only polite option, or a call whose choices never change its course.
//!
//! The analysis is static (no playing): `check` turns it into warnings and `explore` reports it
//! under `validity.cues` and `validity.branching`. Item-writing research (Haladyna, Downing &
//! Rodriguez 2002, guidelines 24 and 28) names length, grammar, politeness and echoing the stem as
//! the cues test-wise candidates use.

use super::model::{Condition, NodeIdx, Scenario, Target};
use crate::text::diagnostic::{Code, Diagnostic, Locator};
use crate::text::template::{self, Piece};

/// A model answer more than this many times the mean length of the other options is a length cue.
pub const MAX_MODEL_LENGTH_RATIO: f64 = 1.5;
/// Politeness markers an option needs to count as polite.
pub const POLITE_MIN_MARKERS: u32 = 2;
/// One-sided 95 % normal quantile, for the count of points where the model is longest by chance.
const Z_95: f64 = 1.645;

/// Vietnamese politeness markers (lower case, words separated by one space). A test-wise trainee
/// picks the option with the most of them.
pub const POLITENESS_MARKERS: &[&str] = &[
    "dạ",
    "ạ",
    "vâng",
    "xin lỗi",
    "cảm ơn",
    "cám ơn",
    "quý khách",
    "xin phép",
    "kính",
    "xin mời",
    "làm phiền",
];

/// The words of a text, lower case, split at anything that is not a letter or digit.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How many politeness markers a text holds (each occurrence counts).
pub fn politeness(text: &str) -> u32 {
    let w = words(text);
    let mut n = 0;
    for m in POLITENESS_MARKERS {
        let parts: Vec<&str> = m.split(' ').collect();
        n += w
            .windows(parts.len())
            .filter(|win| win.iter().zip(&parts).all(|(a, b)| a == b))
            .count() as u32;
    }
    n
}

/// Typical filled length of a placeholder, so that a template is measured as a trainee sees it.
fn placeholder_len(name: &str) -> usize {
    match name {
        "honorific" | "Honorific" | "wrong_honorific" | "Wrong_honorific" => 3,
        "name" | "staff" => 4,
        "full_name" => 14,
        "reason" => 45,
        "competitor" | "province" => 8,
        "staff_phone" => 12,
        "company" => 24,
        "lines" | "minutes_left" => 2,
        _ => name.chars().count() + 2,
    }
}

/// Length in characters of a template's Vietnamese text as shown (placeholders at a typical length).
pub fn display_len(template: &str) -> usize {
    template::pieces(template)
        .map(|p| match p {
            Piece::Literal(s) | Piece::Unclosed(s) => s.chars().count(),
            Piece::Placeholder(name) => placeholder_len(name),
        })
        .sum()
}

/// The top-level literals a condition requires (the atoms of an `All`, or the atom itself).
fn conjuncts(c: &Condition) -> Vec<&Condition> {
    match c {
        Condition::All(v) => v.iter().flat_map(conjuncts).collect(),
        Condition::Always => Vec::new(),
        other => vec![other],
    }
}

fn contradict(a: &Condition, b: &Condition) -> bool {
    use Condition as C;
    match (a, b) {
        (C::Reason(x), C::Reason(y)) => x != y,
        (C::Segment(x), C::Segment(y)) => x != y,
        (C::Flag(x), C::NotFlag(y)) | (C::NotFlag(x), C::Flag(y)) => x == y,
        (C::Postpaid, C::Prepaid) | (C::Prepaid, C::Postpaid) => true,
        (C::InCommitment, C::NotInCommitment) | (C::NotInCommitment, C::InCommitment) => true,
        (C::MoodAtLeast(n), C::MoodBelow(m)) | (C::MoodBelow(m), C::MoodAtLeast(n)) => m <= n,
        (C::WillingnessAtLeast(n), C::WillingnessBelow(m))
        | (C::WillingnessBelow(m), C::WillingnessAtLeast(n)) => m <= n,
        (C::Not(x), y) | (y, C::Not(x)) => **x == *y,
        _ => false,
    }
}

/// Whether two `when` conditions can hold together (a syntactic test: two options whose
/// conditions plainly exclude each other, such as `Reason("a")` and `Reason("b")`, are never shown
/// together).
pub fn can_show_together(a: &Condition, b: &Condition) -> bool {
    let (ca, cb) = (conjuncts(a), conjuncts(b));
    !ca.iter().any(|x| cb.iter().any(|y| contradict(x, y)))
}

/// One set of options shown together that holds a model answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoicePoint {
    /// The node.
    pub node: NodeIdx,
    /// The model answer (index into the node's choices).
    pub model: usize,
    /// Every option shown with it, the model included (indices, in file order).
    pub options: Vec<usize>,
    /// Display length of the model.
    pub model_len: usize,
    /// Mean display length of the other options.
    pub others_mean_len: f64,
    /// The model is at least as long as every other option.
    pub model_longest: bool,
    /// The model is at most as long as every other option.
    pub model_shortest: bool,
    /// The model is polite and no other option is.
    pub model_only_polite: bool,
}

impl ChoicePoint {
    /// Model length ÷ the mean length of the others.
    pub fn length_ratio(&self) -> f64 {
        if self.others_mean_len > 0.0 {
            self.model_len as f64 / self.others_mean_len
        } else {
            1.0
        }
    }
}

/// Every choice point of a scenario: for each model answer, the options that can be shown with it.
pub fn choice_points(sc: &Scenario) -> Vec<ChoicePoint> {
    let mut out = Vec::new();
    for (ni, node) in sc.nodes.iter().enumerate() {
        for (mi, m) in node.choices.iter().enumerate().filter(|(_, c)| c.model) {
            let options: Vec<usize> = node
                .choices
                .iter()
                .enumerate()
                .filter(|(i, c)| *i == mi || (!c.model && can_show_together(&m.when, &c.when)))
                .map(|(i, _)| i)
                .collect();
            if options.len() < 2 {
                continue;
            }
            let len = |i: usize| display_len(&node.choices[i].text.vi);
            let polite = |i: usize| politeness(&node.choices[i].text.vi) >= POLITE_MIN_MARKERS;
            let model_len = len(mi);
            let others: Vec<usize> = options.iter().copied().filter(|&i| i != mi).collect();
            let others_mean_len =
                others.iter().map(|&i| len(i) as f64).sum::<f64>() / others.len() as f64;
            out.push(ChoicePoint {
                node: NodeIdx(ni as u32),
                model: mi,
                model_len,
                others_mean_len,
                model_longest: others.iter().all(|&i| model_len >= len(i)),
                model_shortest: others.iter().all(|&i| model_len <= len(i)),
                model_only_polite: polite(mi) && !others.iter().any(|&i| polite(i)),
                options,
            });
        }
    }
    out
}

/// Length and politeness cues over a scenario's choice points.
#[derive(Debug, Clone, PartialEq)]
pub struct Cues {
    /// Choice points.
    pub choice_points: usize,
    /// Points where the model is the longest option.
    pub model_longest: usize,
    /// Points where the model is the shortest option.
    pub model_shortest: usize,
    /// The most either count may be by chance (see [`chance_limit`]).
    pub limit: usize,
    /// Points where the model is the only polite option.
    pub model_only_polite: usize,
    /// The largest model length ÷ mean length of the other options.
    pub model_length_ratio_max: f64,
}

/// The count of points where the model is longest that chance allows: with kᵢ options at point
/// i, expected Σ1/kᵢ, limit = expected + 1.645·√(Σ(1/kᵢ)(1−1/kᵢ)), rounded down.
pub fn chance_limit(points: &[ChoicePoint]) -> usize {
    let (mut mean, mut var) = (0.0, 0.0);
    for p in points {
        let q = 1.0 / p.options.len() as f64;
        mean += q;
        var += q * (1.0 - q);
    }
    (mean + Z_95 * var.sqrt()).floor() as usize
}

/// The cues of a scenario.
pub fn cues(points: &[ChoicePoint]) -> Cues {
    Cues {
        choice_points: points.len(),
        model_longest: points.iter().filter(|p| p.model_longest).count(),
        model_shortest: points.iter().filter(|p| p.model_shortest).count(),
        limit: chance_limit(points),
        model_only_polite: points.iter().filter(|p| p.model_only_polite).count(),
        model_length_ratio_max: points
            .iter()
            .map(ChoicePoint::length_ratio)
            .fold(0.0, f64::max),
    }
}

/// Whether the choices at a node can take the call to different places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeBranching {
    /// The node.
    pub node: NodeIdx,
    /// Two of its options can lead to different nodes or endings.
    pub consequences: bool,
}

/// Targets a choice can lead to: its `branches`, then `next`.
fn targets(c: &super::model::Choice) -> Vec<Target> {
    let mut t: Vec<Target> = c.branches.iter().map(|b| b.1).chain([c.next]).collect();
    t.sort_by_key(|x| match x {
        Target::Node(n) => (0, n.0),
        Target::End(e) => (1, e.0),
    });
    t.dedup();
    t
}

/// For every node with two or more options: whether two options can lead to different places —
/// their possible targets differ, or they share conditional targets but change mood, willingness
/// or flags differently (so the branch taken depends on the option).
pub fn branching(sc: &Scenario) -> Vec<NodeBranching> {
    sc.nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.choices.len() >= 2)
        .map(|(ni, n)| {
            let first = targets(&n.choices[0]);
            let differ = n.choices.iter().any(|c| targets(c) != first);
            let effect = |c: &super::model::Choice| (c.mood, c.willingness, c.set, c.clear);
            let conditional = n.choices.iter().any(|c| !c.branches.is_empty());
            let effects_differ = n.choices.iter().any(|c| effect(c) != effect(&n.choices[0]));
            NodeBranching {
                node: NodeIdx(ni as u32),
                consequences: differ || (conditional && effects_differ),
            }
        })
        .collect()
}

/// Choice points with consequences a scenario needs: one third of them, rounded up.
pub fn consequences_needed(points: usize) -> usize {
    points.div_ceil(3)
}

/// Words a trainee must never see: document names, checklist entry codes (`S2-03`, `X-02`),
/// commitment codes (`CK7`) and snake_case ids (`tre_han_mnp`). Returns the first one found.
pub fn internal_word(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    for doc in [
        "playbook",
        "content brief",
        "content-brief",
        "rulebook",
        "domain.md",
        ".ron",
    ] {
        if lower.contains(doc) {
            return Some(doc.to_owned());
        }
    }
    // Placeholders such as `{staff_phone}` are filled in before a trainee sees the text.
    let shown = template::literal_text(text);
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    for word in shown.split(|c: char| !is_word(c)).filter(|w| !w.is_empty()) {
        let w = word.trim_matches('-');
        let b = w.as_bytes();
        let entry = |prefix: &str| {
            w.strip_prefix(prefix)
                .is_some_and(|d| d.len() == 2 && d.bytes().all(|x| x.is_ascii_digit()))
        };
        let commitment = b.len() == 3 && w.starts_with("CK") && (b'1'..=b'8').contains(&b[2]);
        let snake = w.contains('_')
            && w.split('_').all(|p| !p.is_empty())
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if entry("S1-") || entry("S2-") || entry("S3-") || entry("X-") || commitment || snake {
            return Some(w.to_owned());
        }
    }
    None
}

/// The cue warnings of a valid scenario (W0204–W0207), located at the model answer or node.
pub(super) fn diagnostics(
    sc: &Scenario,
    loc: &Locator<'_>,
    file: &str,
    node_offsets: &[Option<usize>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |node: NodeIdx, choice: Option<usize>| {
        let n = node.0 as usize;
        let noff = node_offsets.get(n).copied().flatten().unwrap_or(0);
        let off = choice
            .and_then(|c| loc.find_field("id", &sc.nodes[n].choices[c].id, noff))
            .unwrap_or(noff);
        loc.line_col(off)
    };
    let points = choice_points(sc);
    let c = cues(&points);
    if c.model_longest > c.limit || c.model_shortest > c.limit {
        let (what, n, first) = if c.model_longest > c.limit {
            (
                "longest",
                c.model_longest,
                points.iter().find(|p| p.model_longest),
            )
        } else {
            (
                "shortest",
                c.model_shortest,
                points.iter().find(|p| p.model_shortest),
            )
        };
        let pos = first.map_or((1, 1), |p| at(p.node, Some(p.model)));
        out.push(
            Diagnostic::new(
                Code::ModelLengthCue,
                file,
                pos,
                format!(
                    "the model answer is the {what} option at {n} of {} choice points; chance allows {}",
                    c.choice_points, c.limit
                ),
            )
            .with_help(format!(
                "a trainee who always picks the {what} option would find it: write wrong options as long as the model, and some short model answers"
            )),
        );
    }
    for p in &points {
        if p.length_ratio() > MAX_MODEL_LENGTH_RATIO {
            out.push(
                Diagnostic::new(
                    Code::ModelMuchLonger,
                    file,
                    at(p.node, Some(p.model)),
                    format!(
                        "this model answer is {:.1}× the mean length of the other options at node `{}` (at most {MAX_MODEL_LENGTH_RATIO})",
                        p.length_ratio(),
                        sc.nodes[p.node.0 as usize].id
                    ),
                )
                .with_help("shorten it, or make a wrong option as full and specific as the model"),
            );
        }
        if p.model_only_polite {
            out.push(
                Diagnostic::new(
                    Code::ModelOnlyPolite,
                    file,
                    at(p.node, Some(p.model)),
                    format!(
                        "the model answer is the only polite option at node `{}`",
                        sc.nodes[p.node.0 as usize].id
                    ),
                )
                .with_help("real agents' mistakes are polite too: word the wrong options as courteously (dạ, ạ, xin lỗi…) and make them wrong in substance"),
            );
        }
    }
    let nodes = branching(sc);
    let with = nodes.iter().filter(|n| n.consequences).count();
    if with < consequences_needed(nodes.len()) {
        for n in nodes.iter().filter(|n| !n.consequences) {
            out.push(
                Diagnostic::new(
                    Code::NoConsequence,
                    file,
                    at(n.node, None),
                    format!(
                        "every option at node `{}` leads to the same place, and only {with} of {} choice points change the course",
                        sc.nodes[n.node.0 as usize].id,
                        nodes.len()
                    ),
                )
                .with_help(format!(
                    "let at least {} choice points lead somewhere different by choice (another `next`, or `branches` on mood or flags the options change differently)",
                    consequences_needed(nodes.len())
                )),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn politeness_counts_markers_as_words() {
        assert_eq!(politeness("Dạ, em xin lỗi anh ạ."), 3);
        assert_eq!(politeness("Cảm ơn quý khách."), 2);
        // "dạy" and "ạch" are not markers.
        assert_eq!(politeness("Em dạy anh cách ạch"), 0);
    }

    #[test]
    fn internal_words_are_found() {
        for (text, word) in [
            ("Đúng theo Playbook: xin lỗi trước.", "playbook"),
            ("Xin lỗi trước (S2-03, X-02).", "S2-03"),
            ("Sai (CK7).", "CK7"),
            ("Lỗi tre_han_mnp.", "tre_han_mnp"),
            ("Xem content brief 1.2.", "content brief"),
        ] {
            assert_eq!(internal_word(text).as_deref(), Some(word), "{text}");
        }
        for ok in [
            "Dạ, em xin lỗi anh ạ.",
            "Gói 5G, số 0901-234-567, tổng đài 9090.",
            "CK10 X-2",
            "Số của em là {staff_phone}, {full_name} ạ.",
        ] {
            assert_eq!(internal_word(ok), None, "{ok}");
        }
    }

    #[test]
    fn display_len_counts_placeholders_as_filled() {
        assert_eq!(
            display_len("Chào {honorific}."),
            "Chào anh.".chars().count()
        );
        assert_eq!(
            display_len("abc {unclosed"),
            "abc {unclosed".chars().count()
        );
    }

    #[test]
    fn chance_limit_follows_the_formula() {
        // 8 points of 3 options: mean 8/3 = 2.67, sd √(8·2/9) = 1.33 → 2.67 + 2.19 = 4.86 → 4.
        let p = ChoicePoint {
            node: NodeIdx(0),
            model: 0,
            options: vec![0, 1, 2],
            model_len: 1,
            others_mean_len: 1.0,
            model_longest: false,
            model_shortest: false,
            model_only_polite: false,
        };
        assert_eq!(chance_limit(&vec![p; 8]), 4);
    }

    #[test]
    fn exclusive_conditions_are_not_shown_together() {
        use crate::scenario::model::ReasonIdx;
        let a = Condition::Reason(ReasonIdx(0));
        let b = Condition::All(vec![
            Condition::MoodAtLeast(10),
            Condition::Reason(ReasonIdx(1)),
        ]);
        assert!(!can_show_together(&a, &b));
        assert!(can_show_together(&a, &Condition::Always));
        assert!(!can_show_together(
            &Condition::MoodAtLeast(50),
            &Condition::MoodBelow(40)
        ));
        assert!(can_show_together(
            &Condition::MoodAtLeast(30),
            &Condition::MoodBelow(40)
        ));
    }
}
