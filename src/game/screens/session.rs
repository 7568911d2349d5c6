//! The call: the customer card (avatar coloured by mood, name, honorific, plan, segment, reason
//! once revealed), the mood meter, the transcript, numbered choices, the script-step checklist
//! and feedback in practice mode, the simulated clock and the 2-hour countdown.

use bevy::prelude::*;

use super::super::Screen;
use super::super::data::{ActiveSession, Lessons, Settings, SignedIn};
use super::super::store::ProfileStore;
use super::super::strings as s;
use super::super::theme::{palette, widget};
use super::Notices;
use crate::customer::MoodBand;
use crate::dialogue::Event;
use crate::profile::Mode;
use crate::text::Lang;

/// Transcript entries shown (the latest ones).
const TRANSCRIPT_SHOWN: usize = 8;
/// Number keys 1–9.
const DIGITS: [KeyCode; 9] = [
    KeyCode::Digit1,
    KeyCode::Digit2,
    KeyCode::Digit3,
    KeyCode::Digit4,
    KeyCode::Digit5,
    KeyCode::Digit6,
    KeyCode::Digit7,
    KeyCode::Digit8,
    KeyCode::Digit9,
];
const NUMPAD: [KeyCode; 9] = [
    KeyCode::Numpad1,
    KeyCode::Numpad2,
    KeyCode::Numpad3,
    KeyCode::Numpad4,
    KeyCode::Numpad5,
    KeyCode::Numpad6,
    KeyCode::Numpad7,
    KeyCode::Numpad8,
    KeyCode::Numpad9,
];

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Session), spawn_session_screen);
    app.add_systems(
        Update,
        (
            handle_session_keys,
            refresh_parts.run_if(resource_exists_and_changed::<ActiveSession>),
            super::refresh_notices,
        )
            .chain()
            .run_if(in_state(Screen::Session).and_then(resource_exists::<ActiveSession>)),
    );
}

/// A part of the session screen that changes during the call, with a digest of what it shows:
/// after a choice only the parts whose digest changed are refilled.
#[derive(Component)]
struct Part {
    kind: PartKind,
    shown: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// Simulated clock and the 2-hour countdown.
    Clock,
    /// The avatar, coloured by mood.
    Avatar,
    /// Reason (once revealed), mood label and meter.
    Mood,
    /// The script-step checklist (practice).
    Steps,
    /// The latest lines of the conversation.
    Transcript,
    /// Feedback on the last choice (practice).
    Feedback,
    /// The numbered choices, the pause notice or the "call ended" button.
    Choices,
}

impl PartKind {
    /// A digest of what this part shows now.
    fn digest(self, active: &ActiveSession) -> u64 {
        use std::hash::{Hash, Hasher};
        let st = active.session.state();
        let mut h = std::hash::DefaultHasher::new();
        match self {
            PartKind::Clock => {
                (st.clock, st.deadline_missed, active.session.minutes_left()).hash(&mut h)
            }
            PartKind::Avatar => (MoodBand::of(st.mood) as u8).hash(&mut h),
            PartKind::Mood => (st.mood, st.revealed).hash(&mut h),
            PartKind::Steps => st.steps.hash(&mut h),
            PartKind::Transcript => active.transcript.len().hash(&mut h),
            PartKind::Feedback => active.feedback.hash(&mut h),
            PartKind::Choices => (
                active.paused,
                active.session.is_over(),
                active.session.turns().len(),
            )
                .hash(&mut h),
        }
        h.finish()
    }

    fn fill(self, p: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
        match self {
            PartKind::Clock => fill_clock(p, active, lang),
            PartKind::Avatar => fill_avatar(p, active),
            PartKind::Mood => fill_mood(p, active, lang),
            PartKind::Steps => fill_steps(p, active, lang),
            PartKind::Transcript => fill_transcript(p, active, lang),
            PartKind::Feedback => fill_feedback(p, active, lang),
            PartKind::Choices => fill_choices(p, active, lang),
        }
    }
}

/// A column without padding of its own (a part inside a panel).
fn stack() -> Node {
    Node {
        flex_direction: FlexDirection::Column,
        row_gap: px(8),
        ..default()
    }
}

