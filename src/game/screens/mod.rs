//! The screens, one plugin per file, and the transitions they share.

pub mod debrief;
pub mod home;
pub mod progress;
pub mod session;
pub mod sign_in;

use bevy::prelude::*;

use super::Screen;
use super::data::{ActiveSession, GameData, LastResult, now_unix};
use crate::dialogue::Session;
use crate::scoring::{ChoiceLog, score};

/// Starts a session on the selected scenario with `seed` and goes to the session screen.
pub fn start_session(
    commands: &mut Commands,
    data: &GameData,
    seed: u64,
    next: &mut NextState<Screen>,
) {
    let Some(scenario) = data.selected_scenario() else {
        return;
    };
    let (mut session, events) = Session::start(scenario, data.curriculum.rulebook.clone(), seed);
    if let Some((_, name)) = &data.trainee {
        let given = name.split_whitespace().last().unwrap_or(name).to_owned();
        session.set_staff(&given, "0901 234 567");
    }
    let mut active = ActiveSession {
        session,
        mode: data.mode,
        started_unix: now_unix(),
        transcript: Vec::new(),
        feedback: None,
        paused: false,
    };
    session::absorb(&mut active, &events, data.lang);
    commands.insert_resource(active);
    next.set(Screen::Session);
}

/// Scores the finished (or abandoned) session, records it in the store before anything is
/// shown, and goes to the debrief.
pub fn finish_session(
    commands: &mut Commands,
    data: &GameData,
    active: &ActiveSession,
    next: &mut NextState<Screen>,
) {
    let card = score(&active.session);
    let log = ChoiceLog::of(&active.session);
    let saved = match (&data.store, &data.trainee) {
        (Ok(records), Some((id, _))) => records.record(
            id,
            active.mode,
            &log,
            &card,
            active.started_unix,
            now_unix(),
        ),
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

/// A banner for the store problem or a reload notice, shown on every screen that wants it.
pub fn notices(data: &GameData) -> Vec<(String, Color)> {
    let lang = data.lang;
    let mut out = Vec::new();
    if let Err(e) = &data.store {
        out.push((
            format!("{} ({e})", super::strings::STORE_UNAVAILABLE.get(lang)),
            super::theme::palette::BAD,
        ));
    }
    if !data.reload_errors.is_empty() {
        out.push((
            super::strings::SCENARIO_ERRORS.get(lang).to_owned(),
            super::theme::palette::BAD,
        ));
        for d in data.reload_errors.iter().take(4) {
            out.push((
                format!(
                    "error[{}] {}:{}:{} — {}",
                    d.code.as_str(),
                    d.file,
                    d.line,
                    d.column,
                    d.message
                ),
                super::theme::palette::BAD,
            ));
        }
    } else if let Some(n) = &data.notice {
        out.push((n.clone(), super::theme::palette::GOOD));
    }
    out
}
