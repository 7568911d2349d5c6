//! The game's door to the profile store: opens it, records finished sessions before the
//! debrief shows, and reads trainees, history, mastery and the recommendation.

use std::path::Path;

use bevy::prelude::*;

use crate::profile::outbox::{Outbox, Owner, Saved, record_or_queue};
use crate::profile::{
    self, Mastery, NewSession, ProfileError, Recommendation, Store, StoredSession, Trainee, pg,
};
use crate::rulebook::Rulebook;
use crate::scenario::Curriculum;

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

/// The profile store as the game uses it: a SQLite file, or a central store with an outbox on
/// this PC for the sessions it cannot take at the moment.
pub struct GameStore {
    store: Option<Store>,
    outbox: Option<Outbox>,
    /// Where sessions are recorded (a file, or the URL without its password).
    pub path: String,
}

impl GameStore {
    /// Opens the store at `--db`, `CARE_TRAINER_DB` or the OS data directory. A central store
    /// that does not answer now is not an error: sessions wait in the outbox.
    pub fn open(flag: Option<&Path>) -> Result<GameStore, String> {
        Self::open_with_outbox(flag, None)
    }

    /// [`GameStore::open`] with the outbox at `outbox` (default: the OS data directory).
    pub fn open_with_outbox(
        flag: Option<&Path>,
        outbox: Option<&Path>,
    ) -> Result<GameStore, String> {
        let path = profile::default_db_path(flag);
        let shown = path.display().to_string();
        if pg::is_url(&shown) {
            let outbox = Outbox::open(&Outbox::default_path(outbox)).map_err(|e| e.to_string())?;
            let store = match Store::open(&path) {
                Ok(s) => Some(s),
                Err(e) if e.is_unreachable() => None,
                Err(e) => return Err(e.to_string()),
            };
            return Ok(GameStore {
                store,
                outbox: Some(outbox),
                path: pg::redact(&shown),
            });
        }
        let opened = if profile::db_path_is_default(flag) {
            Store::open_default(&path)
        } else {
            Store::open(&path)
        };
        opened
            .map(|store| GameStore {
                store: Some(store),
                outbox: None,
                path: shown,
            })
            .map_err(|e| e.to_string())
    }

    fn store(&self) -> Result<&Store, ProfileError> {
        self.store
            .as_ref()
            .ok_or_else(|| ProfileError::Unreachable {
                location: self.path.clone(),
                reason: "it did not answer when the game started".into(),
            })
    }

    /// All trainees.
    pub fn trainees(&self) -> Result<Vec<Trainee>, ProfileError> {
        match &self.store {
            Some(store) => store.trainees(),
            None => Ok(Vec::new()),
        }
    }

    /// Creates a trainee.
    pub fn add_trainee(
        &self,
        id: &str,
        name: &str,
        cohort: Option<&str>,
    ) -> Result<(), ProfileError> {
        match self.store() {
            Ok(store) => store.add_trainee(id, name, cohort),
            // The central store is away: the trainee is created there with their first session.
            Err(_) if self.outbox.is_some() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Records a finished session durably: in the store, or in the outbox when the central
    /// store does not answer.
    pub fn record(
        &self,
        owner: &Owner<'_>,
        session: &NewSession<'_>,
        curriculum: &Curriculum,
    ) -> Result<Saved, ProfileError> {
        record_or_queue(
            self.store.as_ref(),
            self.outbox.as_ref(),
            curriculum,
            owner,
            session,
            false,
        )
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions(&self, employee_id: &str) -> Result<Vec<StoredSession>, ProfileError> {
        match &self.store {
            Some(store) => store.sessions_of(employee_id),
            // The central store is away: no history to show now.
            None => Ok(Vec::new()),
        }
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