/// Spawns a part, filled.
fn part(
    p: &mut ChildSpawnerCommands,
    kind: PartKind,
    node: Node,
    active: &ActiveSession,
    lang: Lang,
) {
    p.spawn((
        Part {
            kind,
            shown: kind.digest(active),
        },
        node,
    ))
    .with_children(|c| kind.fill(c, active, lang));
}

/// Refills the parts whose digest changed.
fn refresh_parts(
    mut commands: Commands,
    active: Res<ActiveSession>,
    settings: Res<Settings>,
    mut parts: Query<(Entity, &mut Part)>,
) {
    for (e, mut part) in &mut parts {
        let now = part.kind.digest(&active);
        if now == part.shown {
            continue;
        }
        part.shown = now;
        let kind = part.kind;
        commands
            .entity(e)
            .despawn_children()
            .with_children(|c| kind.fill(c, &active, settings.lang));
    }
}

/// The session screen's root.
#[derive(Component)]
struct SessionRoot;

/// Adds the engine's events to what the screen shows. The engine decides; this only words it.
pub fn absorb(active: &mut ActiveSession, events: &[Event], lang: Lang) {
    let session = &active.session;
    let sc = session.scenario().clone();
    let rb = session.rulebook().clone();
    let mut feedback: Vec<String> = Vec::new();
    for e in events {
        match e {
            Event::CustomerSaid { text, .. } => {
                active.transcript.push((true, text.get(lang).to_owned()))
            }
            Event::ChoiceMade { node, choice } => {
                let ch = &sc.node(*node).choices[*choice];
                active
                    .transcript
                    .push((false, session.fill(&ch.text).get(lang).to_owned()));
                feedback.push(session.fill(&ch.feedback).get(lang).to_owned());
                for g in crate::scoring::grounds(&rb, ch) {
                    feedback.push(format!("{}: {}", s::LEGAL_BASIS.get(lang), g.get(lang)));
                }
            }
            Event::ViolationCommitted { violation } => {
                let k = rb.violation_kind(*violation);
                feedback.push(format!(
                    "{} [{}]: {}",
                    s::VIOLATIONS.get(lang),
                    k.severity.label().get(lang),
                    k.title.get(lang)
                ));
            }
            Event::DeadlineMissed { .. } => feedback.push(s::DEADLINE_MISSED.get(lang).to_owned()),
            Event::Ended { ending } => {
                let end = sc.ending(*ending);
                active
                    .transcript
                    .push((true, format!("— {} —", session.fill(&end.text).get(lang))));
            }
            _ => {}
        }
    }
    if !feedback.is_empty() {
        active.feedback = Some(feedback.join("\n"));
    }
}

fn handle_session_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut active: ResMut<ActiveSession>,
    settings: Res<Settings>,
    store: Res<ProfileStore>,
    lessons: Res<Lessons>,
    trainee: Option<Res<SignedIn>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if active.paused {
        if keys.just_pressed(KeyCode::Enter) {
            active.paused = false;
        } else if keys.just_pressed(KeyCode::Escape) {
            commands.remove_resource::<ActiveSession>();
            next.set(Screen::Home);
        }
        return;
    }
    if keys.just_pressed(KeyCode::Escape) {
        active.paused = true;
        return;
    }
    if active.session.is_over() {
        if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
            super::finish_session(
                &mut commands,
                &store,
                &lessons,
                trainee.as_deref(),
                &active,
                &mut next,
            );
        }
        return;
    }
    let pressed = DIGITS
        .iter()
        .zip(NUMPAD)
        .position(|(d, n)| keys.just_pressed(*d) || keys.just_pressed(n));
    if let Some(i) = pressed {
        choose(&mut active, i + 1, settings.lang);
    }
}

fn choose(active: &mut ActiveSession, n: usize, lang: Lang) {
    if let Ok(events) = active.session.choose_offered(n) {
        absorb(active, &events, lang);
    }
}

