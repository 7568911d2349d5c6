//! Tamper evidence: each stored session carries a MAC (keyed BLAKE3) over its content and the
//! MAC of the trainee's previous session, keyed by a secret kept outside the database (a 0600
//! key file beside it, created on first write). `report --verify` walks each trainee's chain and
//! names what was done to it: a session deleted, moved to another trainee, edited, copied or
//! reordered, or left without its trainee.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _, params};

use super::ProfileError;

/// The secret behind the MACs.
#[derive(Clone)]
pub struct SealKey([u8; 32]);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    /// A fingerprint of the key (a hash: it does not reveal the key).
    pub fn fingerprint(&self) -> String {
        blake3::hash(&self.0).to_hex()[..16].to_owned()
    }
}

/// The key file of a database: `FILE.key` beside it.
pub fn key_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

fn parse_key(text: &str) -> Option<SealKey> {
    let hex = text.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut k = [0u8; 32];
    for (i, b) in k.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(SealKey(k))
}

/// Reads the key of a database, if its key file exists and is well formed.
pub fn load(db: &Path) -> Option<SealKey> {
    load_file(&key_path(db))
}

/// Reads a key file, if it exists and is well formed.
pub fn load_file(path: &Path) -> Option<SealKey> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| parse_key(&t))
}

/// Reads the key, or creates it (readable by its owner only) when there is none.
pub fn load_or_create(db: &Path) -> Result<SealKey, ProfileError> {
    load_or_create_file(&key_path(db))
}

/// Reads a key file, or creates it (readable by its owner only) when there is none.
pub fn load_or_create_file(path: &Path) -> Result<SealKey, ProfileError> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let path = path.to_path_buf();
    if let Ok(text) = std::fs::read_to_string(&path) {
        return parse_key(&text).ok_or_else(|| ProfileError::NotADatabase {
            path: path.clone(),
            reason: "the key file is not 64 hexadecimal digits".into(),
        });
    }
    let key: [u8; 32] = rand::random();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|source| ProfileError::Folder {
            path: path.clone(),
            source,
        })?;
    f.write_all(hex.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|source| ProfileError::Folder { path, source })?;
    Ok(SealKey(key))
}

/// A session's content as stored, in one canonical text (the same SQL writes and checks it).
pub(super) const CONTENT_SQL: &str = "SELECT employee_id, scenario_id, scenario_hash, rulebook_hash, \
     CAST(seed AS TEXT), mode, CAST(started_unix AS TEXT), CAST(finished_unix AS TEXT), outcome, \
     COALESCE(ending, ''), CAST(grade AS TEXT), CAST(passed AS TEXT), CAST(critical AS TEXT), \
     CAST(minutes AS TEXT), scores, COALESCE(registration, ''), CAST(bot AS TEXT) \
     FROM sessions WHERE id = ?1";

fn content(conn: &Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut fields: Vec<String> = conn.query_row(CONTENT_SQL, [id], |r| {
        (0..17)
            .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
            .collect()
    })?;
    let mut st = conn.prepare_cached(
        "SELECT CAST(turn AS TEXT), choice_id FROM choices WHERE session_id = ?1 ORDER BY turn",
    )?;
    let choices: Vec<String> = st
        .query_map([id], |r| {
            Ok(format!(
                "{}={}",
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?
            ))
        })?
        .collect::<Result<_, _>>()?;
    fields.push(choices.join("\u{1f}"));
    Ok(fields)
}

pub(super) fn mac(key: &SealKey, prev: &str, fields: &[String]) -> String {
    let mut text = String::from(prev);
    for f in fields {
        text.push('\u{1d}');
        text.push_str(f);
    }
    blake3::keyed_hash(&key.0, text.as_bytes())
        .to_hex()
        .to_string()
}

/// Seals a session just inserted: its MAC chained to the trainee's previous one.
pub(crate) fn seal(
    tx: &rusqlite::Transaction<'_>,
    key: &SealKey,
    id: i64,
    employee_id: &str,
) -> Result<(), ProfileError> {
    let prev: String = tx
        .query_row(
            "SELECT head_mac FROM trainees WHERE employee_id = ?1",
            [employee_id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten()
        .unwrap_or_default();
    let m = mac(key, &prev, &content(tx, id)?);
    tx.execute(
        "UPDATE sessions SET mac = ?1, prev_mac = ?2 WHERE id = ?3",
        params![m, prev, id],
    )?;
    tx.execute(
        "UPDATE trainees SET head_mac = ?1 WHERE employee_id = ?2",
        params![m, employee_id],
    )?;
    Ok(())
}

/// What was done to a stored record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampering {
    /// The session (or 0 for a trainee's missing last sessions).
    pub session: i64,
    /// Whose chain.
    pub employee_id: String,
    /// `deleted`, `moved`, `edited`, `copied`, `reordered`, `orphan` or `registration`.
    pub kind: &'static str,
    /// In words.
    pub detail: String,
}

/// A stored session as the seal check reads it: id, employee id, MAC, previous MAC, registration.
pub(super) type Row = (i64, String, Option<String>, Option<String>, Option<String>);

/// Each trainee's newest seal, and every stored session's seal fields in id order.
fn read_chains(
    conn: &Connection,
) -> Result<(HashMap<String, Option<String>>, Vec<Row>), ProfileError> {
    let trainees: HashMap<String, Option<String>> = {
        let mut st = conn.prepare("SELECT employee_id, head_mac FROM trainees")?;
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let rows: Vec<Row> = {
        let mut st = conn.prepare(
            "SELECT id, CAST(employee_id AS TEXT), mac, prev_mac, registration FROM sessions ORDER BY id",
        )?;
        st.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?
    };
    Ok((trainees, rows))
}

/// Registrations that are not well-formed UUIDs, or are used twice.
fn bad_registrations(rows: &[Row]) -> Vec<Tampering> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (id, who, _, _, reg) in rows {
        let reg = reg.as_deref().unwrap_or("");
        let uuid = reg.len() == 36 && uuid::Uuid::parse_str(reg).is_ok();
        if !uuid || !seen.insert(reg.to_owned()) {
            out.push(Tampering {
                session: *id,
                employee_id: who.clone(),
                kind: "registration",
                detail: format!("registration `{reg}` is malformed or used twice"),
            });
        }
    }
    out
}

/// The other trainee a session was signed for, when its MAC matches under their name (moved).
fn moved_from<'a>(
    key: &SealKey,
    trainees: impl IntoIterator<Item = &'a String>,
    who: &str,
    prev: &str,
    fields: &[String],
    signed: &str,
) -> Option<&'a String> {
    trainees.into_iter().find(|other| {
        other.as_str() != who && {
            let mut f = fields.to_vec();
            f[0].clone_from(other);
            mac(key, prev, &f) == signed
        }
    })
}

