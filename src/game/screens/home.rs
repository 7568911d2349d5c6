//! Home: the curriculum grouped by situation, with difficulty and the trainee's best grade, the
//! recommended next scenario highlighted, and the practice/assessment mode.
//!
//! The screen is built when it opens and when the curriculum or the language changes; moving the
//! selection recolours two cards, toggling the mode rewrites one label, a notice refills the
//! banner. The trainee's grades are read from the store once, when the screen opens.

use std::collections::HashMap;

use bevy::prelude::*;

use super::super::Screen;
use super::super::data::{Lessons, Selection, Settings, SignedIn};
use super::super::store::ProfileStore;
use super::super::strings as s;
use super::super::theme::{palette, widget};
use super::Notices;
use crate::profile::Mode;
use crate::scenario::Situation;
use crate::text::Lang;

pub(crate) fn plugin(app: &mut App) {
    app.add_systems(OnEnter(Screen::Home), (read_grades, spawn_home).chain());
    app.add_systems(
        Update,
        (
            move_and_start,
            shortcuts,
            spawn_home.run_if(resource_changed::<Lessons>.or_eager(lang_changed)),
            show_mode.run_if(resource_changed::<Settings>),
            show_selection.run_if(resource_changed::<Selection>),
            super::refresh_notices,
        )
            .chain()
            .run_if(in_state(Screen::Home)),
    );
}

/// The home screen's root.
#[derive(Component)]
struct HomeRoot;

/// The card of the scenario at this index of the curriculum.
#[derive(Component)]
struct ScenarioCard(usize);

/// The mode label.
#[derive(Component)]
struct ModeLabel;

/// What the store says about the signed-in trainee, read once when the screen opens: the best
/// grade per scenario and the recommendation (scenario id and why).
#[derive(Resource, Default)]
struct TraineeGrades {
    best: HashMap<String, u32>,
    recommended: Option<(String, crate::text::Text)>,
}

fn read_grades(
    mut commands: Commands,
    store: Res<ProfileStore>,
    trainee: Option<Res<SignedIn>>,
    lessons: Res<Lessons>,
    mut selection: ResMut<Selection>,
) -> Result {
    let mut grades = TraineeGrades::default();
    if let (Some(store), Some(t)) = (store.get(), trainee) {
        for sess in store.sessions(&t.employee_id)? {
            let e = grades.best.entry(sess.scenario.to_string()).or_insert(0);
            *e = (*e).max(sess.grade);
        }
        grades.recommended = store
            .recommend(&t.employee_id, &lessons.0)?
            .map(|r| (r.scenario, r.reason));
    }
    if let Some((id, _)) = &grades.recommended
        && let Some(i) = lessons.0.scenarios.iter().position(|sc| &sc.id == id)
    {
        selection.index = i;
    }
    commands.insert_resource(grades);
    Ok(())
}

fn lang_changed(settings: Res<Settings>, mut shown: Local<Option<Lang>>) -> bool {
    let changed = *shown != Some(settings.lang);
    *shown = Some(settings.lang);
    changed
}

/// The curriculum in display order: by situation, then segment, then difficulty.
fn ordered(lessons: &Lessons) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..lessons.0.scenarios.len()).collect();
    idx.sort_by_key(|&i| {
        let sc = &lessons.0.scenarios[i];
        (sc.situation, sc.segment, sc.difficulty, sc.id.clone())
    });
    idx
}

/// What the home screen shows.
#[derive(bevy::ecs::system::SystemParam)]
struct HomeView<'w> {
    lessons: Res<'w, Lessons>,
    settings: Res<'w, Settings>,
    selection: Res<'w, Selection>,
    trainee: Option<Res<'w, SignedIn>>,
    grades: Option<Res<'w, TraineeGrades>>,
}

