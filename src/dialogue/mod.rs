//! A running session: the state machine over a validated scenario and a generated customer.
//!
//! [`Session::start`] opens the call; [`Session::choose`] applies one choice and returns what
//! happened as [`Event`]s (line said, choices offered, mood changed, step performed, violation
//! committed, clock advanced, deadline missed, session ended). [`step`] is the same transition
//! without events or allocation, for the bots and the explorer.

use std::sync::Arc;

use thiserror::Error;

use crate::customer::Customer;
use crate::rulebook::{Rulebook, ViolationIdx};
use crate::scenario::model::{
    Condition, EndingIdx, NodeIdx, ReasonIdx, Scenario, StepIdx, Target, Text,
};
use crate::text::capitalise;
use crate::text::template::{self, Piece};

/// The direct line the simulated agent gives a customer (`{staff_phone}`): one made-up number for
/// every session, so that a replay shows the same text.
pub const STAFF_PHONE: &str = "0901 234 567";

/// Mood and willingness are kept within 0..=100.
const SCALE_MAX: i32 = 100;
/// Mood lost when the passive-MNP deadline is missed.
pub const DEADLINE_MOOD_HIT: i32 = 15;
/// Willingness lost when the passive-MNP deadline is missed.
pub const DEADLINE_WILLINGNESS_HIT: i32 = 20;

/// Errors from invalid calls. Never a panic.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DialogueError {
    /// The session has already ended.
    #[error("the session has already ended")]
    Ended,
    /// The choice exists but is not on offer in the current state.
    #[error("choice `{0}` is not on offer now")]
    NotOffered(String),
    /// No choice with this id at the current node.
    #[error("there is no choice `{0}` at this point")]
    UnknownChoice(String),
}

/// The state of a session: everything a choice can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct State {
    /// Current node (meaningless once `ended` is set).
    pub node: NodeIdx,
    /// Mood, 0–100.
    pub mood: i32,
    /// Hidden willingness to stay, 0–100.
    pub willingness: i32,
    /// Flags (bits).
    pub flags: u64,
    /// Steps done (bits).
    pub steps: u64,
    /// Simulated minutes since the start (or since the porting centre's notice).
    pub clock: u32,
    /// The passive-MNP deadline has been missed.
    pub deadline_missed: bool,
    /// The customer's reason has been revealed.
    pub revealed: bool,
    /// The ending reached.
    pub ended: Option<EndingIdx>,
}

impl State {
    /// The state at the start of a session.
    pub fn initial(scenario: &Scenario, customer: &Customer) -> State {
        State {
            node: scenario.start,
            mood: customer.mood,
            willingness: customer.willingness,
            flags: 0,
            steps: 0,
            clock: scenario.deadline.map_or(0, |d| d.already_elapsed),
            deadline_missed: false,
            revealed: false,
            ended: None,
        }
    }
}

/// Whether a condition holds.
pub fn holds(c: &Condition, st: &State, cu: &Customer) -> bool {
    match c {
        Condition::Always => true,
        Condition::MoodAtLeast(n) => st.mood >= *n,
        Condition::MoodBelow(n) => st.mood < *n,
        Condition::WillingnessAtLeast(n) => st.willingness >= *n,
        Condition::WillingnessBelow(n) => st.willingness < *n,
        Condition::Flag(b) => st.flags & (1 << b) != 0,
        Condition::NotFlag(b) => st.flags & (1 << b) == 0,
        Condition::StepDone(s) => st.steps & (1 << s.0) != 0,
        Condition::Reason(r) => cu.reason == Some(*r),
        Condition::Segment(s) => cu.segment == *s,
        Condition::Postpaid => cu.plan == crate::customer::Plan::Postpaid,
        Condition::Prepaid => cu.plan == crate::customer::Plan::Prepaid,
        Condition::InCommitment => cu.in_commitment,
        Condition::NotInCommitment => !cu.in_commitment,
        Condition::DeadlineMissed => st.deadline_missed,
        Condition::All(v) => v.iter().all(|c| holds(c, st, cu)),
        Condition::Any(v) => v.iter().any(|c| holds(c, st, cu)),
        Condition::Not(c) => !holds(c, st, cu),
    }
}

/// What one transition did (beyond the new state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// The step performed, and whether in order.
    pub step: Option<(StepIdx, bool)>,
    /// The deadline was missed by this choice.
    pub deadline_missed: bool,
    /// Where the choice led.
    pub target: Target,
}

