//! Trainee profiles: the SQLite [`Store`] of trainees, finished sessions (scorecard summary and
//! the ordered choice log), and what is derived from them: [`mastery()`] per commitment and the
//! [`recommend`]ed next scenario.
//!
//! The store is the only IO here. Times are parameters (Unix seconds): the caller reads the clock.
//! The store keeps what a session needs to be replayed and re-scored (DESIGN §3): scenario id and
//! content hash, rulebook hash, seed and choices, plus the scores given at the time.

pub mod accounts;
mod mastery;
pub mod outbox;
pub mod pg;
mod record;
mod rows;
mod schema;
pub mod seal;

pub use record::{MAX_EMPLOYEE_ID, employee_id};
use record::{insert_session, lookup_id};
use rows::{Chunk, Interner, SESSION_COLUMNS, scores_json, trainee_row};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension as _, Transaction, TransactionBehavior, params,
};
use serde_json::{Value, json};
use thiserror::Error;

use crate::scenario::model::Outcome;
use crate::scoring::{ChoiceLog, Scorecard};

pub use mastery::{Level, Mastery, Recommendation, mastery, recommend};
pub(crate) use mastery::{mastery_of, recommend_from};
pub use schema::CURRENT_VERSION;
pub use store::{SEAL_KEY_ENV, Store};

mod store;

/// How long a writer waits for another process's lock before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that overrides the default database path.
pub const DB_ENV: &str = "CARE_TRAINER_DB";

/// The file name of the database in the OS data directory.
pub const DB_FILE_NAME: &str = "profiles.sqlite3";

/// SQLite page cache, in KiB (negative: a size, not a page count).
const CACHE_KIB: i64 = -32_768;

/// Bytes of the file SQLite may memory-map for reads.
const MMAP_BYTES: i64 = 1 << 30;

/// Rows per chunk handed from the reading thread to the parsing one.
const CHUNK_ROWS: usize = 4_096;

/// Chunks queued between the two threads.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The first bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Why a store operation failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ProfileError {
    /// The file exists but is not a SQLite database (or is damaged); it was not changed.
    #[error(
        "`{path}` is not a Care Trainer profile database ({reason}); the file was left untouched — pass another file with --db or CARE_TRAINER_DB"
    )]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// What was found.
        reason: String,
    },
    /// The database was written by a newer Care Trainer (a higher schema version).
    #[error(
        "`{path}` has schema version {found}, newer than this program supports ({supported}); update Care Trainer — the file was left untouched"
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// The version recorded in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// A trainee with this employee id already exists.
    #[error("a trainee with employee id `{0}` already exists")]
    DuplicateTrainee(String),
    /// No trainee has this employee id.
    #[error("no trainee with employee id `{0}`; add one with `care-trainer trainee add`")]
    UnknownTrainee(String),
    /// An employee id or name is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// An employee id with characters outside the documented set.
    #[error(
        "employee id `{0}` may only hold letters A–Z, digits, `-`, `_` and `.` (at most {MAX_EMPLOYEE_ID} characters)"
    )]
    InvalidEmployeeId(String),
    /// A stored row cannot be read back (edited by hand or damaged).
    #[error("stored session {session}: {reason}")]
    BadRow {
        /// Session id.
        session: i64,
        /// What is wrong.
        reason: String,
    },
    /// The database folder could not be created.
    #[error("cannot create the folder `{path}`: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A thread reading the store stopped unexpectedly.
    #[error("a thread reading the store stopped unexpectedly")]
    Worker,
    /// SQLite reported an error.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The central store cannot be reached (server stopped, network down, wrong address).
    #[error("the central store {location} cannot be reached: {reason}")]
    Unreachable {
        /// The URL, without its password.
        location: String,
        /// What the client said.
        reason: String,
    },
    /// PostgreSQL reported an error.
    #[error("central store error: {0}")]
    Postgres(#[from] postgres::Error),
    /// This PC's seal key is not the one the central store's sessions are sealed with.
    #[error(
        "this PC's seal key `{key}` (fingerprint {found}) is not the central store's (fingerprint {expected}); copy the key file of the PC that first recorded into {location} here, or point CARE_TRAINER_SEAL_KEY at it — nothing was recorded"
    )]
    WrongKey {
        /// The key file.
        key: PathBuf,
        /// Its fingerprint.
        found: String,
        /// The store's.
        expected: String,
        /// The store, without its password.
        location: String,
    },
}