fn spawn_home(
    mut commands: Commands,
    old: Query<Entity, With<HomeRoot>>,
    view: HomeView,
    notices: Notices,
) {
    for e in &old {
        commands.entity(e).despawn();
    }
    let lang = view.settings.lang;
    let name = view
        .trainee
        .as_ref()
        .map(|t| t.shown_name())
        .unwrap_or_default();
    commands
        .spawn((
            HomeRoot,
            widget::screen_root(),
            BackgroundColor(palette::BACKGROUND),
            DespawnOnExit(Screen::Home),
        ))
        .with_children(|p| {
            p.spawn(widget::heading(format!(
                "{} — {}, {name}",
                s::HOME_TITLE.get(lang),
                s::HOME_HELLO.get(lang)
            )));
            super::notice_area(p, &notices);
            p.spawn(Node {
                column_gap: px(10),
                ..default()
            })
            .with_children(|row| {
                row.spawn((
                    ModeLabel,
                    widget::label(mode_label(view.settings.mode).get(lang)),
                ));
                row.spawn(widget::button(s::MODE_BUTTON.get(lang), palette::BUTTON))
                    .observe(|_: On<Pointer<Click>>, mut settings: ResMut<Settings>| {
                        toggle_mode(&mut settings)
                    });
                row.spawn(widget::button(s::LANG_BUTTON.get(lang), palette::BUTTON))
                    .observe(|_: On<Pointer<Click>>, mut settings: ResMut<Settings>| {
                        toggle_lang(&mut settings)
                    });
                row.spawn(widget::button(
                    s::PROGRESS_BUTTON.get(lang),
                    palette::BUTTON,
                ))
                .observe(
                    |_: On<Pointer<Click>>, mut next: ResMut<NextState<Screen>>| {
                        next.set(Screen::Progress)
                    },
                );
            });
            if let Some((_, why)) = view.grades.as_ref().and_then(|g| g.recommended.as_ref()) {
                p.spawn(widget::text(
                    format!("{}: {}", s::HOME_RECOMMENDED.get(lang), why.get(lang)),
                    0.95,
                    palette::BRAND,
                ));
            }
            p.spawn(Node {
                flex_direction: FlexDirection::Row,
                flex_wrap: FlexWrap::Wrap,
                column_gap: px(12),
                row_gap: px(12),
                ..default()
            })
            .with_children(|grid| {
                for situation in [
                    Situation::NoComplaint,
                    Situation::Complaint,
                    Situation::PortOutPassive,
                    Situation::PortOutActive,
                ] {
                    grid.spawn(widget::panel(Node {
                        width: percent(23.5),
                        padding: px(10).all(),
                        ..widget::column()
                    }))
                    .with_children(|col| {
                        col.spawn(widget::text(
                            situation.label().get(lang),
                            1.1,
                            palette::BRAND,
                        ));
                        for i in ordered(&view.lessons)
                            .into_iter()
                            .filter(|&i| view.lessons.0.scenarios[i].situation == situation)
                        {
                            scenario_card(col, &view, i);
                        }
                    });
                }
            });
            p.spawn(widget::hint(s::HOME_HINT.get(lang)));
        });
}

/// The recommended scenario's id.
fn recommended_id<'a>(view: &'a HomeView) -> Option<&'a str> {
    view.grades
        .as_ref()?
        .recommended
        .as_ref()
        .map(|r| r.0.as_str())
}

/// Face and border of a card.
fn card_look(selected: bool, recommended: bool) -> (Color, Val) {
    let face = if selected {
        palette::HIGHLIGHT
    } else if recommended {
        palette::RECOMMENDED
    } else {
        palette::BUTTON
    };
    (face, px(if selected { 2 } else { 0 }))
}

fn scenario_card(col: &mut ChildSpawnerCommands, view: &HomeView, i: usize) {
    let lang = view.settings.lang;
    let sc = &view.lessons.0.scenarios[i];
    let recommended = recommended_id(view) == Some(sc.id.as_str());
    let (face, border) = card_look(i == view.selection.index, recommended);
    let grade = view
        .grades
        .as_ref()
        .and_then(|g| g.best.get(&sc.id))
        .map_or(s::HOME_NOT_PLAYED.get(lang).to_owned(), |g| {
            format!("{}: {g}", s::HOME_BEST.get(lang))
        });
    let star = if recommended {
        format!(" • {}", s::HOME_RECOMMENDED.get(lang))
    } else {
        String::new()
    };
    col.spawn((
        ScenarioCard(i),
        Button,
        Node {
            flex_direction: FlexDirection::Column,
            padding: px(8).all(),
            border_radius: BorderRadius::all(px(6)),
            border: border.all(),
            ..default()
        },
        BorderColor::all(palette::BRAND),
        BackgroundColor(face),
        children![
            widget::text(sc.title.get(lang), 0.95, palette::TEXT),
            widget::hint(format!(
                "{} · {} {}/5 · {grade}{star}",
                sc.segment.label().get(lang),
                s::HOME_DIFFICULTY.get(lang),
                sc.difficulty
            )),
        ],
    ))
    .observe(
        move |_: On<Pointer<Click>>, mut commands: Commands, mut starter: super::Starter| {
            starter.selection.index = i;
            starter.new_customer(&mut commands);
        },
    );
}

