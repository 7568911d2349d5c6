//! The central store: the same schema, migrations, records and seals as the SQLite file, in a
//! PostgreSQL database that every onboarding room records into (`--db postgres://…`).
//!
//! One connection per store, behind a mutex like the SQLite one; a process that records from many
//! threads opens one store per thread. Sessions of one trainee are serialised by a row lock on the
//! trainee, so the seal chain and the check that a session is stored once hold under concurrent
//! recorders.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use postgres::{Client, NoTls, Row, Transaction};

use super::accounts::Param;
use super::rows::{Chunk, Interner, RawSession, SESSION_COLUMNS, by_trainee_and_time, scores_json};
use super::seal::{self, SealKey};
use super::{
    CURRENT_VERSION, Filter, Mode, NewSession, ProfileError, Records, StoredSession, Trainee,
    lookup_id,
};
use crate::scenario::model::Outcome;
use crate::scoring::ChoiceLog;

/// The environment variable naming the schema to use inside the database (tests give each run
/// its own; the default is `public`).
pub const SCHEMA_ENV: &str = "CARE_TRAINER_PG_SCHEMA";

/// How long connecting may take before the store counts as unreachable.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A key that serialises migrations across processes (`pg_advisory_xact_lock`).
const MIGRATION_LOCK: i64 = 0x4341_5245_5452_4e52;

/// Whether a `--db` value names a PostgreSQL database.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The URL without its password, to show in messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// The PostgreSQL store.
pub struct PgStore {
    client: Mutex<Client>,
    /// To connect again after the server went away (the URL and the schema).
    config: postgres::Config,
    schema: String,
    shown: String,
    seal: Option<SealKey>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PgStore({})", self.shown)
    }
}

/// SQLite's migration text for PostgreSQL: the row id is a `BIGSERIAL`, every integer a `BIGINT`.
fn for_postgres(sql: &str) -> String {
    sql.replace("INTEGER PRIMARY KEY", "BIGSERIAL PRIMARY KEY")
        .replace("INTEGER", "BIGINT")
}

