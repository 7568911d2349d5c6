//! The game's shared resources: the curriculum, the profile store, the signed-in trainee, the
//! language and mode, the running session and the last result.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::dialogue::Session;
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::{Curriculum, Lang, Scenario};
use crate::scoring::Scorecard;

/// Practice (hints and feedback after each choice) or assessment (feedback at the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Hints and instant feedback.
    #[default]
    Practice,
    /// No hints; feedback in the debrief.
    Assessment,
}

/// The game's state that outlives screens.
#[derive(Resource)]
pub struct GameData {
    /// The last valid curriculum.
    pub curriculum: Curriculum,
    /// The folder scenarios hot-reload from (none: the embedded curriculum).
    pub scenarios_dir: Option<PathBuf>,
    /// The scenarios folder as it was when the curriculum was read (taken by hot reload).
    pub scenarios_seen: Option<super::hot_reload::FolderState>,
    /// Diagnostics of the last failed reload (empty when the folder is valid).
    pub reload_errors: Vec<Diagnostic>,
    /// A one-line notice to show (reload done, store problem…).
    pub notice: Option<String>,
    /// The profile store, or why it could not be opened.
    pub store: Result<super::records::Records, String>,
    /// The signed-in trainee's employee id and name.
    pub trainee: Option<(String, String)>,
    /// Interface language.
    pub lang: Lang,
    /// Practice or assessment.
    pub mode: Mode,
    /// The scenario selected on the home screen (index into the curriculum).
    pub selected: usize,
    /// Seed of the next session; advanced for each new customer.
    pub next_seed: u64,
}

impl GameData {
    /// Loads the curriculum and opens the store as the command line says.
    pub fn load(cli: &crate::cli::Cli) -> anyhow::Result<GameData> {
        GameData::load_from(cli.scenarios.as_deref(), cli.db.as_deref(), cli.lang.into())
    }

    /// [`GameData::load`] from the command line's `--scenarios`, `--db` and language.
    pub fn load_from(
        scenarios: Option<&std::path::Path>,
        db: Option<&std::path::Path>,
        lang: Lang,
    ) -> anyhow::Result<GameData> {
        let scenarios_dir = crate::cli::scenarios_dir(scenarios);
        // Before reading: a file changed while it is read is reloaded on the first frame.
        let seen = scenarios_dir.as_deref().map(super::hot_reload::snapshot);
        let curriculum = crate::cli::load_curriculum(scenarios)?;
        let store = super::records::Records::open(db);
        let mut data = GameData::new(curriculum, scenarios_dir, store, lang);
        data.scenarios_seen = seen;
        Ok(data)
    }

    /// Game data from parts (tests use an in-memory curriculum and a temporary store).
    pub fn new(
        curriculum: Curriculum,
        scenarios_dir: Option<PathBuf>,
        store: Result<super::records::Records, String>,
        lang: Lang,
    ) -> GameData {
        let next_seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs());
        GameData {
            curriculum,
            scenarios_dir,
            scenarios_seen: None,
            reload_errors: Vec::new(),
            notice: None,
            store,
            trainee: None,
            lang,
            mode: Mode::Practice,
            selected: 0,
            next_seed,
        }
    }

    /// The signed-in trainee's name as shown (NFC), or empty.
    pub fn trainee_name(&self) -> String {
        self.trainee
            .as_ref()
            .map(|t| super::records::display_name(&t.1))
            .unwrap_or_default()
    }

    /// The selected scenario.
    pub fn selected_scenario(&self) -> Option<Arc<Scenario>> {
        self.curriculum.scenarios.get(self.selected).cloned()
    }
}

/// The session being played.
#[derive(Resource)]
pub struct ActiveSession {
    /// The engine's session.
    pub session: Session,
    /// Practice or assessment.
    pub mode: Mode,
    /// Unix time it started.
    pub started_unix: i64,
    /// The transcript shown: (speaker is customer, text).
    pub transcript: Vec<(bool, String)>,
    /// Feedback on the last choice (practice mode).
    pub feedback: Option<String>,
    /// Esc pressed once: waiting for confirmation.
    pub paused: bool,
}

/// The last finished session, shown by the debrief.
#[derive(Resource)]
pub struct LastResult {
    /// The scorecard.
    pub card: Scorecard,
    /// The scenario.
    pub scenario: Arc<Scenario>,
    /// Whether it was saved, or why not.
    pub saved: Result<(), String>,
}

/// The sign-in form's fields (the text fields write into it).
#[derive(Resource, Default, Debug, Clone)]
pub struct SignInForm {
    /// Employee id.
    pub employee_id: String,
    /// Display name.
    pub name: String,
    /// Cohort.
    pub cohort: String,
    /// A validation error to show.
    pub error: Option<String>,
}

/// Unix time now (interface layer only; the core takes times as parameters).
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