/// Applies choice `ci` of the current node (no check that it is on offer).
pub fn step(sc: &Scenario, rb: &Rulebook, cu: &Customer, st: &mut State, ci: usize) -> Effect {
    let choice = &sc.node(st.node).choices[ci];
    let step_done_before = sc.deadline.map(|d| st.steps & (1 << d.step.0) != 0);
    st.mood = (st.mood + choice.mood).clamp(0, SCALE_MAX);
    st.willingness = (st.willingness + choice.willingness).clamp(0, SCALE_MAX);
    st.flags = (st.flags | choice.set) & !choice.clear;
    st.clock = st.clock.saturating_add(choice.minutes);
    st.revealed |= choice.reveal;
    let step = choice.step.map(|s| {
        // Steps after this one (a shift by 64 for the 64th step is no step at all).
        let later_done = st.steps.checked_shr(u32::from(s.0) + 1).unwrap_or(0) != 0;
        st.steps |= 1 << s.0;
        (s, !later_done)
    });
    let mut deadline_missed = false;
    if step_done_before == Some(false)
        && !st.deadline_missed
        && st.clock > rb.deadlines.passive_mnp_minutes
    {
        st.deadline_missed = true;
        deadline_missed = true;
        st.mood = (st.mood - DEADLINE_MOOD_HIT).max(0);
        st.willingness = (st.willingness - DEADLINE_WILLINGNESS_HIT).max(0);
    }
    let target = choice
        .branches
        .iter()
        .find(|(c, _)| holds(c, st, cu))
        .map_or(choice.next, |(_, t)| *t);
    match target {
        Target::Node(n) => st.node = n,
        Target::End(e) => st.ended = Some(e),
    }
    Effect {
        step,
        deadline_missed,
        target,
    }
}

/// Indices of the choices on offer in a state (none once ended).
pub fn offered(sc: &Scenario, st: &State, cu: &Customer) -> impl Iterator<Item = usize> {
    let node = sc.node(st.node);
    let ended = st.ended.is_some();
    node.choices
        .iter()
        .enumerate()
        .filter(move |(_, c)| !ended && holds(&c.when, st, cu))
        .map(|(i, _)| i)
}

/// Something that happened, for the caller to show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The customer said a line (templates filled).
    CustomerSaid {
        /// Where.
        node: NodeIdx,
        /// The words.
        text: Text,
    },
    /// These choices (indices into the node's choices) are on offer, in the order shown.
    ChoicesOffered {
        /// Where.
        node: NodeIdx,
        /// Which.
        choices: Vec<usize>,
    },
    /// The trainee chose.
    ChoiceMade {
        /// Where.
        node: NodeIdx,
        /// Which (index into the node's choices).
        choice: usize,
    },
    /// The customer's mood moved.
    MoodChanged {
        /// Before.
        from: i32,
        /// After.
        to: i32,
    },
    /// A script step was performed.
    StepPerformed {
        /// Which.
        step: StepIdx,
        /// Whether no later step had been done before it.
        in_order: bool,
    },
    /// A violation of the rulebook.
    ViolationCommitted {
        /// Which.
        violation: ViolationIdx,
    },
    /// Simulated time passed.
    ClockAdvanced {
        /// Before, in minutes.
        from: u32,
        /// After, in minutes.
        to: u32,
    },
    /// The passive-MNP deadline ran out before the trainee acted.
    DeadlineMissed {
        /// The limit, in minutes.
        limit: u32,
    },
    /// The customer revealed their reason.
    ReasonRevealed {
        /// Which.
        reason: ReasonIdx,
    },
    /// The session ended.
    Ended {
        /// How.
        ending: EndingIdx,
    },
}

/// One turn of a finished or running session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Where the choice was made.
    pub node: NodeIdx,
    /// The customer line said there (index into the node's lines), if any.
    pub line: Option<usize>,
    /// The filled customer line.
    pub said: Text,
    /// The choices on offer.
    pub offered: Vec<usize>,
    /// The choice made.
    pub choice: usize,
    /// Step performed and whether in order.
    pub step: Option<(StepIdx, bool)>,
    /// Violations committed by the choice (and a missed deadline).
    pub violations: Vec<ViolationIdx>,
    /// Mood after the choice.
    pub mood_after: i32,
    /// Clock after the choice.
    pub clock_after: u32,
}

/// A running session.
#[derive(Debug, Clone)]
pub struct Session {
    scenario: Arc<Scenario>,
    rulebook: Arc<Rulebook>,
    customer: Customer,
    state: State,
    turns: Vec<Turn>,
    current_line: Option<usize>,
    staff: String,
    staff_phone: String,
}

