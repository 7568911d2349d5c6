//! Progress: mastery per commitment with its level, the grade trend over time, and the session
//! history.

use bevy::prelude::*;

use super::super::Screen;
use super::super::data::{Lessons, Settings, SignedIn};
use super::super::store::ProfileStore;
use super::super::strings as s;
use super::super::theme::{palette, widget};
use super::Notices;
use crate::profile::StoredSession;
use crate::text::Lang;

/// Sessions listed in the history.
const HISTORY_SHOWN: usize = 12;
/// Sessions drawn in the trend.
const TREND_SHOWN: usize = 30;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Progress), spawn_progress_screen);
    app.add_systems(Update, leave_progress.run_if(in_state(Screen::Progress)));
}

fn spawn_progress_screen(
    mut commands: Commands,
    settings: Res<Settings>,
    lessons: Res<Lessons>,
    store: Res<ProfileStore>,
    trainee: Option<Res<SignedIn>>,
    notices: Notices,
) -> Result {
    let lang = settings.lang;
    let rulebook = &lessons.0.rulebook;
    let (mastery, sessions) = match (store.get(), &trainee) {
        (Some(r), Some(t)) => (
            r.mastery(&t.employee_id, rulebook)?,
            r.sessions(&t.employee_id)?,
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let name = trainee.as_ref().map(|t| t.shown_name()).unwrap_or_default();
    commands
        .spawn((
            widget::screen_root(),
            BackgroundColor(palette::BACKGROUND),
            DespawnOnExit(Screen::Progress),
        ))
        .with_children(|p| {
            p.spawn(widget::heading(format!(
                "{} — {name}",
                s::PROGRESS_TITLE.get(lang)
            )));
            super::notice_area(p, &notices);
            p.spawn(widget::button(s::BACK.get(lang), palette::BUTTON))
                .observe(
                    |_: On<Pointer<Click>>, mut next: ResMut<NextState<Screen>>| {
                        next.set(Screen::Home)
                    },
                );
            p.spawn(Node {
                column_gap: px(14),
                flex_grow: 1.0,
                ..default()
            })
            .with_children(|row| {
                row.spawn(widget::panel(Node {
                    width: percent(48),
                    ..widget::column()
                }))
                .with_children(|col| {
                    col.spawn(widget::text(s::MASTERY.get(lang), 1.0, palette::BRAND));
                    for m in &mastery {
                        let value = m.value.round().clamp(0.0, 100.0) as u32;
                        let caption = format!(
                            "{value} — {} ({} {})",
                            m.level.label().get(lang),
                            m.sessions,
                            s::SESSIONS.get(lang)
                        );
                        widget::commitment_row(
                            col,
                            &m.commitment,
                            Some(value),
                            rulebook.pass.per_commitment,
                            180.0,
                            caption,
                        );
                    }
                    col.spawn(widget::text(s::TREND.get(lang), 1.0, palette::BRAND));
                    col.spawn(Node {
                        height: px(90),
                        align_items: AlignItems::FlexEnd,
                        column_gap: px(3),
                        ..default()
                    })
                    .with_children(|chart| {
                        let skip = sessions.len().saturating_sub(TREND_SHOWN);
                        for sess in sessions.iter().skip(skip) {
                            let color = if sess.passed {
                                palette::GOOD
                            } else {
                                palette::BAD
                            };
                            chart.spawn((
                                Node {
                                    width: px(10),
                                    height: percent(sess.grade.max(2) as f32),
                                    ..default()
                                },
                                BackgroundColor(color),
                            ));
                        }
                    });
                });
                history(row, &sessions, &lessons, lang);
            });
        });
    Ok(())
}

fn leave_progress(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Escape)
        || keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::Backspace)
    {
        next.set(Screen::Home);
    }
}

/// Right: the latest sessions, newest first.
fn history(
    row: &mut ChildSpawnerCommands,
    sessions: &[StoredSession],
    lessons: &Lessons,
    lang: Lang,
) {
    row.spawn(widget::panel(Node {
        width: percent(50),
        row_gap: px(4),
        ..widget::column()
    }))
    .with_children(|col| {
        col.spawn(widget::text(s::HISTORY.get(lang), 1.0, palette::BRAND));
        if sessions.is_empty() {
            col.spawn(widget::hint(s::NO_HISTORY.get(lang)));
        }
        for sess in sessions.iter().rev().take(HISTORY_SHOWN) {
            let title = lessons
                .0
                .scenario(&sess.scenario)
                .map_or(sess.scenario.to_string(), |sc| {
                    sc.title.get(lang).to_owned()
                });
            let verdict = if sess.passed { s::PASS } else { s::FAIL };
            let color = if sess.passed {
                palette::GOOD
            } else {
                palette::BAD
            };
            col.spawn(widget::text(
                format!(
                    "{} · {title} · {} · {}",
                    crate::clock::date(sess.finished),
                    sess.grade,
                    verdict.get(lang)
                ),
                0.85,
                color,
            ));
        }
    });
}
