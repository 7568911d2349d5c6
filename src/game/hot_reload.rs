//! Scenario hot reload: every few seconds, outside a call, the scenarios folder is checked for
//! changed files; a valid edit replaces the curriculum, a broken one keeps the last good version
//! and its diagnostics are shown on screen.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use bevy::prelude::*;

use super::Screen;
use super::data::{Lessons, Selection, Settings};
use crate::scenario::Check;
use crate::text::diagnostic::Diagnostic;

/// How often the folder is looked at (on the frames the app wakes up for).
pub const EVERY: Duration = Duration::from_secs(2);

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        reload_changed_scenarios
            .run_if(resource_exists::<HotReload>)
            // Never in the middle of a call: the trainee's scenario stays as it was.
            .run_if(not(in_state(Screen::Session))),
    );
}

/// What the folder looked like: (file name, modified time, length) of every `.ron` file.
pub type FolderState = Vec<(String, SystemTime, u64)>;

/// The folder scenarios reload from, its last seen state, and the last reload's outcome.
#[derive(Resource, Debug)]
pub struct HotReload {
    /// The folder (none: the embedded curriculum, nothing to watch).
    pub dir: Option<PathBuf>,
    seen: Option<FolderState>,
    /// Diagnostics of the last failed reload (empty when the folder is valid).
    pub errors: Vec<Diagnostic>,
    /// Set when a reload replaced the curriculum.
    pub reloaded: bool,
    /// How often the folder is looked at ([`EVERY`]; tests look at every frame).
    pub every: Duration,
    last_look: Option<Instant>,
}

impl HotReload {
    /// Watching `dir`, as it was when the curriculum was read (an edit made since is caught).
    pub fn new(dir: Option<PathBuf>, seen: Option<FolderState>) -> HotReload {
        HotReload {
            dir,
            seen,
            errors: Vec::new(),
            reloaded: false,
            every: EVERY,
            last_look: None,
        }
    }
}

/// The folder's state now.
pub fn snapshot(dir: &Path) -> FolderState {
    let mut out: FolderState = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
                .filter_map(|e| {
                    let m = e.metadata().ok()?;
                    Some((
                        e.file_name().to_string_lossy().into_owned(),
                        m.modified().ok()?,
                        m.len(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn reload_changed_scenarios(
    mut watch: ResMut<HotReload>,
    mut lessons: ResMut<Lessons>,
    mut selection: ResMut<Selection>,
) {
    let Some(dir) = watch.dir.clone() else {
        return;
    };
    // `bypass_change_detection`: looking at the folder is not a change anyone should redraw for.
    let watch_state = watch.bypass_change_detection();
    if watch_state
        .last_look
        .is_some_and(|t| t.elapsed() < watch_state.every)
    {
        return;
    }
    watch_state.last_look = Some(Instant::now());
    let now = snapshot(&dir);
    let changed = watch_state.seen.as_ref().is_none_or(|seen| *seen != now);
    let first = watch_state.seen.is_none();
    watch_state.seen = Some(now);
    if first || !changed {
        return;
    }
    match Check::paths(std::slice::from_ref(&dir)).into_curriculum() {
        Ok(cur) => {
            let selected_id = selection.scenario(&lessons).map(|s| s.id.clone());
            lessons.0 = cur;
            selection.index = selected_id
                .and_then(|id| lessons.0.scenarios.iter().position(|s| s.id == id))
                .unwrap_or(0);
            watch.errors.clear();
            watch.reloaded = true;
        }
        Err(diags) => watch.errors = diags,
    }
}

/// The reload notice in the interface language.
pub fn notice(watch: &HotReload, settings: &Settings) -> Option<&'static str> {
    watch
        .reloaded
        .then(|| super::strings::SCENARIOS_RELOADED.get(settings.lang))
}
