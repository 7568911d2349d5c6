//! [`Store`]: the one interface to the profile store, over its two backends — a SQLite file on
//! one PC ([`SqliteStore`]) or the central PostgreSQL database every onboarding room records into
//! ([`PgStore`]). `--db PATH` picks SQLite, `--db postgres://…` PostgreSQL; everything above this
//! file (game, CLI, reports, verify) is the same for both.

use std::path::{Path, PathBuf};

use super::pg::{self, PgStore};
use super::seal;
use super::{Filter, NewSession, ProfileError, Records, SqliteStore, StoredSession, Trainee};
use crate::scoring::ChoiceLog;

/// The environment variable naming the seal key file of a central store (every PC that records
/// into it needs the same key; default: `central.key` in the OS data directory).
pub const SEAL_KEY_ENV: &str = "CARE_TRAINER_SEAL_KEY";

/// The profile store.
#[derive(Debug)]
pub enum Store {
    /// A SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(PgStore),
}

/// Calls the same method on whichever backend the store is.
macro_rules! both {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Store::Sqlite($s) => $e,
            Store::Postgres($s) => $e,
        }
    };
}

/// The seal key file of a central store (`CARE_TRAINER_SEAL_KEY`, else `central.key` in the OS
/// data directory).
pub fn central_key_path() -> PathBuf {
    if let Some(p) = std::env::var_os(SEAL_KEY_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    super::data_dir().join("central.key")
}

impl Store {
    /// Opens (creating when absent) the SQLite file at `path`; see [`SqliteStore::open`].
    pub fn open(path: &Path) -> Result<Store, ProfileError> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Store::connect(url);
        }
        Ok(Store::Sqlite(SqliteStore::open(path)?))
    }

    /// Opens the default database, creating the OS data folder; see [`SqliteStore::open_default`].
    pub fn open_default(path: &Path) -> Result<Store, ProfileError> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Store::connect(url);
        }
        Ok(Store::Sqlite(SqliteStore::open_default(path)?))
    }

    /// Opens an existing store for reading only; see [`SqliteStore::open_read_only`]. A central
    /// store is read with the key if this PC has it (else seals are not checked).
    pub fn open_read_only(path: &Path) -> Result<Store, ProfileError> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            let key = seal::load_file(&central_key_path());
            let store = PgStore::connect(url, key, None)?.without_foreign_key()?;
            return Ok(Store::Postgres(store));
        }
        Ok(Store::Sqlite(SqliteStore::open_read_only(path)?))
    }

    /// Connects to a central store (`postgres://…`), with the seal key of this PC (made on
    /// first use).
    pub fn connect(url: &str) -> Result<Store, ProfileError> {
        let key = central_key_path();
        // The default key lives in the OS data folder, made on first use (a folder named in
        // CARE_TRAINER_SEAL_KEY must exist: a typo there creates nothing).
        if std::env::var_os(SEAL_KEY_ENV).is_none_or(|p| p.is_empty()) {
            super::make_parent_folder(&key)?;
        }
        Store::connect_in(url, None, &key)
    }

    /// [`Store::connect`] in a given schema with a given key file (tests give each run its own).
    pub fn connect_in(url: &str, schema: Option<&str>, key: &Path) -> Result<Store, ProfileError> {
        let sealing = seal::load_or_create_file(key)?;
        let store = PgStore::connect(url, Some(sealing), schema)?;
        store.check_key(key)?;
        Ok(Store::Postgres(store))
    }

    /// Where the store is: the file, or the URL without its password.
    pub fn location(&self) -> String {
        match self {
            Store::Sqlite(s) => s.path().display().to_string(),
            Store::Postgres(p) => p.location().to_owned(),
        }
    }

    /// The SQLite file, if the store is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Store::Sqlite(s) => Some(s.path()),
            Store::Postgres(_) => None,
        }
    }

    /// The file holding the seal key.
    pub fn key_path(&self) -> PathBuf {
        match self {
            Store::Sqlite(s) => seal::key_path(s.path()),
            Store::Postgres(_) => central_key_path(),
        }
    }

    /// The schema version recorded in the store.
    pub fn schema_version(&self) -> Result<i64, ProfileError> {
        both!(self, s => s.schema_version())
    }

    /// Adds a trainee (the employee id normalised by [`super::employee_id`]), created at
    /// `created_unix`.
    pub fn add_trainee_at(
        &self,
        employee_id: &str,
        name: &str,
        cohort: Option<&str>,
        created_unix: i64,
    ) -> Result<(), ProfileError> {
        both!(self, s => s.add_trainee_at(employee_id, name, cohort, created_unix))
    }

    /// Adds a trainee, created now (the game; deterministic callers use
    /// [`Store::add_trainee_at`]).
    pub fn add_trainee(
        &self,
        employee_id: &str,
        name: &str,
        cohort: Option<&str>,
    ) -> Result<(), ProfileError> {
        self.add_trainee_at(employee_id, name, cohort, crate::clock::now_unix())
    }

    /// Every trainee, by employee id.
    pub fn trainees(&self) -> Result<Vec<Trainee>, ProfileError> {
        both!(self, s => s.trainees())
    }

    /// One trainee.
    pub fn trainee(&self, employee_id: &str) -> Result<Option<Trainee>, ProfileError> {
        both!(self, s => s.trainee(employee_id))
    }

    /// Records a finished session durably (once: a registration already stored is not stored
    /// again). Returns its id.
    pub fn record(&self, session: &NewSession<'_>) -> Result<i64, ProfileError> {
        let ids = self.insert_all(std::slice::from_ref(session), false)?;
        Ok(ids.first().copied().unwrap_or_default())
    }

    /// Records sessions played by a bot, marked as such, in one transaction.
    pub fn record_bot_sessions(
        &self,
        sessions: &[NewSession<'_>],
    ) -> Result<Vec<i64>, ProfileError> {
        self.insert_all(sessions, true)
    }

    /// Records many sessions in one transaction: all or none.
    pub fn record_all(&self, sessions: &[NewSession<'_>]) -> Result<Vec<i64>, ProfileError> {
        self.insert_all(sessions, false)
    }

    fn insert_all(&self, sessions: &[NewSession<'_>], bot: bool) -> Result<Vec<i64>, ProfileError> {
        both!(self, s => s.insert_all(sessions, bot))
    }

    /// Checks every trainee's chain of sealed sessions; `None` when the key is missing.
    pub fn check_seals(&self) -> Result<Option<(Vec<seal::Tampering>, u64)>, ProfileError> {
        both!(self, s => s.check_seals())
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions_of(&self, employee_id: &str) -> Result<Vec<StoredSession>, ProfileError> {
        both!(self, s => s.sessions_of(employee_id))
    }

    /// Number of stored sessions.
    pub fn session_count(&self) -> Result<u64, ProfileError> {
        both!(self, s => s.session_count())
    }

    /// The sessions recorded after session `id` (by id), in id order.
    pub fn sessions_since(&self, id: i64) -> Result<Vec<StoredSession>, ProfileError> {
        both!(self, s => s.sessions_since(id))
    }

    /// One session, by id.
    pub fn session(&self, id: i64) -> Result<Option<StoredSession>, ProfileError> {
        both!(self, s => s.session(id))
    }

    /// The trainees and sessions a filter selects.
    pub fn records(&self, filter: &Filter) -> Result<Records, ProfileError> {
        both!(self, s => s.records(filter))
    }

    /// The choice log of a stored session.
    pub fn choice_log(&self, session_id: i64) -> Result<ChoiceLog, ProfileError> {
        both!(self, s => s.choice_log(session_id))
    }

    /// The choices of every stored session of a scenario, by session id, in turn order.
    pub fn choices_of(
        &self,
        scenario: &str,
    ) -> Result<std::collections::HashMap<i64, Vec<String>>, ProfileError> {
        both!(self, s => s.choices_of(scenario))
    }

    /// Runs SQL directly (tests and repairs by an administrator).
    pub fn execute_sql(&self, sql: &str) -> Result<(), ProfileError> {
        both!(self, s => s.execute_sql(sql))
    }

    /// SQLite's `PRAGMA integrity_check` (`ok`); a central store answers `ok` when it answers.
    pub fn integrity_check(&self) -> Result<String, ProfileError> {
        match self {
            Store::Sqlite(s) => s.integrity_check(),
            Store::Postgres(p) => p.schema_version().map(|_| "ok".to_owned()),
        }
    }
}
