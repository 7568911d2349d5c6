//! Home: the curriculum grouped by situation, with difficulty and the trainee's best grade, the
//! recommended next scenario highlighted, and the practice/assessment mode.

use bevy::prelude::*;

use super::super::Screen;
use super::super::data::{GameData, Mode};
use super::super::strings as s;
use super::super::theme::{palette, widget};
use crate::scenario::{Lang, Situation};

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Home),
        (select_recommended, spawn_home_screen).chain(),
    );
    app.add_systems(
        Update,
        (
            handle_home_keys,
            spawn_home_screen.run_if(resource_changed::<GameData>),
        )
            .chain()
            .run_if(in_state(Screen::Home)),
    );
}

/// The home screen's root.
#[derive(Component)]
struct HomeRoot;

/// The recommendation shown (scenario id and why).
#[derive(Resource, Default)]
struct Recommended(Option<(String, String)>);

fn select_recommended(mut commands: Commands, mut data: ResMut<GameData>) {
    let lang = data.lang;
    let rec = match (&data.store, &data.trainee) {
        (Ok(records), Some((id, _))) => records
            .recommend(id, &data.curriculum)
            .map(|r| (r.scenario.clone(), r.reason.get(lang).to_owned())),
        _ => None,
    };
    if let Some((id, _)) = &rec
        && let Some(i) = data.curriculum.scenarios.iter().position(|sc| &sc.id == id)
    {
        data.selected = i;
    }
    commands.insert_resource(Recommended(rec));
}

/// The curriculum in display order: by situation, then segment, then difficulty.
fn ordered(data: &GameData) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..data.curriculum.scenarios.len()).collect();
    idx.sort_by_key(|&i| {
        let sc = &data.curriculum.scenarios[i];
        (sc.situation, sc.segment, sc.difficulty, sc.id.clone())
    });
    idx
}