impl PgStore {
    /// Connects, in `schema` (else the one `CARE_TRAINER_PG_SCHEMA` names, else `public`), and
    /// brings the schema up to date. A server that cannot be reached is
    /// [`ProfileError::Unreachable`].
    pub fn connect(
        url: &str,
        key: Option<SealKey>,
        schema: Option<&str>,
    ) -> Result<PgStore, ProfileError> {
        let shown = redact(url);
        let unreachable = |reason: String| ProfileError::Unreachable {
            location: shown.clone(),
            reason,
        };
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| unreachable(format!("not a PostgreSQL URL: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        let mut client = config
            .connect(NoTls)
            .map_err(|e| unreachable(e.to_string()))?;
        let schema = schema
            .map(str::to_owned)
            .or_else(|| std::env::var(SCHEMA_ENV).ok().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "public".into());
        if !schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(unreachable(format!(
                "{SCHEMA_ENV} `{schema}` may only hold letters, digits and `_`"
            )));
        }
        client.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS {schema}; SET search_path TO {schema}"
        ))?;
        let store = PgStore {
            client: Mutex::new(client),
            config,
            schema,
            shown,
            seal: key,
        };
        let found = store.schema_version()?;
        if found > CURRENT_VERSION {
            return Err(ProfileError::NewerSchema {
                path: store.shown.clone().into(),
                found,
                supported: CURRENT_VERSION,
            });
        }
        if found < CURRENT_VERSION {
            store.migrate()?;
        }
        Ok(store)
    }

    /// The fingerprint of the key this store's sessions are sealed with, recorded by the first
    /// PC that records; `None` before that.
    pub fn key_fingerprint(&self) -> Result<Option<String>, ProfileError> {
        Ok(self
            .client()
            .query_opt("SELECT fingerprint FROM seal_key", &[])?
            .map(|r| r.get(0)))
    }

    /// Checks this PC's key against the store's (recording it when the store has none yet):
    /// a PC with another key must not record, or every seal it makes reads as edited.
    pub fn check_key(&self, key_file: &std::path::Path) -> Result<(), ProfileError> {
        let Some(key) = &self.seal else {
            return Ok(());
        };
        let ours = key.fingerprint();
        match self.key_fingerprint()? {
            Some(f) if f == ours => Ok(()),
            Some(expected) => Err(ProfileError::WrongKey {
                key: key_file.to_path_buf(),
                found: ours,
                expected,
                location: self.shown.clone(),
            }),
            None => {
                // One row at most (its primary key has one value): of two PCs starting at once,
                // the first to commit is the store's key and the other is refused below.
                self.client().execute(
                    "INSERT INTO seal_key (one, fingerprint) VALUES ('key', $1) ON CONFLICT DO NOTHING",
                    &[&ours],
                )?;
                match self.key_fingerprint()? {
                    Some(f) if f != ours => Err(ProfileError::WrongKey {
                        key: key_file.to_path_buf(),
                        found: ours,
                        expected: f,
                        location: self.shown.clone(),
                    }),
                    _ => Ok(()),
                }
            }
        }
    }

    /// Forgets the key when it is not the store's (a reader then does not check seals).
    pub fn without_foreign_key(mut self) -> Result<PgStore, ProfileError> {
        if let Some(key) = &self.seal
            && self
                .key_fingerprint()?
                .is_some_and(|f| f != key.fingerprint())
        {
            self.seal = None;
        }
        Ok(self)
    }

    /// The connection; one lost (the server restarted) is made again first, when it can be.
    fn client(&self) -> MutexGuard<'_, Client> {
        let mut client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        if client.is_closed()
            && let Ok(mut fresh) = self.config.connect(NoTls)
            && fresh
                .batch_execute(&format!("SET search_path TO {}", self.schema))
                .is_ok()
        {
            *client = fresh;
        }
        client
    }

    /// The URL without its password.
    pub fn location(&self) -> &str {
        &self.shown
    }

    /// The recorded schema version (0: an empty schema).
    pub fn schema_version(&self) -> Result<i64, ProfileError> {
        schema_version(&mut *self.client())
    }

    fn migrate(&self) -> Result<(), ProfileError> {
        let mut client = self.client();
        loop {
            let mut tx = client.transaction()?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
            let now = schema_version(&mut tx)?;
            match now {
                0 => {
                    tx.batch_execute(&for_postgres(super::schema::V1))?;
                    tx.execute("INSERT INTO schema_version (version) VALUES (1)", &[])?;
                }
                // A new central store has no sessions without a registration to fill in.
                1 => tx.batch_execute(&for_postgres(super::schema::V2))?,
                2 => tx.batch_execute(&for_postgres(super::schema::V3))?,
                3 => tx.batch_execute(&for_postgres(super::schema::V4))?,
                4 => tx.batch_execute(&for_postgres(super::schema::V5))?,
                _ => return Ok(tx.commit()?),
            }
            if now > 0 {
                tx.execute("UPDATE schema_version SET version = $1", &[&(now + 1)])?;
            }
            tx.commit()?;
        }
    }

    /// Adds a trainee.
    pub fn add_trainee_at(
        &self,
        raw_id: &str,
        name: &str,
        cohort: Option<&str>,
        created_unix: i64,
    ) -> Result<(), ProfileError> {
        let id = super::new_trainee_id(raw_id, name)?;
        let n = self.client().execute(
            "INSERT INTO trainees (employee_id, name, cohort, created_unix) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (employee_id) DO NOTHING",
            &[&id, &name, &cohort, &created_unix],
        )?;
        if n == 0 {
            return Err(ProfileError::DuplicateTrainee(id));
        }
        Ok(())
    }

    /// Every trainee, by employee id.
    pub fn trainees(&self) -> Result<Vec<Trainee>, ProfileError> {
        let rows = self.client().query(
            "SELECT employee_id, name, cohort, created_unix FROM trainees ORDER BY employee_id",
            &[],
        )?;
        Ok(rows.iter().map(trainee).collect())
    }

    /// One trainee.
    pub fn trainee(&self, raw_id: &str) -> Result<Option<Trainee>, ProfileError> {
        let row = self.client().query_opt(
            "SELECT employee_id, name, cohort, created_unix FROM trainees WHERE employee_id = $1",
            &[&lookup_id(raw_id)],
        )?;
        Ok(row.as_ref().map(trainee))
    }

    /// Records sessions in one transaction (all or none); a session whose registration is
    /// already stored is not stored again (its id is returned).
    pub fn insert_all(
        &self,
        sessions: &[NewSession<'_>],
        bot: bool,
    ) -> Result<Vec<i64>, ProfileError> {
        let mut client = self.client();
        let mut tx = client.transaction()?;
        let ids = sessions
            .iter()
            .map(|s| insert(&mut tx, s, bot, self.seal.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        tx.commit()?;
        Ok(ids)
    }

    /// A trainee's sessions, oldest first.
    pub fn sessions_of(&self, raw_id: &str) -> Result<Vec<StoredSession>, ProfileError> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions WHERE employee_id = $1 ORDER BY finished_unix, id"
        );
        let rows = self.client().query(&sql, &[&lookup_id(raw_id)])?;
        Ok(parse_rows(&rows, None).0)
    }

    /// Number of stored sessions.
    pub fn session_count(&self) -> Result<u64, ProfileError> {
        let n: i64 = self
            .client()
            .query_one("SELECT count(*) FROM sessions", &[])?
            .get(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The sessions recorded after session `id` (by id), in id order.
    pub fn sessions_since(&self, id: i64) -> Result<Vec<StoredSession>, ProfileError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id > $1 ORDER BY id");
        let rows = self.client().query(&sql, &[&id])?;
        Ok(parse_rows(&rows, None).0)
    }

    /// One session, by id.
    pub fn session(&self, id: i64) -> Result<Option<StoredSession>, ProfileError> {
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = $1");
        let rows = self.client().query(&sql, &[&id])?;
        Ok(parse_rows(&rows, None).0.pop())
    }

    /// The trainees and sessions a filter selects.
    pub fn records(&self, filter: &Filter) -> Result<Records, ProfileError> {
        let mut trainees = self.trainees()?;
        trainees.retain(|t| filter.keeps(t));
        let keep: HashMap<&str, Arc<str>> = trainees
            .iter()
            .map(|t| (t.employee_id.as_str(), Arc::from(t.employee_id.as_str())))
            .collect();
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE finished_unix >= $1");
        let since = filter.since_unix.unwrap_or(i64::MIN);
        let rows = self.client().query(&sql, &[&since])?;
        let (sessions, skipped) = parse_rows(&rows, Some(&keep));
        Ok(Records {
            trainees,
            sessions: by_trainee_and_time(sessions),
            skipped,
        })
    }

    /// The choice log of a stored session.
    pub fn choice_log(&self, session_id: i64) -> Result<ChoiceLog, ProfileError> {
        let mut client = self.client();
        let head = client.query_one(
            "SELECT scenario_id, scenario_hash, rulebook_hash, seed FROM sessions WHERE id = $1",
            &[&session_id],
        )?;
        let choices = client
            .query(
                "SELECT choice_id FROM choices WHERE session_id = $1 ORDER BY turn",
                &[&session_id],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect();
        Ok(ChoiceLog {
            scenario: head.get(0),
            scenario_hash: head.get(1),
            rulebook_hash: head.get(2),
            seed: head.get::<_, i64>(3) as u64,
            choices,
        })
    }

    /// Checks every trainee's chain of sealed sessions; `None` without the key.
    pub fn check_seals(&self) -> Result<Option<(Vec<seal::Tampering>, u64)>, ProfileError> {
        let Some(key) = &self.seal else {
            return Ok(None);
        };
        let mut client = self.client();
        let trainees: HashMap<String, Option<String>> = client
            .query("SELECT employee_id, head_mac FROM trainees", &[])?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let rows: Vec<seal::Row> = client
            .query(
                "SELECT id, employee_id, mac, prev_mac, registration FROM sessions ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect();
        let found = seal::check_chains(&trainees, &rows, key, |id| content(&mut *client, id))?;
        Ok(Some(found))
    }

    /// The choices of every stored session of a scenario, by session id, in turn order.
    pub fn choices_of(&self, scenario: &str) -> Result<HashMap<i64, Vec<String>>, ProfileError> {
        let sql = super::CHOICES_OF_SQL.replace("?1", "$1");
        let mut out: HashMap<i64, Vec<String>> = HashMap::new();
        for r in self.client().query(&sql, &[&scenario])? {
            out.entry(r.get(0)).or_default().push(r.get(1));
        }
        Ok(out)
    }

    /// One statement with `?N` parameters; rows changed.
    pub fn exec(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, ProfileError> {
        let (sql, values) = bind(sql, params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            values.iter().map(|v| v.as_ref()).collect();
        Ok(self.client().execute(&sql, &refs)?)
    }

    /// A query whose columns are all text (or NULL).
    pub fn query_text(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Vec<Vec<Option<String>>>, ProfileError> {
        let (sql, values) = bind(sql, params);
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            values.iter().map(|v| v.as_ref()).collect();
        Ok(self
            .client()
            .query(&sql, &refs)?
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.get::<_, Option<String>>(i))
                    .collect()
            })
            .collect())
    }

    /// Runs SQL directly (tests and repairs by an administrator).
    pub fn execute_sql(&self, sql: &str) -> Result<(), ProfileError> {
        self.client().batch_execute(sql)?;
        Ok(())
    }
}

/// `?N` placeholders as `$N`, and the values as PostgreSQL parameters.
fn bind(sql: &str, params: &[Param<'_>]) -> (String, Vec<Box<dyn postgres::types::ToSql + Sync>>) {
    let mut out = sql.to_owned();
    for i in (1..=params.len()).rev() {
        out = out.replace(&format!("?{i}"), &format!("${i}"));
    }
    let values = params
        .iter()
        .map(|p| -> Box<dyn postgres::types::ToSql + Sync> {
            match p {
                Param::Text(t) => Box::new((*t).to_owned()),
                Param::Int(i) => Box::new(*i),
            }
        })
        .collect();
    (out, values)
}

fn schema_version(client: &mut impl postgres::GenericClient) -> Result<i64, ProfileError> {
    let has = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'schema_version'",
            &[],
        )?
        .get::<_, i64>(0);
    if has == 0 {
        return Ok(0);
    }
    let v: Option<i64> = client
        .query_one("SELECT max(version) FROM schema_version", &[])?
        .get(0);
    Ok(v.unwrap_or(0))
}

fn trainee(r: &Row) -> Trainee {
    Trainee {
        employee_id: r.get(0),
        name: r.get(1),
        cohort: r.get(2),
        created: r.get(3),
    }
}

/// Inserts (and seals) one session, unless its registration is stored already.
fn insert(
    tx: &mut Transaction<'_>,
    s: &NewSession<'_>,
    bot: bool,
    key: Option<&SealKey>,
) -> Result<i64, ProfileError> {
    let eid = lookup_id(s.employee_id);
    // The trainee's row lock: one writer per trainee at a time (seal chain, stored once).
    let head = tx.query_opt(
        "SELECT head_mac FROM trainees WHERE employee_id = $1 FOR UPDATE",
        &[&eid],
    )?;
    let Some(head) = head else {
        return Err(ProfileError::UnknownTrainee(s.employee_id.to_owned()));
    };
    let registration = s.registration().to_string();
    if let Some(r) = tx.query_opt(
        "SELECT id FROM sessions WHERE registration = $1",
        &[&registration],
    )? {
        return Ok(r.get(0));
    }
    let card = s.card;
    let row = tx.query_one(
        "INSERT INTO sessions (employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, \
         started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores, registration, bot) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
        &[
            &eid,
            &s.log.scenario,
            &s.log.scenario_hash,
            &s.log.rulebook_hash,
            &(s.log.seed as i64),
            &s.mode.as_str(),
            &s.started_unix,
            &s.finished_unix,
            &card.outcome.as_str(),
            &card.ending,
            &i64::from(card.grade),
            &i64::from(card.passed),
            &(card.critical_count() as i64),
            &i64::from(card.minutes),
            &scores_json(card),
            &registration,
            &i64::from(bot),
        ],
    )?;
    let id: i64 = row.get(0);
    let st = tx.prepare("INSERT INTO choices (session_id, turn, choice_id) VALUES ($1, $2, $3)")?;
    for (i, c) in s.log.choices.iter().enumerate() {
        tx.execute(&st, &[&id, &(i as i64 + 1), c])?;
    }
    if let Some(key) = key {
        let prev: String = head.get::<_, Option<String>>(0).unwrap_or_default();
        let m = seal::mac(key, &prev, &content(tx, id)?);
        tx.execute(
            "UPDATE sessions SET mac = $1, prev_mac = $2 WHERE id = $3",
            &[&m, &prev, &id],
        )?;
        tx.execute(
            "UPDATE trainees SET head_mac = $1 WHERE employee_id = $2",
            &[&m, &eid],
        )?;
    }
    Ok(id)
}

/// A session's content as the seal signs it: the same SQL text as SQLite's, with `$1`.
fn content(
    client: &mut impl postgres::GenericClient,
    id: i64,
) -> Result<Vec<String>, ProfileError> {
    let sql = seal::CONTENT_SQL.replace("?1", "$1");
    let row = client.query_one(&sql, &[&id])?;
    let mut fields: Vec<String> = (0..17)
        .map(|i| row.get::<_, Option<String>>(i).unwrap_or_default())
        .collect();
    let choices: Vec<String> = client
        .query(
            "SELECT CAST(turn AS TEXT), choice_id FROM choices WHERE session_id = $1 ORDER BY turn",
            &[&id],
        )?
        .iter()
        .map(|r| format!("{}={}", r.get::<_, String>(0), r.get::<_, String>(1)))
        .collect();
    fields.push(choices.join("\u{1f}"));
    Ok(fields)
}

/// Rows of [`SESSION_COLUMNS`] parsed; with `keep`, only those trainees' (sharing their ids).
/// Rows that cannot be read back are returned apart (id, why).
fn parse_rows(
    rows: &[Row],
    keep: Option<&HashMap<&str, Arc<str>>>,
) -> (Vec<StoredSession>, Vec<(i64, String)>) {
    let (mut chunk, mut shared) = (Chunk::default(), Interner::default());
    for r in rows {
        let eid: &str = r.get(1);
        let employee_id = match keep {
            Some(k) => match k.get(eid) {
                Some(e) => e.clone(),
                None => continue,
            },
            None => shared.get(eid),
        };
        let text = |col: usize, shared: &mut Interner| shared.get(r.get::<_, &str>(col));
        let start = chunk.text.len();
        chunk.text.push_str(r.get::<_, &str>(15));
        let mode: &str = r.get(6);
        let outcome: &str = r.get(9);
        chunk.rows.push(RawSession {
            id: r.get(0),
            employee_id,
            scenario: text(2, &mut shared),
            scenario_hash: text(3, &mut shared),
            rulebook_hash: text(4, &mut shared),
            seed: r.get(5),
            mode: Mode::parse(mode).ok_or_else(|| mode.to_owned()),
            started: r.get(7),
            finished: r.get(8),
            outcome: Outcome::parse(outcome).ok_or_else(|| outcome.to_owned()),
            ending: r.get::<_, Option<&str>>(10).map(|e| shared.get(e)),
            grade: r.get(11),
            passed: r.get::<_, i64>(12) != 0,
            critical: r.get(13),
            minutes: r.get(14),
            scores: start..chunk.text.len(),
            registration: r.get(16),
            bot: r.get::<_, i64>(17) != 0,
        });
    }
    let (mut out, mut bad) = (Vec::with_capacity(chunk.rows.len()), Vec::new());
    chunk.parse_into(&mut out, &mut shared, &mut bad);
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_recognised_and_shown_without_the_password() {
        assert!(is_url("postgres://hr:secret@10.0.0.5/care"));
        assert!(is_url("postgresql://localhost/care"));
        assert!(!is_url("/var/lib/care/profiles.sqlite3"));
        assert_eq!(
            redact("postgres://hr:secret@10.0.0.5/care"),
            "postgres://hr@10.0.0.5/care"
        );
        assert_eq!(
            redact("postgres://localhost/care"),
            "postgres://localhost/care"
        );
    }

    #[test]
    fn the_sqlite_schema_reads_as_postgresql() {
        let v1 = for_postgres(super::super::schema::V1);
        assert!(v1.contains("id            BIGSERIAL PRIMARY KEY"));
        assert!(!v1.contains("INTEGER"));
    }
}