fn mode_label(mode: Mode) -> s::Ui {
    match mode {
        Mode::Practice => s::MODE_PRACTICE,
        Mode::Assessment => s::MODE_ASSESSMENT,
    }
}

/// Rewrites the mode label (a mode toggle changes nothing else on this screen).
fn show_mode(settings: Res<Settings>, mut label: Query<&mut Text, With<ModeLabel>>) {
    for mut t in &mut label {
        let shown = mode_label(settings.mode).get(settings.lang);
        if t.0 != shown {
            shown.clone_into(&mut t.0);
        }
    }
}

/// Recolours the cards for the new selection.
fn show_selection(
    view: HomeView,
    mut cards: Query<(&ScenarioCard, &mut BackgroundColor, &mut Node)>,
) {
    let rec = recommended_id(&view).map(str::to_owned);
    for (card, mut face, mut node) in &mut cards {
        let recommended =
            rec.as_deref() == view.lessons.0.scenarios.get(card.0).map(|s| s.id.as_str());
        let (color, border) = card_look(card.0 == view.selection.index, recommended);
        face.0 = color;
        node.border = border.all();
    }
}

fn toggle_mode(settings: &mut Settings) {
    settings.mode = match settings.mode {
        Mode::Practice => Mode::Assessment,
        Mode::Assessment => Mode::Practice,
    };
}

fn toggle_lang(settings: &mut Settings) {
    settings.lang = match settings.lang {
        Lang::Vi => Lang::En,
        Lang::En => Lang::Vi,
    };
}

/// Arrows move the selection; Enter starts a call with a new customer.
fn move_and_start(
    keys: Res<ButtonInput<KeyCode>>,
    lessons: Res<Lessons>,
    mut starter: super::Starter,
    mut commands: Commands,
) {
    let order = ordered(&lessons);
    let selection = &mut starter.selection;
    let pos = order
        .iter()
        .position(|&i| i == selection.index)
        .unwrap_or(0);
    // `get`: an empty curriculum (a folder with only the rulebook) has nothing to move to.
    let len = order.len().max(1);
    if keys.just_pressed(KeyCode::ArrowDown) || keys.just_pressed(KeyCode::ArrowRight) {
        selection.index = order.get((pos + 1) % len).copied().unwrap_or(0);
    } else if keys.just_pressed(KeyCode::ArrowUp) || keys.just_pressed(KeyCode::ArrowLeft) {
        selection.index = order.get((pos + len - 1) % len).copied().unwrap_or(0);
    } else if keys.just_pressed(KeyCode::Enter) || keys.just_pressed(KeyCode::NumpadEnter) {
        starter.new_customer(&mut commands);
    }
}

/// M: mode, L: language, P: progress, Esc: sign out.
fn shortcuts(
    keys: Res<ButtonInput<KeyCode>>,
    mut settings: ResMut<Settings>,
    mut commands: Commands,
    mut next: ResMut<NextState<Screen>>,
) {
    if keys.just_pressed(KeyCode::KeyM) {
        toggle_mode(&mut settings);
    } else if keys.just_pressed(KeyCode::KeyL) {
        toggle_lang(&mut settings);
    } else if keys.just_pressed(KeyCode::KeyP) {
        next.set(Screen::Progress);
    } else if keys.just_pressed(KeyCode::Escape) {
        commands.remove_resource::<SignedIn>();
        next.set(Screen::SignIn);
    }
}