fn spawn_session_screen(
    mut commands: Commands,
    active: Option<Res<ActiveSession>>,
    settings: Res<Settings>,
    store: Res<ProfileStore>,
    trainee: Option<Res<SignedIn>>,
    notices: Notices,
) {
    let Some(active) = active else { return };
    let lang = settings.lang;
    let sc = active.session.scenario();
    let practice = active.mode == Mode::Practice;
    let row = Node {
        column_gap: px(20),
        align_items: AlignItems::Center,
        ..default()
    };
    commands
        .spawn((
            SessionRoot,
            widget::screen_root(),
            BackgroundColor(palette::BACKGROUND),
            DespawnOnExit(Screen::Session),
        ))
        .with_children(|p| {
            p.spawn(row.clone()).with_children(|top| {
                top.spawn(widget::text(sc.title.get(lang), 1.3, palette::BRAND));
                let mode = if practice {
                    s::MODE_PRACTICE
                } else {
                    s::MODE_ASSESSMENT
                };
                top.spawn(widget::hint(mode.get(lang)));
                part(top, PartKind::Clock, row.clone(), &active, lang);
            });
            super::notice_area(p, &notices);
            if store.get().is_none() || trainee.is_none() {
                p.spawn(widget::text(s::NOT_SAVED.get(lang), 0.9, palette::BAD));
            }
            p.spawn(Node {
                column_gap: px(14),
                flex_grow: 1.0,
                ..default()
            })
            .with_children(|row| {
                // Left: customer card, mood meter, steps.
                row.spawn(widget::panel(Node {
                    width: percent(30),
                    ..widget::column()
                }))
                .with_children(|col| {
                    part(col, PartKind::Avatar, stack(), &active, lang);
                    customer_card(col, &active, lang);
                    part(col, PartKind::Mood, stack(), &active, lang);
                    if practice {
                        part(col, PartKind::Steps, stack(), &active, lang);
                    }
                });
                // Right: transcript, feedback, choices.
                row.spawn(Node {
                    width: percent(68),
                    flex_direction: FlexDirection::Column,
                    row_gap: px(8),
                    ..default()
                })
                .with_children(|col| {
                    part(col, PartKind::Transcript, stack(), &active, lang);
                    if practice {
                        part(col, PartKind::Feedback, stack(), &active, lang);
                    }
                    part(col, PartKind::Choices, stack(), &active, lang);
                });
            });
        });
}

/// Who the customer is: what does not change during the call.
fn customer_card(col: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    let c = active.session.customer();
    col.spawn(widget::text(
        format!(
            "{} {}",
            crate::text::capitalise(c.honorific.word()),
            c.full_name
        ),
        1.15,
        palette::TEXT,
    ));
    col.spawn(widget::hint(format!(
        "{} {} · {} · {}",
        c.age_years,
        s::AGE.get(lang),
        c.plan.label().get(lang),
        c.segment.label().get(lang)
    )));
    if let Some(co) = &c.company {
        col.spawn(widget::hint(format!(
            "{} · {} {}",
            co.name,
            co.lines,
            s::LINES.get(lang)
        )));
    }
    col.spawn(widget::hint(format!(
        "{} · {}: {} {}",
        c.province,
        s::TENURE.get(lang),
        c.tenure_months,
        s::MONTHS.get(lang)
    )));
}

fn fill_clock(p: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    let st = active.session.state();
    p.spawn(widget::label(format!(
        "{}: {} {}",
        s::CLOCK.get(lang),
        st.clock,
        s::MINUTES.get(lang)
    )));
    if st.deadline_missed {
        p.spawn(widget::text(
            s::DEADLINE_MISSED.get(lang),
            1.1,
            palette::BAD,
        ));
    } else if let Some(left) = active.session.minutes_left() {
        let color = if left < 30 {
            palette::BAD
        } else {
            palette::WARN
        };
        p.spawn(widget::text(
            format!(
                "{}: {left} {}",
                s::DEADLINE_LEFT.get(lang),
                s::MINUTES.get(lang)
            ),
            1.1,
            color,
        ));
    }
}

fn fill_avatar(col: &mut ChildSpawnerCommands, active: &ActiveSession) {
    let st = active.session.state();
    let c = active.session.customer();
    let initials: String = c
        .full_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .skip(1)
        .take(2)
        .collect();
    col.spawn((
        Node {
            width: px(96),
            height: px(96),
            justify_content: JustifyContent::Center,
            align_items: AlignItems::Center,
            border_radius: BorderRadius::all(px(48)),
            ..default()
        },
        BackgroundColor(palette::mood(st.mood)),
        children![widget::text(initials, 2.2, Color::WHITE)],
    ));
}