impl ProfileError {
    /// Whether the store could not be reached or its connection was lost: the session can wait
    /// in an outbox and be sent later.
    pub fn is_unreachable(&self) -> bool {
        match self {
            ProfileError::Unreachable { .. } => true,
            // A lost connection, or the server going down (SQLSTATE classes 08 and 57).
            ProfileError::Postgres(e) => {
                e.is_closed()
                    || e.code().is_none_or(|c| {
                        let c = c.code();
                        c.starts_with("08") || c.starts_with("57")
                    })
            }
            _ => false,
        }
    }
}

/// Practice (hints, feedback after each choice) or assessment (feedback at the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Practice mode.
    Practice,
    /// Assessment mode.
    Assessment,
}

impl Mode {
    /// Stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Practice => "practice",
            Mode::Assessment => "assessment",
        }
    }

    /// Parses a stable name.
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "practice" => Some(Mode::Practice),
            "assessment" => Some(Mode::Assessment),
            _ => None,
        }
    }
}

/// A trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trainee {
    /// Employee id, the key.
    pub employee_id: String,
    /// Display name, stored exactly as given (any Unicode).
    pub name: String,
    /// Cohort (onboarding group).
    pub cohort: Option<String>,
    /// When added (Unix seconds).
    pub created: i64,
}

/// A finished session to record.
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    /// Whose session it is.
    pub employee_id: &'a str,
    /// Practice or assessment.
    pub mode: Mode,
    /// Scenario, hashes, seed and choices.
    pub log: &'a ChoiceLog,
    /// The scorecard given at the time.
    pub card: &'a Scorecard,
    /// When it started (Unix seconds).
    pub started_unix: i64,
    /// When it finished (Unix seconds).
    pub finished_unix: i64,
    /// The session's identity (the xAPI registration), given when it finished: recording the
    /// same session twice (an outbox sent again) stores it once. `None`: a new one.
    pub registration: Option<uuid::Uuid>,
}

impl NewSession<'_> {
    /// The registration to store: the one given, else a new one.
    pub fn registration(&self) -> uuid::Uuid {
        self.registration.unwrap_or_else(uuid::Uuid::new_v4)
    }
}

/// One commitment's stored score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScore {
    /// `CK1`… (shared between sessions: half a million sessions hold only a few distinct ids).
    pub id: Arc<str>,
    /// Points earned, after penalties.
    pub earned: i32,
    /// The best reachable in the scenario.
    pub best: i32,
    /// Percent of the best (`None`: the scenario does not score it).
    pub percent: Option<u32>,
}

/// A stored session (without its choice log: see [`Store::choice_log`]).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSession {
    /// Row id.
    pub id: i64,
    /// Whose session it is. (The texts that repeat across sessions are shared, not copied: a
    /// report over half a million sessions holds each id and hash once.)
    pub employee_id: Arc<str>,
    /// Scenario id.
    pub scenario: Arc<str>,
    /// Scenario content hash when played.
    pub scenario_hash: Arc<str>,
    /// Rulebook hash when played.
    pub rulebook_hash: Arc<str>,
    /// Seed.
    pub seed: u64,
    /// Practice or assessment.
    pub mode: Mode,
    /// Unix seconds.
    pub started: i64,
    /// Unix seconds.
    pub finished: i64,
    /// Outcome.
    pub outcome: Outcome,
    /// Ending id.
    pub ending: Option<Arc<str>>,
    /// 0–100.
    pub grade: u32,
    /// Pass or fail.
    pub passed: bool,
    /// Number of critical violations.
    pub critical: u32,
    /// Simulated minutes.
    pub minutes: u32,
    /// Per commitment, in rulebook order.
    pub commitments: Vec<StoredScore>,
    /// xAPI registration (a UUID).
    pub registration: String,
    /// Played by a bot (`sim --record-as`), not by the trainee: never counted as practice.
    pub bot: bool,
}

