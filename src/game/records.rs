//! The game's door to the profile store: opens it, records finished sessions before the
//! debrief shows, and reads trainees, history, mastery and the recommendation.

use std::path::Path;

use crate::profile::{self, Mastery, NewSession, Recommendation, Store, StoredSession, Trainee};
use crate::rulebook::Rulebook;
use crate::scenario::Curriculum;
use crate::scoring::{ChoiceLog, Scorecard};

use super::Mode;

/// An open profile store.
pub struct Records {
    store: Store,
    /// Where it is.
    pub path: String,
}

impl Records {
    /// Opens the store at `--db`, `CARE_TRAINER_DB` or the OS data directory.
    pub fn open(flag: Option<&Path>) -> Result<Records, String> {
        let path = profile::default_db_path(flag);
        let opened = if profile::db_path_is_default(flag) {
            Store::open_default(&path)
        } else {
            Store::open(&path)
        };
        opened
            .map(|store| Records {
                store,
                path: path.display().to_string(),
            })
            .map_err(|e| e.to_string())
    }

    /// All trainees.
    pub fn trainees(&self) -> Vec<Trainee> {
        self.store.trainees().unwrap_or_default()
    }

    /// Creates a trainee.
    pub fn add_trainee(
        &self,
        id: &str,
        name: &str,
        cohort: Option<&str>,
    ) -> Result<(), crate::profile::ProfileError> {
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
    ) -> Result<(), String> {
        let mode = match mode {
            Mode::Practice => profile::Mode::Practice,
            Mode::Assessment => profile::Mode::Assessment,
        };
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
            .map_err(|e| e.to_string())
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions(&self, employee_id: &str) -> Vec<StoredSession> {
        self.store.sessions_of(employee_id).unwrap_or_default()
    }

    /// Mastery per commitment.
    pub fn mastery(&self, employee_id: &str, rulebook: &Rulebook) -> Vec<Mastery> {
        profile::mastery(&self.sessions(employee_id), rulebook)
    }

    /// The recommended next scenario.
    pub fn recommend(&self, employee_id: &str, curriculum: &Curriculum) -> Option<Recommendation> {
        profile::recommend(
            curriculum,
            &self.sessions(employee_id),
            &curriculum.rulebook,
        )
    }
}

/// A name as shown: NFC-normalised (a name stored in NFD shows the same).
pub fn display_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    name.nfc().collect()
}
