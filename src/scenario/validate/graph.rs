//! The graph: conditions that can never hold, reachability, dead ends, loops without a way
//! out, endings nothing reaches, required steps no path performs, the best reachable score.

use super::*;

pub(super) fn graph_checks(
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
    let seen = reachable(s, &offerable);
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
    unperformed_steps(cx, s, &seen, &offerable);
    let _ = raw;
}

/// Nodes reachable from the start over choices that can be offered.
fn reachable(s: &Scenario, offerable: &[Vec<bool>]) -> Vec<bool> {
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
    seen
}

/// Required steps that no choice on any reachable path performs.
fn unperformed_steps(cx: &mut Ctx<'_>, s: &Scenario, seen: &[bool], offerable: &[Vec<bool>]) {
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
}

/// Reachable nodes from which no ending can be reached (a loop with no way out: S0116, an error)
/// and endings that no reachable choice leads to (W0208). Iterative: no recursion on
/// user-sized input.
pub(super) fn exit_checks(
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