impl StoredSession {
    /// Percent on a commitment, by id.
    pub fn percent(&self, id: &str) -> Option<u32> {
        self.commitments
            .iter()
            .find(|c| &*c.id == id)
            .and_then(|c| c.percent)
    }

    /// [`StoredSession::percent`] when the commitment is probably the `index`th stored (they are
    /// stored in rulebook order): checked there first, then looked up by id.
    pub fn percent_at(&self, index: usize, id: &str) -> Option<u32> {
        match self.commitments.get(index) {
            Some(c) if &*c.id == id => c.percent,
            _ => self.percent(id),
        }
    }
}

/// Which sessions a report covers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only this cohort.
    pub cohort: Option<String>,
    /// Only this trainee.
    pub employee_id: Option<String>,
    /// Only sessions finished at or after this time (Unix seconds).
    pub since_unix: Option<i64>,
}

impl Filter {
    /// Whether a trainee is selected (cohort and employee id; the time applies to sessions).
    pub fn keeps(&self, t: &Trainee) -> bool {
        self.cohort
            .as_ref()
            .is_none_or(|c| t.cohort.as_ref() == Some(c))
            && self
                .employee_id
                .as_ref()
                .is_none_or(|e| *t.employee_id == lookup_id(e))
    }
}

/// The trainees and sessions a report covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    /// Trainees, by employee id.
    pub trainees: Vec<Trainee>,
    /// Their sessions, by employee id then finish time.
    pub sessions: Vec<StoredSession>,
    /// Stored rows that could not be read back (edited by hand or damaged): (session id, what
    /// is wrong). Reports leave them out and say so; they never stop the rest.
    pub skipped: Vec<(i64, String)>,
}

/// The profile database in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    /// Behind a mutex so that a `Store` can be shared (`Sync`: the game keeps it in a resource).
    conn: Mutex<Connection>,
    path: PathBuf,
    /// The key that seals each recorded session (absent: a read-only store without its key).
    seal: Option<seal::SealKey>,
}

/// Reports read the whole file: a larger page cache and memory-mapped reads (no syscall per page)
/// cut a 500,000-session read several-fold. For writing and read-only opens alike.
fn tune_reads(conn: &Connection) -> Result<(), ProfileError> {
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    Ok(())
}

/// Whether the database path is the OS default (no `--db`, no `CARE_TRAINER_DB`): only then
/// may its folder be created.
pub fn db_path_is_default(flag: Option<&Path>) -> bool {
    flag.is_none() && std::env::var_os(DB_ENV).is_none_or(|p| p.is_empty())
}

/// The database path: `flag`, else `CARE_TRAINER_DB`, else the OS data directory.
pub fn default_db_path(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(DB_ENV).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    data_dir().join(DB_FILE_NAME)
}

/// Creates the folder `path` is in, when absent (the OS data folder, an outbox's folder).
pub(crate) fn make_parent_folder(path: &Path) -> Result<(), ProfileError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| ProfileError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

/// A new trainee's employee id as stored ([`employee_id`]), checked with their name.
pub(crate) fn new_trainee_id(raw: &str, name: &str) -> Result<String, ProfileError> {
    let id = employee_id(raw)?;
    if name.trim().is_empty() {
        return Err(ProfileError::Empty("the name"));
    }
    Ok(id)
}

/// The OS data directory of Care Trainer (the default database, the outbox, the central seal
/// key); the current folder when the OS has none.
pub fn data_dir() -> PathBuf {
    match directories::ProjectDirs::from("vn", "MobiFone", "care-trainer") {
        Some(d) => d.data_dir().to_path_buf(),
        None => PathBuf::new(),
    }
}