/// Walks every trainee's chain. Sessions recorded before sealing (no MAC) are counted in
/// `unsigned`, not reported.
pub fn check(conn: &Connection, key: &SealKey) -> Result<(Vec<Tampering>, u64), ProfileError> {
    let (trainees, rows) = read_chains(conn)?;
    check_chains(&trainees, &rows, key, |id| Ok(content(conn, id)?))
}

/// [`check`] over rows read by any store: `content` gives a session's signed fields.
pub(super) fn check_chains(
    trainees: &HashMap<String, Option<String>>,
    rows: &[Row],
    key: &SealKey,
    mut content: impl FnMut(i64) -> Result<Vec<String>, ProfileError>,
) -> Result<(Vec<Tampering>, u64), ProfileError> {
    let mut out = Vec::new();
    let mut unsigned = 0;
    out.extend(bad_registrations(rows));
    let mut push = |session: i64, who: &str, kind: &'static str, detail: String| {
        out.push(Tampering {
            session,
            employee_id: who.to_owned(),
            kind,
            detail,
        });
    };
    let all_macs: HashMap<&str, i64> = rows
        .iter()
        .filter_map(|(id, _, m, _, _)| m.as_deref().map(|m| (m, *id)))
        .collect();
    let mut seen_macs: HashSet<&str> = HashSet::new();
    let mut chains: HashMap<&str, Vec<&Row>> = HashMap::new();
    for r in rows {
        chains.entry(r.1.as_str()).or_default().push(r);
    }
    let mut names: Vec<&str> = chains.keys().copied().collect();
    names.sort_unstable();
    for who in names {
        let chain = &chains[who];
        if !trainees.contains_key(who) {
            for r in chain {
                push(
                    r.0,
                    who,
                    "orphan",
                    format!("session {} belongs to no trainee `{who}`", r.0),
                );
            }
            continue;
        }
        let mut expected_prev = String::new();
        for r in chain {
            let (id, _, m, prev, _) = r;
            let Some(m) = m.as_deref() else {
                unsigned += 1;
                continue;
            };
            let prev = prev.as_deref().unwrap_or("");
            let fields = content(*id)?;
            if mac(key, prev, &fields) != m {
                // Signed under another trainee's name: moved here.
                match moved_from(key, trainees.keys(), who, prev, &fields, m) {
                    Some(from) => push(
                        *id,
                        who,
                        "moved",
                        format!("session {id} was recorded for `{from}` and moved to `{who}`"),
                    ),
                    None => push(
                        *id,
                        who,
                        "edited",
                        format!("session {id} was edited after it was recorded"),
                    ),
                }
            } else if !seen_macs.insert(m) {
                push(
                    *id,
                    who,
                    "copied",
                    format!("session {id} is a copy of an earlier session"),
                );
                continue;
            } else if prev != expected_prev {
                match all_macs.get(prev) {
                    // Its predecessor comes later, or it started a chain that now has a session
                    // before it: the order was changed.
                    Some(&p) if p > *id => push(
                        *id,
                        who,
                        "reordered",
                        format!("session {id} comes before the session it was recorded after"),
                    ),
                    None if prev.is_empty() => push(
                        *id,
                        who,
                        "reordered",
                        format!("session {id} was the first of `{who}` but now comes later"),
                    ),
                    // Its predecessor was moved to another trainee (reported there as moved).
                    Some(_) => {}
                    None => push(
                        *id,
                        who,
                        "deleted",
                        format!("a session recorded before session {id} is missing"),
                    ),
                }
            }
            expected_prev = m.to_owned();
        }
        let head = trainees.get(who).cloned().flatten().unwrap_or_default();
        // The trainee's newest seal is neither the chain's end nor any session's: cut off.
        if !head.is_empty() && head != expected_prev && !all_macs.contains_key(head.as_str()) {
            push(
                0,
                who,
                "deleted",
                format!("the last session(s) of `{who}` are missing"),
            );
        }
    }
    Ok((out, unsigned))
}
