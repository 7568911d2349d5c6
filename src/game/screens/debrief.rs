//! Debrief: grade and pass/fail, a bar per commitment (percent of the best reachable, and the
//! points earned out of the best), the steps timeline, violations, each choice with its feedback
//! and the model answer; replay the same customer or a new one.

use bevy::input::mouse::MouseWheel;
use bevy::prelude::*;

use super::super::Screen;
use super::super::data::{LastResult, Lessons, Settings};
use super::super::strings as s;
use super::super::theme::{palette, widget};
use crate::profile::outbox::Saved;
use crate::scoring::{Scorecard, StepStatus};
use crate::text::Lang;

/// Pixels scrolled per wheel line or key press.
const SCROLL_STEP: f32 = 60.0;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Debrief), spawn_debrief_screen);
    app.add_systems(
        Update,
        (handle_debrief_keys, scroll_debrief)
            .run_if(in_state(Screen::Debrief).and_then(resource_exists::<LastResult>)),
    );
}

/// The scrollable list.
#[derive(Component)]
struct DebriefScroll;

/// Marks the grade text (tests read it).
#[derive(Component)]
pub struct GradeText;

fn spawn_debrief_screen(
    mut commands: Commands,
    settings: Res<Settings>,
    lessons: Res<Lessons>,
    last: Option<Res<LastResult>>,
) {
    let Some(last) = last else { return };
    let lang = settings.lang;
    let pass_mark = lessons.0.rulebook.pass.per_commitment;
    commands
        .spawn((
            widget::screen_root(),
            BackgroundColor(palette::BACKGROUND),
            DespawnOnExit(Screen::Debrief),
        ))
        .with_children(|p| {
            verdict(p, &last, lang);
            actions(p, lang);
            p.spawn(Node {
                column_gap: px(14),
                flex_grow: 1.0,
                min_height: px(0),
                ..default()
            })
            .with_children(|row| {
                summary(row, &last.card, pass_mark, lang);
                each_choice(row, &last.card, lang);
            });
        });
}

/// Title, grade, pass or fail, outcome and whether the session was saved.
fn verdict(p: &mut ChildSpawnerCommands, last: &LastResult, lang: Lang) {
    let card = &last.card;
    p.spawn(Node {
        column_gap: px(20),
        align_items: AlignItems::Center,
        ..default()
    })
    .with_children(|row| {
        row.spawn(widget::heading(format!(
            "{} — {}",
            s::DEBRIEF_TITLE.get(lang),
            last.scenario.title.get(lang)
        )));
    });
    p.spawn(Node {
        column_gap: px(24),
        align_items: AlignItems::Center,
        ..default()
    })
    .with_children(|row| {
        let (verdict, color) = if card.passed {
            (s::PASS, palette::GOOD)
        } else {
            (s::FAIL, palette::BAD)
        };
        row.spawn((
            GradeText,
            widget::text(
                format!("{}: {}/100", s::GRADE.get(lang), card.grade),
                2.0,
                palette::TEXT,
            ),
        ));
        row.spawn(widget::text(verdict.get(lang), 2.0, color));
        row.spawn(widget::label(format!(
            "{}: {}",
            s::OUTCOME.get(lang),
            card.outcome.label().get(lang)
        )));
        match &last.saved {
            Ok(Saved::Stored(_)) => row.spawn(widget::text(s::SAVED.get(lang), 0.9, palette::GOOD)),
            Ok(Saved::Queued) => row.spawn(widget::text(
                s::SAVED_ON_THIS_PC.get(lang),
                0.9,
                palette::WARN,
            )),
            Err(e) => row.spawn(widget::text(
                format!("{} ({e})", s::NOT_SAVED.get(lang)),
                0.9,
                palette::BAD,
            )),
        };
    });
}

/// Replay, new customer, home and progress.
fn actions(p: &mut ChildSpawnerCommands, lang: Lang) {
    p.spawn(Node {
        column_gap: px(10),
        ..default()
    })
    .with_children(|row| {
        row.spawn(widget::button(s::REPLAY_SAME.get(lang), palette::BUTTON))
            .observe(|_: On<Pointer<Click>>, mut commands: Commands| {
                commands.run_system_cached(replay_same)
            });
        row.spawn(widget::button(s::NEW_CUSTOMER.get(lang), palette::BUTTON))
            .observe(|_: On<Pointer<Click>>, mut commands: Commands| {
                commands.run_system_cached(new_customer)
            });
        row.spawn(widget::button(s::BACK_HOME.get(lang), palette::HIGHLIGHT))
            .observe(
                |_: On<Pointer<Click>>, mut next: ResMut<NextState<Screen>>| next.set(Screen::Home),
            );
        row.spawn(widget::button(
            s::PROGRESS_BUTTON.get(lang),
            palette::BUTTON,
        ))
        .observe(
            |_: On<Pointer<Click>>, mut next: ResMut<NextState<Screen>>| next.set(Screen::Progress),
        );
    });
}

