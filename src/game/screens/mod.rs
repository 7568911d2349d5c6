//! The screens, one plugin per file, and the transitions and banners they share.

pub mod debrief;
pub mod home;
pub mod progress;
pub mod session;
pub mod sign_in;

use bevy::ecs::system::SystemParam;
use bevy::prelude::*;

use super::Screen;
use super::data::{ActiveSession, LastResult, Lessons, Selection, Settings, SignedIn};
use super::hot_reload::HotReload;
use super::store::ProfileStore;
use super::strings as s;
use super::theme::palette;
use crate::dialogue::Session;
use crate::profile::NewSession;
use crate::profile::outbox::Owner;
use crate::scoring::{ChoiceLog, score};

/// What starting a call needs: the curriculum, the selection, the settings and the trainee.
#[derive(SystemParam)]
pub struct Starter<'w> {
    lessons: Res<'w, Lessons>,
    /// The selected scenario and the next seed.
    pub selection: ResMut<'w, Selection>,
    settings: Res<'w, Settings>,
    trainee: Option<Res<'w, SignedIn>>,
    next: ResMut<'w, NextState<Screen>>,
}

impl Starter<'_> {
    /// The index of a scenario in the curriculum.
    pub fn scenario_index(&self, id: &str) -> Option<usize> {
        self.lessons.0.scenarios.iter().position(|sc| sc.id == id)
    }

    /// Starts a call on the selected scenario with a new customer.
    pub fn new_customer(&mut self, commands: &mut Commands) {
        let seed = self.selection.new_seed();
        self.start(commands, seed);
    }

    /// Starts a call on the selected scenario with `seed` and goes to the session screen.
    pub fn start(&mut self, commands: &mut Commands, seed: u64) {
        let Some(scenario) = self.selection.scenario(&self.lessons) else {
            return;
        };
        let (mut session, events) = Session::start(scenario, self.lessons.0.rulebook.clone(), seed);
        if let Some(t) = &self.trainee {
            let given = t
                .name
                .split_whitespace()
                .last()
                .unwrap_or(&t.name)
                .to_owned();
            session.set_staff(&given);
        }
        let mut active = ActiveSession {
            session,
            mode: self.settings.mode,
            started_unix: crate::clock::now_unix(),
            transcript: Vec::new(),
            feedback: None,
            paused: false,
        };
        session::absorb(&mut active, &events, self.settings.lang);
        commands.insert_resource(active);
        self.next.set(Screen::Session);
    }
}

/// Scores the finished (or abandoned) session, records it (in the store, or in this PC's outbox
/// when the central store does not answer) before anything is shown, and goes to the debrief.
pub fn finish_session(
    commands: &mut Commands,
    store: &ProfileStore,
    lessons: &Lessons,
    trainee: Option<&SignedIn>,
    active: &ActiveSession,
    next: &mut NextState<Screen>,
) {
    let card = score(&active.session);
    let log = ChoiceLog::of(&active.session);
    let saved = match (&store.0, trainee) {
        (Ok(store), Some(t)) => {
            let owner = Owner {
                employee_id: &t.employee_id,
                name: &t.name,
                cohort: t.cohort.as_deref(),
            };
            let session = NewSession {
                employee_id: &t.employee_id,
                mode: active.mode,
                log: &log,
                card: &card,
                started_unix: active.started_unix,
                finished_unix: crate::clock::now_unix(),
                registration: None,
            };
            store
                .record(&owner, &session, &lessons.0)
                .map_err(|e| e.to_string())
        }
        (Err(e), _) => Err(e.clone()),
        (_, None) => Err("no trainee signed in".to_owned()),
    };
    commands.insert_resource(LastResult {
        card,
        scenario: active.session.scenario().clone(),
        saved,
    });
    commands.remove_resource::<ActiveSession>();
    next.set(Screen::Debrief);
}

/// What every screen may show above its content: a store problem, scenario errors or a reload.
#[derive(SystemParam)]
pub struct Notices<'w> {
    store: Res<'w, ProfileStore>,
    reload: Option<Res<'w, HotReload>>,
    settings: Res<'w, Settings>,
}

impl Notices<'_> {
    /// Whether any notice changed since the system last ran.
    pub fn changed(&self) -> bool {
        self.store.is_changed()
            || self.settings.is_changed()
            || self.reload.as_ref().is_some_and(|r| r.is_changed())
    }

    /// The lines to show, each with its colour.
    pub fn lines(&self) -> Vec<(String, Color)> {
        let lang = self.settings.lang;
        let mut out = Vec::new();
        if let Err(e) = &self.store.0 {
            out.push((
                format!("{} ({e})", s::STORE_UNAVAILABLE.get(lang)),
                palette::BAD,
            ));
        }
        let Some(reload) = &self.reload else {
            return out;
        };
        if !reload.errors.is_empty() {
            out.push((s::SCENARIO_ERRORS.get(lang).to_owned(), palette::BAD));
            for d in reload.errors.iter().take(4) {
                out.push((
                    format!(
                        "error[{}] {}:{}:{} — {}",
                        d.code.as_str(),
                        d.file,
                        d.line,
                        d.column,
                        d.message
                    ),
                    palette::BAD,
                ));
            }
        } else if let Some(n) = super::hot_reload::notice(reload, &self.settings) {
            out.push((n.to_owned(), palette::GOOD));
        }
        out
    }
}

/// The banner area of a screen; refilled when a notice changes, not the whole screen.
#[derive(Component)]
pub struct NoticeArea;

/// Spawns the notice lines into the banner area.
pub fn fill_notices(area: &mut ChildSpawnerCommands, notices: &Notices, rem: f32) {
    for (n, color) in notices.lines() {
        area.spawn(super::theme::widget::text(n, rem, color));
    }
}

/// Refills every banner area when a notice changed.
pub fn refresh_notices(
    mut commands: Commands,
    notices: Notices,
    areas: Query<Entity, With<NoticeArea>>,
) {
    if !notices.changed() {
        return;
    }
    for area in &areas {
        commands
            .entity(area)
            .despawn_children()
            .with_children(|a| fill_notices(a, &notices, 0.9));
    }
}

/// A banner area node with its current lines.
pub fn notice_area(parent: &mut ChildSpawnerCommands, notices: &Notices) {
    parent
        .spawn((
            NoticeArea,
            Node {
                flex_direction: FlexDirection::Column,
                ..default()
            },
        ))
        .with_children(|a| fill_notices(a, notices, 0.9));
}