impl Session {
    /// Starts a session for the customer of `seed`. Returns the opening events.
    pub fn start(
        scenario: Arc<Scenario>,
        rulebook: Arc<Rulebook>,
        seed: u64,
    ) -> (Session, Vec<Event>) {
        let customer = Customer::generate(&scenario, seed);
        let state = State::initial(&scenario, &customer);
        let mut s = Session {
            scenario,
            rulebook,
            customer,
            state,
            turns: Vec::new(),
            current_line: None,
            staff: "Minh".to_owned(),
            staff_phone: STAFF_PHONE.to_owned(),
        };
        let events = s.arrive();
        (s, events)
    }

    /// Sets the trainee's given name used by `{staff}` (`{staff_phone}` stays [`STAFF_PHONE`]).
    pub fn set_staff(&mut self, name: &str) {
        name.clone_into(&mut self.staff);
    }

    /// The scenario.
    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }
    /// The rulebook.
    pub fn rulebook(&self) -> &Arc<Rulebook> {
        &self.rulebook
    }
    /// The customer.
    pub fn customer(&self) -> &Customer {
        &self.customer
    }
    /// The current state.
    pub fn state(&self) -> &State {
        &self.state
    }
    /// The turns so far.
    pub fn turns(&self) -> &[Turn] {
        &self.turns
    }
    /// Whether the session has ended.
    pub fn is_over(&self) -> bool {
        self.state.ended.is_some()
    }
    /// The seed.
    pub fn seed(&self) -> u64 {
        self.customer.seed
    }

    /// Minutes left before the passive-MNP deadline, while it still runs.
    pub fn minutes_left(&self) -> Option<u32> {
        let d = self.scenario.deadline?;
        if self.state.deadline_missed || self.state.steps & (1 << d.step.0) != 0 {
            return None;
        }
        Some(
            self.rulebook
                .deadlines
                .passive_mnp_minutes
                .saturating_sub(self.state.clock),
        )
    }

    /// The customer's current line (filled), if the node has one that holds.
    pub fn current_line(&self) -> Option<Text> {
        let node = self.scenario.node(self.state.node);
        self.current_line.map(|i| self.fill(&node.lines[i].text))
    }

    /// Choices on offer in the order they are shown: (index into the node's choices, the filled
    /// text). The order is shuffled per seed and node, so the model answer is not always
    /// number 1, and the same seed always shows the same order.
    pub fn offered(&self) -> Vec<(usize, Text)> {
        let node = self.scenario.node(self.state.node);
        self.presented()
            .into_iter()
            .map(|i| (i, self.fill(&node.choices[i].text)))
            .collect()
    }

    fn presented(&self) -> Vec<usize> {
        let mut order: Vec<usize> = offered(&self.scenario, &self.state, &self.customer).collect();
        let node = u64::from(self.state.node.0);
        order.sort_by_key(|&i| shuffle_key(self.customer.seed, node, i as u64));
        order
    }

    /// Chooses by choice id.
    pub fn choose(&mut self, id: &str) -> Result<Vec<Event>, DialogueError> {
        if self.is_over() {
            return Err(DialogueError::Ended);
        }
        let node = self.scenario.node(self.state.node);
        let Some(ci) = node.choices.iter().position(|c| c.id == id) else {
            return Err(DialogueError::UnknownChoice(id.to_owned()));
        };
        self.choose_index(ci)
    }

    /// Chooses the `n`th offered choice (1-based, as numbered on screen).
    pub fn choose_offered(&mut self, n: usize) -> Result<Vec<Event>, DialogueError> {
        if self.is_over() {
            return Err(DialogueError::Ended);
        }
        let ci = self
            .presented()
            .get(n.wrapping_sub(1))
            .copied()
            .ok_or_else(|| DialogueError::NotOffered(format!("#{n}")))?;
        self.choose_index(ci)
    }

    /// Chooses by index into the node's choices.
    pub fn choose_index(&mut self, ci: usize) -> Result<Vec<Event>, DialogueError> {
        if self.is_over() {
            return Err(DialogueError::Ended);
        }
        let offered_now: Vec<usize> =
            offered(&self.scenario, &self.state, &self.customer).collect();
        let node_idx = self.state.node;
        let node = self.scenario.node(node_idx);
        let Some(choice) = node.choices.get(ci) else {
            return Err(DialogueError::UnknownChoice(format!("#{ci}")));
        };
        if !offered_now.contains(&ci) {
            return Err(DialogueError::NotOffered(choice.id.clone()));
        }
        let said = self.current_line().unwrap_or_default();
        let before = self.state;
        let effect = step(
            &self.scenario,
            &self.rulebook,
            &self.customer,
            &mut self.state,
            ci,
        );
        let mut events = vec![Event::ChoiceMade {
            node: node_idx,
            choice: ci,
        }];
        let mut violations = choice.violations.clone();
        if let Some((s, in_order)) = effect.step {
            events.push(Event::StepPerformed { step: s, in_order });
        }
        if effect.deadline_missed {
            violations.push(self.rulebook.deadlines.passive_mnp_violation);
        }
        events.extend(
            violations
                .iter()
                .map(|&v| Event::ViolationCommitted { violation: v }),
        );
        if before.clock != self.state.clock {
            events.push(Event::ClockAdvanced {
                from: before.clock,
                to: self.state.clock,
            });
        }
        if effect.deadline_missed {
            events.push(Event::DeadlineMissed {
                limit: self.rulebook.deadlines.passive_mnp_minutes,
            });
        }
        if before.mood != self.state.mood {
            events.push(Event::MoodChanged {
                from: before.mood,
                to: self.state.mood,
            });
        }
        if !before.revealed
            && self.state.revealed
            && let Some(r) = self.customer.reason
        {
            events.push(Event::ReasonRevealed { reason: r });
        }
        self.turns.push(Turn {
            node: node_idx,
            line: self.current_line,
            said,
            offered: offered_now,
            choice: ci,
            step: effect.step,
            violations,
            mood_after: self.state.mood,
            clock_after: self.state.clock,
        });
        match effect.target {
            Target::End(e) => {
                self.current_line = None;
                events.push(Event::Ended { ending: e });
            }
            Target::Node(_) => events.extend(self.arrive()),
        }
        Ok(events)
    }

    fn arrive(&mut self) -> Vec<Event> {
        let node_idx = self.state.node;
        let node = self.scenario.node(node_idx);
        self.current_line = node
            .lines
            .iter()
            .position(|l| holds(&l.when, &self.state, &self.customer));
        let mut events = Vec::new();
        if let Some(text) = self.current_line() {
            events.push(Event::CustomerSaid {
                node: node_idx,
                text,
            });
        }
        events.push(Event::ChoicesOffered {
            node: node_idx,
            choices: self.presented(),
        });
        events
    }

    /// Fills a template's placeholders for this customer and trainee.
    pub fn fill(&self, t: &Text) -> Text {
        Text {
            vi: self.fill_one(&t.vi, true),
            en: self.fill_one(&t.en, false),
        }
    }

    fn fill_one(&self, s: &str, vi: bool) -> String {
        if !s.contains('{') {
            return s.to_owned();
        }
        let c = &self.customer;
        let reason = c.reason.map(|r| {
            let t = &self.scenario.customer.reasons[usize::from(r.0)].text;
            if vi {
                t.vi.clone()
            } else {
                t.get(crate::scenario::Lang::En).to_owned()
            }
        });
        let mut out = String::with_capacity(s.len() + 16);
        for piece in template::pieces(s) {
            let name = match piece {
                Piece::Literal(s) | Piece::Unclosed(s) => {
                    out.push_str(s);
                    continue;
                }
                Piece::Placeholder(name) => name,
            };
            let value: String = match name {
                "honorific" => c.honorific.word().to_owned(),
                "Honorific" => capitalise(c.honorific.word()),
                "wrong_honorific" => c.honorific.wrong_word(c.gender).to_owned(),
                "Wrong_honorific" => capitalise(c.honorific.wrong_word(c.gender)),
                "name" => c.given_name.clone(),
                "full_name" => c.full_name.clone(),
                "reason" => reason.clone().unwrap_or_default(),
                "competitor" => c.competitor.clone(),
                "staff" => self.staff.clone(),
                "staff_phone" => self.staff_phone.clone(),
                "company" => c
                    .company
                    .as_ref()
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                "lines" => c
                    .company
                    .as_ref()
                    .map(|x| x.lines.to_string())
                    .unwrap_or_default(),
                "province" => c.province.to_owned(),
                "minutes_left" => self.minutes_left().unwrap_or(0).to_string(),
                other => format!("{{{other}}}"),
            };
            out.push_str(&value);
        }
        out
    }
}

/// A well-mixed key (SplitMix64 finaliser) for the presentation order of choice `i` at `node`.
fn shuffle_key(seed: u64, node: u64, i: u64) -> u64 {
    let mut z =
        seed ^ node.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ i.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
