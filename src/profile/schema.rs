//! The database schema and its migrations. Each migration moves the schema up one version; the
//! version reached is recorded in `schema_version`. The SQL is kept to what both SQLite and
//! PostgreSQL accept: the central store runs the same texts (`pg.rs` widens the integers).
//!
//! Never edit a released migration: add the next one.

use rusqlite::{Connection, OptionalExtension as _, Transaction, TransactionBehavior, params};

use super::ProfileError;

/// The schema version this build writes.
pub const CURRENT_VERSION: i64 = 5;

/// Version 1, the first released schema: trainees, sessions with their per-commitment scores
/// (JSON), and the ordered choice log.
pub(crate) const V1: &str = "
CREATE TABLE schema_version (
    version INTEGER NOT NULL
);
CREATE TABLE trainees (
    employee_id  TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    cohort       TEXT,
    created_unix BIGINT NOT NULL
);
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    employee_id   TEXT NOT NULL REFERENCES trainees (employee_id),
    scenario_id   TEXT NOT NULL,
    scenario_hash TEXT NOT NULL,
    rulebook_hash TEXT NOT NULL,
    seed          BIGINT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
    started_unix  BIGINT NOT NULL,
    finished_unix BIGINT NOT NULL,
    outcome       TEXT NOT NULL,
    ending        TEXT,
    grade         INTEGER NOT NULL,
    passed        INTEGER NOT NULL,
    critical      INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    scores        TEXT NOT NULL
);
CREATE TABLE choices (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    turn       INTEGER NOT NULL,
    choice_id  TEXT NOT NULL,
    PRIMARY KEY (session_id, turn)
);
CREATE INDEX sessions_by_trainee ON sessions (employee_id, finished_unix);
";

/// Version 2: an xAPI registration (a UUID) per session, filled in for the sessions already
/// stored, and an index for cohort filters.
pub(crate) const V2: &str = "
ALTER TABLE sessions ADD COLUMN registration TEXT;
CREATE INDEX trainees_by_cohort ON trainees (cohort);
";

/// Version 3: sessions played by a bot (`sim --record-as`) are marked, so that they never count
/// as a trainee's practice (mastery, recommendations, LMS statements).
/// The same version seals sessions: a MAC over each session's content chained to the previous
/// MAC of the same trainee (`head_mac`), keyed by a secret outside the database.
pub(crate) const V3: &str = "
ALTER TABLE sessions ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN mac TEXT;
ALTER TABLE sessions ADD COLUMN prev_mac TEXT;
ALTER TABLE trainees ADD COLUMN head_mac TEXT;
";

/// Version 4: a session is known by its registration (a UUID given when it finished), so that
/// sending it again (an outbox retried after a lost answer) finds it instead of storing it twice.
pub(crate) const V4: &str = "
CREATE INDEX sessions_by_registration ON sessions (registration);
";

/// Version 5: accounts of the HR web dashboard (an Argon2id hash, a role, the cohorts it may see)
/// and the server-side sessions of signed-in browsers (the token's hash, a CSRF token, an expiry);
/// and the fingerprint of the key a central store's sessions are sealed with, so that a PC with
/// another key is stopped before it records (its seals would all read as edited).
pub(crate) const V5: &str = "
CREATE TABLE users (
    login        TEXT PRIMARY KEY,
    hash         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('hr', 'trainer')),
    cohorts      TEXT NOT NULL,
    created_unix BIGINT NOT NULL
);
CREATE TABLE web_sessions (
    token_hash   TEXT PRIMARY KEY,
    login        TEXT NOT NULL REFERENCES users (login),
    csrf         TEXT NOT NULL,
    expires_unix BIGINT NOT NULL
);
CREATE TABLE seal_key (
    one         TEXT PRIMARY KEY CHECK (one = 'key'),
    fingerprint TEXT NOT NULL
);
";

/// Reads the recorded schema version: `None` for an empty database.
pub(crate) fn version(conn: &Connection) -> Result<Option<i64>, rusqlite::Error> {
    let tables: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )?;
    if tables == 0 {
        return Ok(None);
    }
    let has_version: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !has_version {
        return Ok(Some(0));
    }
    conn.query_row("SELECT max(version) FROM schema_version", [], |r| {
        r.get::<_, Option<i64>>(0)
    })
    .map(|v| Some(v.unwrap_or(0)))
}

/// Brings the schema to [`CURRENT_VERSION`], one step per transaction. Each step takes the write
/// lock first and re-reads the version, so two processes opening a new file at once do not both
/// migrate it.
pub(crate) fn migrate(conn: &Connection) -> Result<(), ProfileError> {
    loop {
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let now = version(&tx)?.unwrap_or(0);
        match now {
            0 => {
                tx.execute_batch(V1)?;
                tx.execute("INSERT INTO schema_version (version) VALUES (1)", [])?;
            }
            1 => {
                tx.execute_batch(V2)?;
                let ids: Vec<i64> = {
                    let mut st =
                        tx.prepare("SELECT id FROM sessions WHERE registration IS NULL")?;
                    st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?
                };
                for id in ids {
                    tx.execute(
                        "UPDATE sessions SET registration = ?1 WHERE id = ?2",
                        params![uuid::Uuid::new_v4().to_string(), id],
                    )?;
                }
                tx.execute("UPDATE schema_version SET version = 2", [])?;
            }
            2 => {
                tx.execute_batch(V3)?;
                tx.execute("UPDATE schema_version SET version = 3", [])?;
            }
            3 => {
                tx.execute_batch(V4)?;
                tx.execute("UPDATE schema_version SET version = 4", [])?;
            }
            4 => {
                tx.execute_batch(V5)?;
                tx.execute("UPDATE schema_version SET version = 5", [])?;
            }
            _ => return Ok(tx.commit()?),
        }
        tx.commit()?;
    }
}
