//! Scenario hot reload: on each wake-up, the scenarios folder is checked for changed files; a
//! valid edit replaces the curriculum, a broken one keeps the last good version and its
//! diagnostics are shown on screen.

use std::path::Path;
use std::time::SystemTime;

use bevy::prelude::*;

use super::GameData;
use crate::scenario::Check;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Watch>();
    app.add_systems(Update, reload_changed_scenarios);
}

/// What the folder looked like: (file name, modified time, length) of every `.ron` file.
pub type FolderState = Vec<(String, SystemTime, u64)>;

/// The folder's last seen state.
#[derive(Resource, Default)]
struct Watch {
    seen: Option<FolderState>,
}

/// The folder's state now.
pub fn snapshot(dir: &Path) -> FolderState {
    let mut out: Vec<(String, SystemTime, u64)> = std::fs::read_dir(dir)
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

fn reload_changed_scenarios(mut watch: ResMut<Watch>, data: Option<ResMut<GameData>>) {
    let Some(mut data) = data else { return };
    let Some(dir) = data.scenarios_dir.clone() else {
        return;
    };
    if watch.seen.is_none() {
        // As the folder was when the curriculum was read: an edit made since is not missed.
        watch.seen = data.scenarios_seen.take();
    }
    let now = snapshot(&dir);
    let changed = watch.seen.as_ref().is_some_and(|seen| *seen != now);
    let first = watch.seen.is_none();
    watch.seen = Some(now);
    if first || !changed {
        return;
    }
    let check = Check::paths(std::slice::from_ref(&dir));
    let lang = data.lang;
    match check.into_curriculum() {
        Ok(cur) => {
            let selected_id = data.selected_scenario().map(|s| s.id.clone());
            data.curriculum = cur;
            data.selected = selected_id
                .and_then(|id| data.curriculum.scenarios.iter().position(|s| s.id == id))
                .unwrap_or(0);
            data.reload_errors.clear();
            data.notice = Some(super::strings::SCENARIOS_RELOADED.get(lang).to_owned());
        }
        Err(diags) => data.reload_errors = diags,
    }
}
