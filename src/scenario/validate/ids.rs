//! Ids: the scenario's own, its steps, the one namespace of nodes and endings, the deadline's
//! step and the start node.

use super::*;

/// The scenario's id, title, briefing and difficulty.
pub(super) fn header(cx: &mut Ctx<'_>, raw: &ScenarioFile) {
    let id_off = cx.loc.find_field("id", &raw.id, 0);
    check_label(cx, id_off, "title", &raw.title.vi, &raw.title.en);
    check_text(cx, id_off, "briefing", &raw.briefing.vi, &raw.briefing.en);
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
}

/// The declared steps and their ids.
pub(super) struct Steps {
    pub(super) steps: Vec<Step>,
    pub(super) ids: HashMap<String, StepIdx>,
}

pub(super) fn steps(cx: &mut Ctx<'_>, raw: &ScenarioFile) -> Steps {
    let mut ids: HashMap<String, StepIdx> = HashMap::new();
    let mut steps = Vec::new();
    let mut from = 0;
    for s in &raw.steps {
        let off = cx.loc.find_field("id", &s.id, from);
        if let Some(o) = off {
            from = o + 1;
        }
        if ids.contains_key(&s.id) {
            cx.push(
                Code::DuplicateId,
                off,
                format!("step `{}` is declared twice", s.id),
                Some("give each step its own id".into()),
            );
            continue;
        }
        check_label(cx, off, "step title", &s.title.vi, &s.title.en);
        ids.insert(s.id.clone(), StepIdx(steps.len() as u16));
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
    Steps { steps, ids }
}

/// Node and ending ids (one namespace), where each node is in the file, and the endings.
pub(super) struct Targets {
    pub(super) targets: HashMap<String, Target>,
    pub(super) node_offsets: Vec<Option<usize>>,
    pub(super) endings: Vec<Ending>,
}

pub(super) fn targets(cx: &mut Ctx<'_>, raw: &ScenarioFile) -> Targets {
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
    let mut endings = Vec::new();
    let mut from = cx.loc.find_key("endings", 0).unwrap_or(0);
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
        check_text(cx, off, "ending", &e.text.vi, &e.text.en);
        endings.push(Ending {
            id: e.id.clone(),
            outcome: outcome(e.outcome),
            score: e.score.min(100),
            text: e.text.clone().into(),
        });
    }
    Targets {
        targets,
        node_offsets,
        endings,
    }
}

/// The passive port-out deadline and the step that meets it.
pub(super) fn deadline(
    cx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    situation: Situation,
    step_ids: &HashMap<String, StepIdx>,
) -> Option<Deadline> {
    let d = raw.deadline.as_ref()?;
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

/// The start node (not an ending).
pub(super) fn start(
    cx: &mut Ctx<'_>,
    raw: &ScenarioFile,
    targets: &HashMap<String, Target>,
) -> Option<NodeIdx> {
    match targets.get(&raw.start) {
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
    }
}
