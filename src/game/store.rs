//! The game's door to the profile store: opens it, records finished sessions before the
//! debrief shows, and reads trainees, history, mastery and the recommendation.

use std::path::Path;

use bevy::prelude::*;

use crate::profile::{
    self, Mastery, Mode, NewSession, ProfileError, Recommendation, Store, StoredSession, Trainee,
};
use crate::rulebook::Rulebook;
use crate::scenario::Curriculum;
use crate::scoring::{ChoiceLog, Scorecard};

/// The profile store, or why it could not be opened (the trainee can still practise, marked
/// "not saved").
#[derive(Resource)]
pub struct ProfileStore(pub Result<GameStore, String>);

impl ProfileStore {
    /// The open store, if any.
    pub fn get(&self) -> Option<&GameStore> {
        self.0.as_ref().ok()
    }
}

/// An open profile store.
pub struct GameStore {
    store: Store,
    /// Where it is.
    pub path: String,
}

impl GameStore {
    /// Opens the store at `--db`, `CARE_TRAINER_DB` or the OS data directory.
    pub fn open(flag: Option<&Path>) -> Result<GameStore, String> {
        let path = profile::default_db_path(flag);
        let opened = if profile::db_path_is_default(flag) {
            Store::open_default(&path)
        } else {
            Store::open(&path)
        };
        opened
            .map(|store| GameStore {
                store,
                path: path.display().to_string(),
            })
            .map_err(|e| e.to_string())
    }

    /// All trainees.
    pub fn trainees(&self) -> Result<Vec<Trainee>, ProfileError> {
        self.store.trainees()
    }

    /// Creates a trainee.
    pub fn add_trainee(
        &self,
        id: &str,
        name: &str,
        cohort: Option<&str>,
    ) -> Result<(), ProfileError> {
        self.store.add_trainee(id, name, cohort)
    }

    /// Records a finished session durably.
    pub fn record(
        &self,
        employee_id: &str,
        mode: Mode,
        log: &ChoiceLog,
        card: &Scorecard,
        started_unix: i64,
        finished_unix: i64,
    ) -> Result<(), ProfileError> {
        self.store
            .record(&NewSession {
                employee_id,
                mode,
                log,
                card,
                started_unix,
                finished_unix,
            })
            .map(|_| ())
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions(&self, employee_id: &str) -> Result<Vec<StoredSession>, ProfileError> {
        self.store.sessions_of(employee_id)
    }

    /// Mastery per commitment.
    pub fn mastery(
        &self,
        employee_id: &str,
        rulebook: &Rulebook,
    ) -> Result<Vec<Mastery>, ProfileError> {
        Ok(profile::mastery(&self.sessions(employee_id)?, rulebook))
    }

    /// The recommended next scenario.
    pub fn recommend(
        &self,
        employee_id: &str,
        curriculum: &Curriculum,
    ) -> Result<Option<Recommendation>, ProfileError> {
        Ok(profile::recommend(
            curriculum,
            &self.sessions(employee_id)?,
            &curriculum.rulebook,
        ))
    }
}