impl SqliteStore {
    /// Opens the database at `path` for reading and writing, creating the file (not its folder)
    /// when absent and migrating an older schema. A file that is not a Care Trainer database, one
    /// from a newer schema, or a damaged one (`PRAGMA quick_check`) is an error naming the file,
    /// and the file is not changed. A folder that does not exist is an error (a typo in `--db`
    /// must not create folders and an empty database); [`Store::open_default`] creates the OS data
    /// folder.
    pub fn open(path: &Path) -> Result<SqliteStore, ProfileError> {
        let not_db = |reason: String| ProfileError::NotADatabase {
            path: path.to_path_buf(),
            reason,
        };
        match std::fs::File::open(path) {
            Ok(mut f) => {
                use std::io::Read as _;
                let mut head = Vec::with_capacity(SQLITE_MAGIC.len());
                (&mut f)
                    .take(SQLITE_MAGIC.len() as u64)
                    .read_to_end(&mut head)
                    .map_err(|e| not_db(format!("cannot read it: {e}")))?;
                if !head.is_empty() && head.as_slice() != SQLITE_MAGIC {
                    return Err(not_db("it is not a SQLite file".into()));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
                    && !dir.is_dir()
                {
                    return Err(ProfileError::Folder {
                        path: dir.to_path_buf(),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "no such folder (check the --db path)",
                        ),
                    });
                }
            }
            Err(e) => return Err(not_db(format!("cannot read it: {e}"))),
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read before any write: a damaged file fails here and is left as it was.
        let found = schema::version(&conn).map_err(|e| not_db(e.to_string()))?;
        match found {
            Some(0) => {
                return Err(not_db(
                    "it holds tables but no Care Trainer schema version".into(),
                ));
            }
            Some(v) if v > CURRENT_VERSION => {
                return Err(ProfileError::NewerSchema {
                    path: path.to_path_buf(),
                    found: v,
                    supported: CURRENT_VERSION,
                });
            }
            _ => {}
        }
        // A damaged file (bytes overwritten in the middle) is reported, never written to.
        if found.is_some() {
            let verdict: String = conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(|e| not_db(format!("it is damaged: {e}")))?;
            if verdict != "ok" {
                return Err(not_db(format!("it is damaged: {verdict}")));
            }
        }
        // WAL: readers do not block the writer; FULL: a commit is on disk when it returns.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        tune_reads(&conn)?;
        if found.unwrap_or(0) < CURRENT_VERSION {
            schema::migrate(&conn)?;
        }
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            seal: Some(seal::load_or_create(path)?),
        })
    }

    /// Opens the default database (no `--db` and no `CARE_TRAINER_DB`): the OS data folder is
    /// created when absent.
    pub fn open_default(path: &Path) -> Result<SqliteStore, ProfileError> {
        make_parent_folder(path)?;
        SqliteStore::open(path)
    }

    /// Opens an existing database for reading only (reports, listings): nothing is created,
    /// migrated or written, so a read-only file (an auditor's copy) can be read.
    pub fn open_read_only(path: &Path) -> Result<SqliteStore, ProfileError> {
        let not_db = |reason: String| ProfileError::NotADatabase {
            path: path.to_path_buf(),
            reason,
        };
        if !path.is_file() {
            return Err(not_db(
                "there is no database file there (check the --db path)".into(),
            ));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| not_db(e.to_string()))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        match schema::version(&conn).map_err(|e| not_db(e.to_string()))? {
            Some(v) if v == CURRENT_VERSION => {}
            Some(v) if v > CURRENT_VERSION => {
                return Err(ProfileError::NewerSchema {
                    path: path.to_path_buf(),
                    found: v,
                    supported: CURRENT_VERSION,
                });
            }
            Some(0) | None => {
                return Err(not_db("it holds no Care Trainer schema".into()));
            }
            Some(v) => {
                return Err(not_db(format!(
                    "it has the older schema {v}: open it once with a writing command to upgrade it"
                )));
            }
        }
        conn.pragma_update(None, "query_only", true)?;
        tune_reads(&conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
            seal: seal::load(path),
        })
    }

    /// Starts a write transaction that takes the write lock at once, so that two processes never
    /// deadlock upgrading read locks (the busy timeout then makes the second one wait).
    fn immediate(conn: &Connection) -> Result<Transaction<'_>, ProfileError> {
        Ok(Transaction::new_unchecked(
            conn,
            TransactionBehavior::Immediate,
        )?)
    }

    /// The connection. A panic while it was held cannot leave SQLite inconsistent (an open
    /// transaction is rolled back when dropped), so a poisoned lock is simply taken over.
    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The file this store was opened from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, ProfileError> {
        Ok(schema::version(&self.conn())?.unwrap_or(0))
    }

    /// `PRAGMA integrity_check`: `ok`, or SQLite's list of problems.
    pub fn integrity_check(&self) -> Result<String, ProfileError> {
        let rows: Vec<String> = {
            let conn = self.conn();
            let mut st = conn.prepare("PRAGMA integrity_check")?;
            st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
        };
        Ok(rows.join("\n"))
    }

    /// Adds a trainee (the employee id normalised by [`employee_id`]). `created_unix` is when
    /// (the caller reads the clock).
    pub fn add_trainee_at(
        &self,
        employee_id: &str,
        name: &str,
        cohort: Option<&str>,
        created_unix: i64,
    ) -> Result<(), ProfileError> {
        let employee_id = &new_trainee_id(employee_id, name)?;
        let conn = self.conn();
        let tx = Self::immediate(&conn)?;
        let exists = tx
            .query_row(
                "SELECT 1 FROM trainees WHERE employee_id = ?1",
                [employee_id],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if exists {
            return Err(ProfileError::DuplicateTrainee(employee_id.to_owned()));
        }
        tx.execute(
            "INSERT INTO trainees (employee_id, name, cohort, created_unix) VALUES (?1, ?2, ?3, ?4)",
            params![employee_id, name, cohort, created_unix],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every trainee, by employee id.
    pub fn trainees(&self) -> Result<Vec<Trainee>, ProfileError> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT employee_id, name, cohort, created_unix FROM trainees ORDER BY employee_id",
        )?;
        let rows = st.query_map([], trainee_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One trainee.
    pub fn trainee(&self, employee_id: &str) -> Result<Option<Trainee>, ProfileError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT employee_id, name, cohort, created_unix FROM trainees WHERE employee_id = ?1",
                [lookup_id(employee_id)],
                trainee_row,
            )
            .optional()?)
    }

    /// Checks every trainee's chain of sealed sessions: the tamperings found and how many
    /// sessions were recorded before sealing. `None` when the key file is missing.
    pub fn check_seals(&self) -> Result<Option<(Vec<seal::Tampering>, u64)>, ProfileError> {
        let Some(key) = &self.seal else {
            return Ok(None);
        };
        Ok(Some(seal::check(&self.conn(), key)?))
    }

    /// Records sessions in one transaction, marked as played by a bot or not.
    pub fn insert_all(
        &self,
        sessions: &[NewSession<'_>],
        bot: bool,
    ) -> Result<Vec<i64>, ProfileError> {
        let conn = self.conn();
        let tx = Self::immediate(&conn)?;
        let ids = sessions
            .iter()
            .map(|s| insert_session(&tx, s, bot, self.seal.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions_of(&self, employee_id: &str) -> Result<Vec<StoredSession>, ProfileError> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE employee_id = ?1 ORDER BY finished_unix, id"
        );
        self.sessions_where(&sql, lookup_id(employee_id))
    }

    /// The sessions a query of [`SESSION_COLUMNS`] with one parameter returns, in its order.
    fn sessions_where(
        &self,
        sql: &str,
        param: impl rusqlite::ToSql,
    ) -> Result<Vec<StoredSession>, ProfileError> {
        let conn = self.conn();
        let mut st = conn.prepare(sql)?;
        let mut rows = st.query([param])?;
        let (mut chunk, mut shared) = (Chunk::default(), Interner::default());
        while let Some(row) = rows.next()? {
            chunk.push(row, None, &mut shared)?;
        }
        let mut out = Vec::with_capacity(chunk.rows.len());
        let mut bad = Vec::new();
        chunk.parse_into(&mut out, &mut shared, &mut bad);
        // One trainee's list leaves a damaged row out (reports name it; see `records`).
        Ok(out)
    }

    /// Number of stored sessions.
    pub fn session_count(&self) -> Result<u64, ProfileError> {
        let n: i64 = self
            .conn()
            .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The sessions recorded after session `id` (by id), in id order.
    pub fn sessions_since(&self, id: i64) -> Result<Vec<StoredSession>, ProfileError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id > ?1 ORDER BY id");
        self.sessions_where(&sql, id)
    }

    /// One session, by id.
    pub fn session(&self, id: i64) -> Result<Option<StoredSession>, ProfileError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1");
        Ok(self.sessions_where(&sql, id)?.pop())
    }

    /// The choice log of a stored session.
    pub fn choice_log(&self, session_id: i64) -> Result<ChoiceLog, ProfileError> {
        let conn = self.conn();
        let (scenario, scenario_hash, rulebook_hash, seed): (String, String, String, i64) =
            conn.query_row(
                "SELECT scenario_id, scenario_hash, rulebook_hash, seed FROM sessions WHERE id = ?1",
                [session_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
        let mut st =
            conn.prepare("SELECT choice_id FROM choices WHERE session_id = ?1 ORDER BY turn")?;
        let choices = st
            .query_map([session_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(ChoiceLog {
            scenario,
            scenario_hash,
            rulebook_hash,
            seed: seed as u64,
            choices,
        })
    }

    /// The choices of every stored session of a scenario, by session id, in turn order.
    pub fn choices_of(&self, scenario: &str) -> Result<HashMap<i64, Vec<String>>, ProfileError> {
        let conn = self.conn();
        let mut st = conn.prepare(CHOICES_OF_SQL)?;
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        let mut rows = st.query([scenario])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_default().push(r.get(1)?);
        }
        Ok(out)
    }

    /// One statement with `?N` parameters; rows changed.
    pub fn exec(&self, sql: &str, params: &[accounts::Param<'_>]) -> Result<u64, ProfileError> {
        let values: Vec<rusqlite::types::Value> = params.iter().map(sqlite_value).collect();
        let n = self
            .conn()
            .execute(sql, rusqlite::params_from_iter(values.iter()))?;
        Ok(n as u64)
    }

    /// A query whose columns are all text (or NULL).
    pub fn query_text(
        &self,
        sql: &str,
        params: &[accounts::Param<'_>],
    ) -> Result<Vec<Vec<Option<String>>>, ProfileError> {
        let values: Vec<rusqlite::types::Value> = params.iter().map(sqlite_value).collect();
        let conn = self.conn();
        let mut st = conn.prepare(sql)?;
        let n = st.column_count();
        let rows = st.query_map(rusqlite::params_from_iter(values.iter()), |r| {
            (0..n).map(|i| r.get::<_, Option<String>>(i)).collect()
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Runs SQL directly (tests and repairs by an administrator).
    pub fn execute_sql(&self, sql: &str) -> Result<(), ProfileError> {
        self.conn().execute_batch(sql)?;
        Ok(())
    }
}

fn sqlite_value(p: &accounts::Param<'_>) -> rusqlite::types::Value {
    match p {
        accounts::Param::Text(t) => rusqlite::types::Value::Text((*t).to_owned()),
        accounts::Param::Int(i) => rusqlite::types::Value::Integer(*i),
    }
}

/// The choices of a scenario's sessions (both backends; `?1` is `$1` for PostgreSQL).
pub(crate) const CHOICES_OF_SQL: &str = "SELECT c.session_id, c.choice_id FROM choices c \
     JOIN sessions s ON s.id = c.session_id WHERE s.scenario_id = ?1 ORDER BY c.session_id, c.turn";
