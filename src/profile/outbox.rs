//! The outbox: finished sessions that could not reach the central store wait here, in a small
//! SQLite file on this PC, until the next recording or `care-trainer sync` sends them. Each waits
//! with its registration (its identity), so a session sent twice (the answer to the first send
//! lost) is stored once; and with its trainee's name and cohort, so a trainee created while the
//! store was away is created there first.
//!
//! What waits is the choice log, not the score: sending replays it on this PC's curriculum, which
//! gives the identical scorecard (the engine is deterministic). A session whose scenario has
//! changed since it was played stays in the outbox and is reported, never dropped.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, params};

use super::{Mode, NewSession, ProfileError, Store};
use crate::scenario::Curriculum;
use crate::scoring::{ChoiceLog, replay};

/// The file name of the outbox in the OS data directory.
pub const OUTBOX_FILE_NAME: &str = "outbox.sqlite3";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS waiting (
    registration  TEXT PRIMARY KEY,
    employee_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    cohort        TEXT,
    mode          TEXT NOT NULL,
    started_unix  BIGINT NOT NULL,
    finished_unix BIGINT NOT NULL,
    log           TEXT NOT NULL,
    bot           INTEGER NOT NULL
);
";

/// Who a waiting session belongs to, as the trainee was signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner<'a> {
    /// Employee id.
    pub employee_id: &'a str,
    /// Name as typed.
    pub name: &'a str,
    /// Cohort.
    pub cohort: Option<&'a str>,
}

/// What a send did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Sessions now in the central store.
    pub sent: usize,
    /// Sessions still waiting, each with why.
    pub kept: Vec<(String, String)>,
}

/// Where a recording went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// In the store, with this id.
    Stored(i64),
    /// In the outbox on this PC, to be sent.
    Queued,
}

/// The outbox file.
#[derive(Debug)]
pub struct Outbox {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Outbox {
    /// The default outbox: `--outbox`, else beside the default database in the OS data folder.
    pub fn default_path(flag: Option<&Path>) -> PathBuf {
        if let Some(p) = flag {
            return p.to_path_buf();
        }
        super::data_dir().join(OUTBOX_FILE_NAME)
    }

