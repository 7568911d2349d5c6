//! Progress: mastery per commitment with its level, the grade trend over time, and the session
//! history.

use bevy::prelude::*;

use super::super::Screen;
use super::super::data::GameData;
use super::super::strings as s;
use super::super::theme::{palette, widget};

/// Sessions listed in the history.
const HISTORY_SHOWN: usize = 12;
/// Sessions drawn in the trend.
const TREND_SHOWN: usize = 30;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Progress), spawn_progress_screen);
    app.add_systems(Update, leave_progress.run_if(in_state(Screen::Progress)));
}

fn spawn_progress_screen(mut commands: Commands, data: Res<GameData>) {
    let lang = data.lang;
    let (mastery, sessions) = match (&data.store, &data.trainee) {
        (Ok(r), Some((id, _))) => (r.mastery(id, &data.curriculum.rulebook), r.sessions(id)),
        _ => (Vec::new(), Vec::new()),
    };
    let name = data.trainee_name();
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
            for (n, color) in super::notices(&data) {
                p.spawn(widget::text(n, 0.9, color));
            }
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
                            data.curriculum.rulebook.pass.per_commitment,
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
                        let title = data
                            .curriculum
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
                                ymd(sess.finished),
                                sess.grade,
                                verdict.get(lang)
                            ),
                            0.85,
                            color,
                        ));
                    }
                });
            });
        });
}

fn leave_progress(keys: Res<ButtonInput<KeyCode>>, mut next: ResMut<NextState<Screen>>) {
    if keys.just_pressed(KeyCode::Escape)
        || keys.just_pressed(KeyCode::Enter)
        || keys.just_pressed(KeyCode::Backspace)
    {
        next.set(Screen::Home);
    }
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
fn ymd(unix: i64) -> String {
    // Civil-from-days (H. Hinnant), valid for the proleptic Gregorian calendar.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_are_civil() {
        assert_eq!(super::ymd(0), "1970-01-01");
        assert_eq!(super::ymd(1_795_000_000), "2026-11-18");
    }
}
