//! `sim`, `explore` and `graph` output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use serde_json::{Value, json};

use super::GraphFormat;
use crate::explore::{Exploration, Policy, Validity, play, session_seeds};
use crate::scenario::model::Target;
use crate::scenario::{Curriculum, Lang, Scenario};

/// Grades 0–100 counted, so that any number of runs keeps constant memory.
struct Histogram([u64; 101]);

impl Histogram {
    fn add(&mut self, grade: u32) {
        self.0[grade.min(100) as usize] += 1;
    }

    fn count(&self) -> u64 {
        self.0.iter().sum()
    }

    fn mean(&self) -> f64 {
        let sum: f64 = self
            .0
            .iter()
            .enumerate()
            .map(|(g, &n)| g as f64 * n as f64)
            .sum();
        sum / (self.count().max(1) as f64)
    }

    /// The nearest-rank percentile.
    fn percentile(&self, p: u64) -> u32 {
        let n = self.count();
        if n == 0 {
            return 0;
        }
        let rank = (p * n).div_ceil(100).max(1);
        let mut seen = 0;
        for (g, &k) in self.0.iter().enumerate() {
            seen += k;
            if seen >= rank {
                return g as u32;
            }
        }
        100
    }
}

pub(super) fn sim(
    cur: &Curriculum,
    scenarios: &[Arc<Scenario>],
    runs: u32,
    policy: Policy,
    seed: u64,
    json_out: bool,
) -> String {
    let mut out = String::new();
    let mut all = Vec::new();
    for sc in scenarios {
        let mut grades = Histogram([0; 101]);
        let mut passes = 0u32;
        let mut endings: BTreeMap<String, u32> = BTreeMap::new();
        let mut ck: Vec<(u64, u32)> = vec![(0, 0); cur.rulebook.commitments.len()];
        for s in session_seeds(seed, &sc.id, runs) {
            let card = play(sc.clone(), cur.rulebook.clone(), s, policy);
            grades.add(card.grade);
            passes += u32::from(card.passed);
            *endings
                .entry(card.ending.clone().unwrap_or_else(|| "(none)".into()))
                .or_default() += 1;
            for (i, c) in card.commitments.iter().enumerate() {
                if let Some(p) = c.percent {
                    ck[i].0 += u64::from(p);
                    ck[i].1 += 1;
                }
            }
        }
        let n = grades.count().max(1) as f64;
        let mean = grades.mean();
        let means: Vec<(String, Option<f64>)> = cur
            .rulebook
            .commitments
            .iter()
            .zip(&ck)
            .map(|(c, &(sum, cnt))| (c.id.clone(), (cnt > 0).then(|| sum as f64 / f64::from(cnt))))
            .collect();
        if json_out {
            all.push(json!({
                "scenario": sc.id,
                "runs": runs,
                "policy": policy.as_str(),
                "seed": seed,
                "grade": {"mean": round1(mean), "p10": grades.percentile(10), "p50": grades.percentile(50), "p90": grades.percentile(90)},
                "pass_rate": round1(f64::from(passes) * 100.0 / n),
                "endings": endings,
                "commitments": means.iter().map(|(k, v)| (k.clone(), json!(v.map(round1)))).collect::<serde_json::Map<String, Value>>(),
            }));
        } else {
            let _ = writeln!(
                out,
                "{} ({} runs, policy {}, seed {seed})",
                sc.id,
                runs,
                policy.as_str()
            );
            let _ = writeln!(
                out,
                "  grade: mean {:.1}  p10 {}  p50 {}  p90 {}   pass rate {:.1}%",
                mean,
                grades.percentile(10),
                grades.percentile(50),
                grades.percentile(90),
                f64::from(passes) * 100.0 / n
            );
            let e: Vec<String> = endings
                .iter()
                .map(|(k, v)| format!("{k} {:.1}%", f64::from(*v) * 100.0 / n))
                .collect();
            let _ = writeln!(out, "  endings: {}", e.join(", "));
            let m: Vec<String> = means
                .iter()
                .map(|(k, v)| v.map_or(format!("{k} —"), |v| format!("{k} {v:.1}")))
                .collect();
            let _ = writeln!(out, "  commitments: {}", m.join("  "));
        }
    }
    if json_out {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_default()
        );
    }
    out
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn rate(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn validity_json(v: &Validity) -> Value {
    let count =
        |c: crate::explore::PassCount| json!({"sessions": c.sessions, "pass_rate": rate(c.rate())});
    json!({
        "naive": v.naive.iter().map(|(p, c)| (p.as_str().to_owned(), json!({"runs": c.sessions, "pass_rate": rate(c.rate())}))).collect::<serde_json::Map<String, Value>>(),
        "slips": {"minor": count(v.minor_slips), "critical": count(v.critical_slips)},
        "cues": {
            "choice_points": v.cues.choice_points,
            "model_longest": v.cues.model_longest,
            "model_longest_limit": v.cues.limit,
            "model_shortest": v.cues.model_shortest,
            "model_shortest_limit": v.cues.limit,
            "model_only_polite": v.cues.model_only_polite,
            "model_length_ratio_max": (v.cues.model_length_ratio_max * 100.0).round() / 100.0,
        },
        "branching": {
            "choice_points": v.branching.choice_points,
            "with_consequences": v.branching.with_consequences,
            "endings_reachable": v.branching.endings_reachable,
        },
        "problems": v.problems(),
    })
}

pub(super) fn exploration_json(e: &Exploration, v: &Validity) -> Value {
    let path = |p: &crate::explore::PathResult| json!({"grade": p.grade, "passed": p.passed, "choices": p.choices, "steps": p.steps, "customer": p.customer});
    json!({
        "scenario": e.scenario,
        "paths": e.paths,
        "customers": e.customers,
        "truncated": e.truncated,
        "endings": e.endings.iter().map(|x| json!({"id": x.id, "outcome": x.outcome, "paths": x.paths})).collect::<Vec<_>>(),
        "dead_ends": e.dead_ends,
        "best": path(&e.best),
        "worst": path(&e.worst),
        "commitments": e.commitments.iter().map(|(id, lo, hi)| (id.clone(), json!({"min": lo, "max": hi}))).collect::<serde_json::Map<String, Value>>(),
        "validity": validity_json(v),
    })
}

fn target_id(sc: &Scenario, t: Target) -> &str {
    match t {
        Target::Node(n) => &sc.node(n).id,
        Target::End(e) => &sc.ending(e).id,
    }
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn short(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

pub(super) fn graph(cur: &Curriculum, sc: &Scenario, format: GraphFormat, lang: Lang) -> String {
    let rb = &cur.rulebook;
    let mut o = String::new();
    let edges = sc.nodes.iter().flat_map(|n| {
        n.choices.iter().flat_map(move |c| {
            c.branches
                .iter()
                .map(|b| b.1)
                .chain([c.next])
                .map(move |t| (n, c, t))
        })
    });
    match format {
        GraphFormat::Dot => {
            let _ = writeln!(o, "digraph \"{}\" {{\n  rankdir=LR;", esc(&sc.id));
            for n in &sc.nodes {
                let shape = if n.id == sc.node(sc.start).id {
                    "doublecircle"
                } else {
                    "box"
                };
                let _ = writeln!(o, "  \"{}\" [shape={shape}];", esc(&n.id));
            }
            for e in &sc.endings {
                let _ = writeln!(
                    o,
                    "  \"{}\" [shape=octagon, label=\"{}\\n{}\"];",
                    esc(&e.id),
                    esc(&e.id),
                    e.outcome.as_str()
                );
            }
            for (n, c, t) in edges {
                let style = if c.model {
                    ", color=darkgreen, penwidth=2.5"
                } else if !c.violations.is_empty() {
                    ", color=red"
                } else {
                    ""
                };
                let _ = writeln!(
                    o,
                    "  \"{}\" -> \"{}\" [label=\"{}\"{style}];",
                    esc(&n.id),
                    esc(target_id(sc, t)),
                    esc(&format!("{}: {}", c.id, short(c.text.get(lang))))
                );
            }
            o.push_str("}\n");
        }
        GraphFormat::Mermaid => {
            o.push_str("flowchart LR\n");
            let mut model_edges = Vec::new();
            for (i, (n, c, t)) in edges.enumerate() {
                let label = format!("{}: {}", c.id, short(c.text.get(lang))).replace('"', "'");
                let _ = writeln!(
                    o,
                    "  {}[\"{}\"] -->|\"{}\"| {}[\"{}\"]",
                    n.id,
                    n.id,
                    label,
                    target_id(sc, t),
                    target_id(sc, t)
                );
                if c.model {
                    model_edges.push(i.to_string());
                }
            }
            if !model_edges.is_empty() {
                let _ = writeln!(
                    o,
                    "  linkStyle {} stroke:#1b7f3b,stroke-width:3px",
                    model_edges.join(",")
                );
            }
        }
        GraphFormat::Json => {
            let nodes: Vec<Value> = sc
                .nodes
                .iter()
                .map(|n| json!({"id": n.id, "kind": "node", "start": n.id == sc.node(sc.start).id}))
                .chain(sc.endings.iter().map(|e| json!({"id": e.id, "kind": "ending", "outcome": e.outcome.as_str(), "score": e.score})))
                .collect();
            let edges: Vec<Value> = edges
                .map(|(n, c, t)| {
                    json!({
                        "from": n.id,
                        "to": target_id(sc, t),
                        "choice": c.id,
                        "text": {"vi": c.text.vi, "en": c.text.en},
                        "model": c.model,
                        "scores": c.scores.iter().map(|(k, d)| (rb.commitments[usize::from(k.0)].id.clone(), json!(d))).collect::<serde_json::Map<String, Value>>(),
                        "step": c.step.map(|s| sc.step(s).id.clone()),
                        "violations": c.violations.iter().map(|&v| rb.violation_kind(v).id.clone()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let _ = writeln!(
                o,
                "{}",
                serde_json::to_string_pretty(
                    &json!({"scenario": sc.id, "nodes": nodes, "edges": edges})
                )
                .unwrap_or_default()
            );
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::Histogram;

    #[test]
    fn histogram_percentiles_match_the_nearest_rank_of_the_sorted_grades() {
        let grades = [40, 70, 70, 85, 90, 95, 100, 100, 0, 55];
        let mut h = Histogram([0; 101]);
        for g in grades {
            h.add(g);
        }
        let mut sorted = grades.to_vec();
        sorted.sort_unstable();
        for p in [10u64, 50, 90, 100] {
            let rank = (p as usize * sorted.len()).div_ceil(100).max(1);
            assert_eq!(h.percentile(p), sorted[rank - 1], "p{p}");
        }
        assert!((h.mean() - 70.5).abs() < 1e-9);
        assert_eq!(Histogram([0; 101]).percentile(50), 0);
    }
}