fn fill_mood(col: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    let (session, st) = (&active.session, active.session.state());
    let c = session.customer();
    let reason = match (st.revealed, c.reason) {
        (true, Some(r)) => session.scenario().customer.reasons[usize::from(r.0)]
            .text
            .get(lang)
            .to_owned(),
        _ => s::REASON_HIDDEN.get(lang).to_owned(),
    };
    col.spawn(widget::hint(format!("{}: {reason}", s::REASON.get(lang))));
    col.spawn(widget::label(format!(
        "{}: {} ({})",
        s::MOOD.get(lang),
        MoodBand::of(st.mood).label().get(lang),
        st.mood
    )));
    col.spawn(widget::bar(
        st.mood as f32 / 100.0,
        palette::mood(st.mood),
        240.0,
    ));
}

fn fill_steps(col: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    let st = active.session.state();
    col.spawn(widget::text(s::STEPS.get(lang), 1.0, palette::BRAND));
    for (i, step) in active.session.scenario().steps.iter().enumerate() {
        let done = st.steps & (1 << i) != 0;
        let mark = if done { "[x]" } else { "[  ]" };
        let color = if done { palette::GOOD } else { palette::MUTED };
        col.spawn(widget::text(
            format!("{mark} {}", step.title.get(lang)),
            0.85,
            color,
        ));
    }
}

fn fill_transcript(p: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    p.spawn(widget::panel(Node {
        min_height: px(200),
        ..widget::column()
    }))
    .with_children(|t| {
        let skip = active.transcript.len().saturating_sub(TRANSCRIPT_SHOWN);
        for (customer, line) in active.transcript.iter().skip(skip) {
            let (who, color) = if *customer {
                (s::CUSTOMER, palette::TEXT)
            } else {
                (s::YOU, palette::BRAND)
            };
            t.spawn(widget::text(
                format!("{}: {line}", who.get(lang)),
                0.95,
                color,
            ));
        }
    });
}

fn fill_feedback(p: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    if let Some(fb) = &active.feedback {
        p.spawn(widget::panel_colored(
            widget::column(),
            Color::srgb(0.93, 0.97, 1.0),
        ))
        .with_children(|f| {
            f.spawn(widget::text(s::FEEDBACK.get(lang), 0.95, palette::BRAND));
            f.spawn(widget::text(fb.clone(), 0.9, palette::TEXT));
        });
    }
}

fn fill_choices(col: &mut ChildSpawnerCommands, active: &ActiveSession, lang: Lang) {
    let session = &active.session;
    if active.paused {
        col.spawn(widget::text(s::PAUSED.get(lang), 1.1, palette::WARN));
    } else if session.is_over() {
        col.spawn(widget::button(s::CALL_ENDED.get(lang), palette::HIGHLIGHT))
            .observe(
                |_: On<Pointer<Click>>,
                 mut commands: Commands,
                 store: Res<ProfileStore>,
                 lessons: Res<Lessons>,
                 trainee: Option<Res<SignedIn>>,
                 active: Option<Res<ActiveSession>>,
                 mut next: ResMut<NextState<Screen>>| {
                    if let Some(active) = active {
                        super::finish_session(
                            &mut commands,
                            &store,
                            &lessons,
                            trainee.as_deref(),
                            &active,
                            &mut next,
                        );
                    }
                },
            );
    } else {
        for (n, (_, text)) in session.offered().into_iter().enumerate().take(9) {
            col.spawn(widget::button(
                format!("{}. {}", n + 1, text.get(lang)),
                palette::BUTTON,
            ))
            .observe(
                move |_: On<Pointer<Click>>,
                      mut active: ResMut<ActiveSession>,
                      settings: Res<Settings>| {
                    choose(&mut active, n + 1, settings.lang);
                },
            );
        }
        col.spawn(widget::hint(s::CHOOSE_HINT.get(lang)));
    }
}
