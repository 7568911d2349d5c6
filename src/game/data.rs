//! The game's state, as small resources: the curriculum, the profile store, the signed-in
//! trainee, the settings, the selection, hot reload, the running session and the last result.
//! Each screen reads the parts it draws, so a change to one part redraws only what shows it.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use super::hot_reload::{FolderState, HotReload};
use super::store::ProfileStore;
use crate::dialogue::Session;
use crate::profile::Mode;
use crate::scenario::{Curriculum, Scenario};
use crate::scoring::Scorecard;
use crate::text::Lang;

/// The last valid curriculum (hot reload replaces it).
#[derive(Resource, Debug, Clone)]
pub struct Lessons(pub Curriculum);

/// The trainee who signed in (absent on the sign-in screen).
#[derive(Resource, Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Employee id, as stored.
    pub employee_id: String,
    /// Name as typed.
    pub name: String,
    /// Cohort (onboarding group), if any.
    pub cohort: Option<String>,
}

impl SignedIn {
    /// The name as shown (NFC, no control characters).
    pub fn shown_name(&self) -> String {
        crate::text::display_name(&self.name)
    }
}

/// Interface language and practice/assessment mode.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Interface language.
    pub lang: Lang,
    /// Practice (hints and feedback after each choice) or assessment (feedback at the end).
    pub mode: Mode,
}

/// The scenario selected on the home screen and the seed of the next new customer.
#[derive(Resource, Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// Index into the curriculum's scenarios.
    pub index: usize,
    /// Seed of the next session; advanced for each new customer.
    pub next_seed: u64,
}

impl Selection {
    /// The selected scenario.
    pub fn scenario(&self, lessons: &Lessons) -> Option<Arc<Scenario>> {
        lessons.0.scenarios.get(self.index).cloned()
    }

    /// Advances to a new customer's seed and returns it.
    pub fn new_seed(&mut self) -> u64 {
        self.next_seed = self.next_seed.wrapping_add(1);
        self.next_seed
    }
}

/// What the game starts with: loaded on a thread while Bevy starts, then inserted as resources.
pub struct Loaded {
    /// The curriculum.
    pub curriculum: Curriculum,
    /// The folder scenarios hot-reload from (none: the embedded curriculum).
    pub scenarios_dir: Option<PathBuf>,
    /// The folder as it was when the curriculum was read.
    pub scenarios_seen: Option<FolderState>,
    /// The profile store, or why it could not be opened.
    pub store: Result<super::store::GameStore, String>,
    /// Interface language.
    pub lang: Lang,
}

impl Loaded {
    /// Loads the curriculum and opens the store the options name.
    pub fn load(options: &super::Options) -> Result<Loaded, crate::scenario::LoadError> {
        let scenarios_dir = Curriculum::folder(options.scenarios.as_deref());
        // Before reading: a file changed while it is read is reloaded on the first check.
        let seen = scenarios_dir.as_deref().map(super::hot_reload::snapshot);
        let curriculum = Curriculum::resolve(options.scenarios.as_deref())?;
        let store = super::store::GameStore::open_with_outbox(
            options.db.as_deref(),
            options.outbox.as_deref(),
        );
        let mut loaded = Loaded::new(curriculum, scenarios_dir, store, options.lang);
        loaded.scenarios_seen = seen;
        Ok(loaded)
    }

    /// From parts (tests use an in-memory curriculum and a temporary store).
    pub fn new(
        curriculum: Curriculum,
        scenarios_dir: Option<PathBuf>,
        store: Result<super::store::GameStore, String>,
        lang: Lang,
    ) -> Loaded {
        Loaded {
            curriculum,
            scenarios_dir,
            scenarios_seen: None,
            store,
            lang,
        }
    }

    /// Inserts the game's resources.
    pub fn insert_into(self, world: &mut World) {
        world.insert_resource(Lessons(self.curriculum));
        world.insert_resource(ProfileStore(self.store));
        world.insert_resource(Settings {
            lang: self.lang,
            mode: Mode::Practice,
        });
        world.insert_resource(Selection {
            index: 0,
            next_seed: u64::try_from(crate::clock::now_unix()).unwrap_or(1),
        });
        world.insert_resource(HotReload::new(self.scenarios_dir, self.scenarios_seen));
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
    /// Where it was saved (the store, or this PC's outbox), or why it was not.
    pub saved: Result<crate::profile::outbox::Saved, String>,
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