    /// Opens (creating) the outbox file; its folder is created when absent.
    pub fn open(path: &Path) -> Result<Outbox, ProfileError> {
        super::make_parent_folder(path)?;
        let conn = Connection::open(path)?;
        conn.busy_timeout(super::BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Outbox {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Puts a finished session in the outbox (durably, when this returns). The session must
    /// carry its registration.
    pub fn push(
        &self,
        owner: &Owner<'_>,
        s: &NewSession<'_>,
        bot: bool,
    ) -> Result<(), ProfileError> {
        let registration = s.registration().to_string();
        self.conn().execute(
            "INSERT OR IGNORE INTO waiting (registration, employee_id, name, cohort, mode, \
             started_unix, finished_unix, log, bot) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                registration,
                owner.employee_id,
                owner.name,
                owner.cohort,
                s.mode.as_str(),
                s.started_unix,
                s.finished_unix,
                s.log.to_json(),
                bot
            ],
        )?;
        Ok(())
    }

    /// How many sessions wait.
    pub fn waiting(&self) -> Result<usize, ProfileError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM waiting", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Sends every waiting session to `store`, oldest first; each one sent leaves the outbox.
    /// Stops at the first sign that the store is away (the rest wait for the next time).
    pub fn send(&self, store: &Store, curriculum: &Curriculum) -> Result<Sent, ProfileError> {
        let rows: Vec<Waiting> = {
            let conn = self.conn();
            let mut st = conn.prepare(
                "SELECT registration, employee_id, name, cohort, mode, started_unix, finished_unix, log, bot \
                 FROM waiting ORDER BY finished_unix, registration",
            )?;
            st.query_map([], |r| {
                Ok(Waiting {
                    registration: r.get(0)?,
                    employee_id: r.get(1)?,
                    name: r.get(2)?,
                    cohort: r.get(3)?,
                    mode: r.get(4)?,
                    started: r.get(5)?,
                    finished: r.get(6)?,
                    log: r.get(7)?,
                    bot: r.get(8)?,
                })
            })?
            .collect::<Result<_, _>>()?
        };
        let mut report = Sent::default();
        for w in rows {
            match w.send(store, curriculum) {
                Ok(()) => {
                    self.conn().execute(
                        "DELETE FROM waiting WHERE registration = ?1",
                        [&w.registration],
                    )?;
                    report.sent += 1;
                }
                Err(e) if e.is_unreachable() => return Err(e),
                Err(e) => report.kept.push((w.registration.clone(), e.to_string())),
            }
        }
        Ok(report)
    }
}

/// A waiting row.
struct Waiting {
    registration: String,
    employee_id: String,
    name: String,
    cohort: Option<String>,
    mode: String,
    started: i64,
    finished: i64,
    log: String,
    bot: bool,
}

impl Waiting {
    fn send(&self, store: &Store, curriculum: &Curriculum) -> Result<(), ProfileError> {
        let bad = |reason: String| ProfileError::BadRow {
            session: -1,
            reason: format!("waiting session {}: {reason}", self.registration),
        };
        let log = ChoiceLog::from_json(&self.log).map_err(|e| bad(e.to_string()))?;
        let sc = curriculum.scenario(&log.scenario).ok_or_else(|| {
            bad(format!(
                "scenario `{}` is not in this curriculum",
                log.scenario
            ))
        })?;
        if sc.content_hash != log.scenario_hash || curriculum.rulebook.hash != log.rulebook_hash {
            return Err(bad(format!(
                "scenario `{}` or the rulebook changed since it was played; send it from a PC with that version",
                log.scenario
            )));
        }
        let (_, card) = replay(
            sc.clone(),
            curriculum.rulebook.clone(),
            log.seed,
            &log.choices,
        )
        .map_err(|e| bad(e.to_string()))?;
        if store.trainee(&self.employee_id)?.is_none() {
            match store.add_trainee_at(
                &self.employee_id,
                &self.name,
                self.cohort.as_deref(),
                self.started,
            ) {
                Ok(()) | Err(ProfileError::DuplicateTrainee(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let registration =
            uuid::Uuid::parse_str(&self.registration).map_err(|e| bad(e.to_string()))?;
        let session = NewSession {
            employee_id: &self.employee_id,
            mode: Mode::parse(&self.mode).ok_or_else(|| bad(format!("mode `{}`", self.mode)))?,
            log: &log,
            card: &card,
            started_unix: self.started,
            finished_unix: self.finished,
            registration: Some(registration),
        };
        store_one(store, &session, self.bot).map(|_| ())
    }
}

/// Records a finished session in `store`; when the store cannot be reached (or is not open),
/// the session goes to the outbox instead. Sessions already waiting are sent first.
pub fn record_or_queue(
    store: Option<&Store>,
    outbox: Option<&Outbox>,
    curriculum: &Curriculum,
    owner: &Owner<'_>,
    session: &NewSession<'_>,
    bot: bool,
) -> Result<Saved, ProfileError> {
    let session = NewSession {
        registration: Some(session.registration()),
        ..*session
    };
    let Some(outbox) = outbox else {
        // No outbox (a SQLite file on this PC): the store's answer is the answer.
        let store = store.ok_or_else(|| ProfileError::Empty("the profile store"))?;
        return store_one(store, &session, bot).map(Saved::Stored);
    };
    if let Some(store) = store {
        let sent = outbox.send(store, curriculum);
        if sent.is_ok() {
            match store_one(store, &session, bot) {
                Ok(id) => return Ok(Saved::Stored(id)),
                Err(e) if !e.is_unreachable() => return Err(e),
                Err(_) => {}
            }
        }
    }
    outbox.push(owner, &session, bot)?;
    Ok(Saved::Queued)
}

fn store_one(store: &Store, session: &NewSession<'_>, bot: bool) -> Result<i64, ProfileError> {
    if bot {
        let ids = store.record_bot_sessions(std::slice::from_ref(session))?;
        Ok(ids.first().copied().unwrap_or_default())
    } else {
        store.record(session)
    }
}