/// Left: commitments, steps, violations.
fn summary(row: &mut ChildSpawnerCommands, card: &Scorecard, pass_mark: u32, lang: Lang) {
    row.spawn(widget::panel(Node {
        width: percent(42),
        row_gap: px(5),
        ..widget::column()
    }))
    .with_children(|col| {
        col.spawn(widget::text(s::COMMITMENTS.get(lang), 1.0, palette::BRAND));
        for c in &card.commitments {
            let caption = match c.percent {
                Some(pc) => {
                    format!("{pc}% ({}/{}) {}", c.earned, c.best, c.title.get(lang))
                }
                None => {
                    format!("— {} ({})", c.title.get(lang), s::NOT_SCORED.get(lang))
                }
            };
            widget::commitment_row(col, &c.id, c.percent, pass_mark, 160.0, caption);
        }
        col.spawn(widget::text(s::STEPS.get(lang), 1.0, palette::BRAND));
        col.spawn(Node {
            flex_wrap: FlexWrap::Wrap,
            column_gap: px(4),
            row_gap: px(4),
            ..default()
        })
        .with_children(|line| {
            for (i, st) in card.steps.iter().enumerate() {
                let (what, color) = match st.status {
                    StepStatus::Done => (s::STEP_DONE, palette::GOOD),
                    StepStatus::OutOfOrder => (s::STEP_LATE, palette::WARN),
                    StepStatus::Missed if st.required => (s::STEP_MISSED, palette::BAD),
                    StepStatus::Missed => (s::OPTIONAL, palette::MUTED),
                };
                line.spawn((
                    Node {
                        padding: UiRect::axes(px(6), px(3)),
                        border_radius: BorderRadius::all(px(4)),
                        ..default()
                    },
                    BackgroundColor(color),
                    children![widget::text(
                        format!("{}. {} — {}", i + 1, st.title.get(lang), what.get(lang)),
                        0.75,
                        Color::WHITE
                    )],
                ));
            }
        });
        col.spawn(widget::text(s::VIOLATIONS.get(lang), 1.0, palette::BRAND));
        if card.violations.is_empty() {
            col.spawn(widget::text(s::NO_VIOLATIONS.get(lang), 0.9, palette::GOOD));
        }
        for v in &card.violations {
            col.spawn(widget::text(
                format!(
                    "{} {}: [{}] {} ({})",
                    s::TURN.get(lang),
                    v.turn,
                    v.severity.label().get(lang),
                    v.title.get(lang),
                    v.commitment
                ),
                0.85,
                palette::BAD,
            ));
        }
    });
}

/// Right: each choice with its feedback, legal basis and model answer, scrollable.
fn each_choice(row: &mut ChildSpawnerCommands, card: &Scorecard, lang: Lang) {
    row.spawn((
        DebriefScroll,
        widget::panel(Node {
            width: percent(56),
            overflow: Overflow::scroll_y(),
            ..widget::column()
        }),
        ScrollPosition::default(),
    ))
    .with_children(|col| {
        col.spawn(widget::text(
            format!(
                "{} — {}",
                s::EACH_CHOICE.get(lang),
                s::SCROLL_HINT.get(lang)
            ),
            1.0,
            palette::BRAND,
        ));
        for d in &card.debrief {
            let color = if d.model {
                palette::GOOD
            } else if d.violations.is_empty() {
                palette::WARN
            } else {
                palette::BAD
            };
            let earned: Vec<String> = d.earned.iter().map(|(c, v)| format!("{c} {v:+}")).collect();
            col.spawn(widget::text(
                format!("{}. {}", d.turn, d.answer.get(lang)),
                0.9,
                color,
            ));
            if !earned.is_empty() {
                col.spawn(widget::hint(earned.join(", ")));
            }
            col.spawn(widget::text(
                format!("— {}", d.feedback.get(lang)),
                0.85,
                palette::TEXT,
            ));
            for g in &d.grounds {
                col.spawn(widget::hint(format!(
                    "{}: {}",
                    s::LEGAL_BASIS.get(lang),
                    g.get(lang)
                )));
            }
            if let Some((_, m)) = &d.model_answer {
                col.spawn(widget::text(
                    format!("{}: {}", s::MODEL_ANSWER.get(lang), m.get(lang)),
                    0.85,
                    palette::GOOD,
                ));
            }
        }
    });
}

fn replay_same(commands: Commands, last: Option<Res<LastResult>>, starter: super::Starter) {
    restart(commands, last, starter, true);
}

fn new_customer(commands: Commands, last: Option<Res<LastResult>>, starter: super::Starter) {
    restart(commands, last, starter, false);
}

/// Plays the last scenario again, with the same customer (same seed) or a new one.
fn restart(
    mut commands: Commands,
    last: Option<Res<LastResult>>,
    mut starter: super::Starter,
    same_customer: bool,
) {
    let Some(last) = last else { return };
    if let Some(i) = starter.scenario_index(&last.scenario.id) {
        starter.selection.index = i;
    }
    if same_customer {
        starter.start(&mut commands, last.card.seed);
    } else {
        starter.new_customer(&mut commands);
    }
}

fn handle_debrief_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::KeyR) {
        commands.run_system_cached(replay_same);
    } else if keys.just_pressed(KeyCode::KeyN) {
        commands.run_system_cached(new_customer);
    } else if keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::NumpadEnter)
        || keys.just_pressed(KeyCode::Escape)
    {
        next.set(Screen::Home);
    } else if keys.just_pressed(KeyCode::KeyP) {
        next.set(Screen::Progress);
    }
}

fn scroll_debrief(
    mut wheel: MessageReader<MouseWheel>,
    keys: Res<ButtonInput<KeyCode>>,
    mut list: Query<&mut ScrollPosition, With<DebriefScroll>>,
) {
    let mut dy: f32 = wheel.read().map(|w| -w.y * SCROLL_STEP).sum();
    if keys.just_pressed(KeyCode::PageDown) || keys.just_pressed(KeyCode::ArrowDown) {
        dy += SCROLL_STEP * 4.0;
    }
    if keys.just_pressed(KeyCode::PageUp) || keys.just_pressed(KeyCode::ArrowUp) {
        dy -= SCROLL_STEP * 4.0;
    }
    if dy != 0.0 {
        for mut pos in &mut list {
            pos.0.y = (pos.0.y + dy).max(0.0);
        }
    }
}