fn spawn_home_screen(
    mut commands: Commands,
    data: Res<GameData>,
    rec: Option<Res<Recommended>>,
    old: Query<Entity, With<HomeRoot>>,
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    let lang = data.lang;
    let rec_id = rec.as_ref().and_then(|r| r.0.as_ref().map(|x| x.0.clone()));
    let best: std::collections::HashMap<String, u32> = match (&data.store, &data.trainee) {
        (Ok(records), Some((id, _))) => {
            let mut m = std::collections::HashMap::new();
            for sess in records.sessions(id) {
                let e = m.entry(sess.scenario.to_string()).or_insert(0);
                *e = (*e).max(sess.grade);
            }
            m
        }
        _ => Default::default(),
    };
    let name = data.trainee_name();
    commands
        .spawn((HomeRoot, widget::screen_root(), BackgroundColor(palette::BACKGROUND), DespawnOnExit(Screen::Home)))
        .with_children(|p| {
            p.spawn(Node { column_gap: px(16), align_items: AlignItems::Center, ..default() }).with_children(|row| {
                row.spawn(widget::heading(format!("{} — {}, {name}", s::HOME_TITLE.get(lang), s::HOME_HELLO.get(lang))));
            });
            for (n, color) in super::notices(&data) {
                p.spawn(widget::text(n, 0.9, color));
            }
            p.spawn(Node { column_gap: px(10), ..default() }).with_children(|row| {
                let mode = if data.mode == Mode::Practice { s::MODE_PRACTICE } else { s::MODE_ASSESSMENT };
                row.spawn(widget::label(mode.get(lang)));
                row.spawn(widget::button(s::MODE_BUTTON.get(lang), palette::BUTTON))
                    .observe(|_: On<Pointer<Click>>, mut data: ResMut<GameData>| toggle_mode(&mut data));
                row.spawn(widget::button(s::LANG_BUTTON.get(lang), palette::BUTTON))
                    .observe(|_: On<Pointer<Click>>, mut data: ResMut<GameData>| toggle_lang(&mut data));
                row.spawn(widget::button(s::PROGRESS_BUTTON.get(lang), palette::BUTTON))
                    .observe(|_: On<Pointer<Click>>, mut next: ResMut<NextState<Screen>>| next.set(Screen::Progress));
            });
            if let Some(Some((_, why))) = rec.as_ref().map(|r| &r.0) {
                p.spawn(widget::text(format!("{}: {why}", s::HOME_RECOMMENDED.get(lang)), 0.95, palette::BRAND));
            }
            p.spawn(Node { flex_direction: FlexDirection::Row, flex_wrap: FlexWrap::Wrap, column_gap: px(12), row_gap: px(12), ..default() })
                .with_children(|grid| {
                    for situation in [Situation::NoComplaint, Situation::Complaint, Situation::PortOutPassive, Situation::PortOutActive] {
                        grid.spawn(widget::panel(Node { width: percent(23.5), padding: px(10).all(), ..widget::column() }))
                            .with_children(|col| {
                                col.spawn(widget::text(situation.label().get(lang), 1.1, palette::BRAND));
                                for i in ordered(&data).into_iter().filter(|&i| data.curriculum.scenarios[i].situation == situation) {
                                    let sc = &data.curriculum.scenarios[i];
                                    let selected = i == data.selected;
                                    let recommended = rec_id.as_deref() == Some(sc.id.as_str());
                                    let face = if selected { palette::HIGHLIGHT } else if recommended { Color::srgb(1.0, 0.97, 0.85) } else { palette::BUTTON };
                                    let grade = best.get(&sc.id).map_or(s::HOME_NOT_PLAYED.get(lang).to_owned(), |g| format!("{}: {g}", s::HOME_BEST.get(lang)));
                                    let star = if recommended { format!(" • {}", s::HOME_RECOMMENDED.get(lang)) } else { String::new() };
                                    col.spawn((
                                        Button,
                                        Node { flex_direction: FlexDirection::Column, padding: px(8).all(), border_radius: BorderRadius::all(px(6)), border: px(if selected { 2 } else { 0 }).all(), ..default() },
                                        BorderColor::all(palette::BRAND),
                                        BackgroundColor(face),
                                        children![
                                            widget::text(sc.title.get(lang), 0.95, palette::TEXT),
                                            widget::hint(format!("{} · {} {}/5 · {grade}{star}", sc.segment.label().get(lang), s::HOME_DIFFICULTY.get(lang), sc.difficulty)),
                                        ],
                                    ))
                                    .observe(move |_: On<Pointer<Click>>, mut commands: Commands, mut data: ResMut<GameData>, mut next: ResMut<NextState<Screen>>| {
                                        data.selected = i;
                                        data.next_seed = data.next_seed.wrapping_add(1);
                                        super::start_session(&mut commands, &data, data.next_seed, &mut next);
                                    });
                                }
                            });
                    }
                });
            p.spawn(widget::hint(s::HOME_HINT.get(lang)));
        });
}

fn toggle_mode(data: &mut GameData) {
    data.mode = if data.mode == Mode::Practice {
        Mode::Assessment
    } else {
        Mode::Practice
    };
}

fn toggle_lang(data: &mut GameData) {
    data.lang = if data.lang == Lang::Vi {
        Lang::En
    } else {
        Lang::Vi
    };
}

fn handle_home_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut data: ResMut<GameData>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    let order = ordered(&data);
    let pos = order.iter().position(|&i| i == data.selected).unwrap_or(0);
    // `get`: an empty curriculum (a folder with only the rulebook) has nothing to move to.
    let len = order.len().max(1);
    if keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowRight) {
        data.selected = order.get((pos + 1) % len).copied().unwrap_or(0);
    } else if keys.just_pressed(KeyCode::ArrowUp) || keys.just_pressed(KeyCode::ArrowLeft) {
        data.selected = order.get((pos + len - 1) % len).copied().unwrap_or(0);
    } else if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        data.next_seed = data.next_seed.wrapping_add(1);
        super::start_session(&mut commands, &data, data.next_seed, &mut next);
    } else if keys.just_pressed(KeyCode::KeyM) {
        toggle_mode(&mut data);
    } else if keys.just_pressed(KeyCode::KeyL) {
        toggle_lang(&mut data);
    } else if keys.just_pressed(KeyCode::KeyP) {
        next.set(Screen::Progress);
    } else if keys.just_pressed(KeyCode::Escape) {
        data.trainee = None;
        next.set(Screen::SignIn);
    }
}
