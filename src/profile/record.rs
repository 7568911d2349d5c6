//! Writing: one session inserted (and sealed), and the employee ids as stored.

use super::*;

pub(super) fn insert_session(
    tx: &rusqlite::Transaction<'_>,
    s: &NewSession<'_>,
    bot: bool,
    key: Option<&seal::SealKey>,
) -> Result<i64, ProfileError> {
    let eid = lookup_id(s.employee_id);
    let known = tx
        .query_row(
            "SELECT 1 FROM trainees WHERE employee_id = ?1",
            [&eid],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !known {
        return Err(ProfileError::UnknownTrainee(s.employee_id.to_owned()));
    }
    let registration = s.registration().to_string();
    if let Some(id) = tx
        .query_row(
            "SELECT id FROM sessions WHERE registration = ?1",
            [&registration],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let card = s.card;
    tx.execute(
        "INSERT INTO sessions (employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, \
         started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores, registration, bot) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            eid,
            s.log.scenario,
            s.log.scenario_hash,
            s.log.rulebook_hash,
            s.log.seed as i64,
            s.mode.as_str(),
            s.started_unix,
            s.finished_unix,
            card.outcome.as_str(),
            card.ending,
            card.grade,
            card.passed,
            card.critical_count() as i64,
            card.minutes,
            scores_json(card),
            registration,
            bot,
        ],
    )?;
    let id = tx.last_insert_rowid();
    let mut st =
        tx.prepare_cached("INSERT INTO choices (session_id, turn, choice_id) VALUES (?1, ?2, ?3)")?;
    for (i, c) in s.log.choices.iter().enumerate() {
        st.execute(params![id, i as i64 + 1, c])?;
    }
    if let Some(key) = key {
        seal::seal(tx, key, id, &eid)?;
    }
    Ok(id)
}

/// Longest employee id, in characters.
pub const MAX_EMPLOYEE_ID: usize = 32;

/// An employee id as stored: trimmed, NFKC-normalised (full-width `ＮＶ1` is `NV1`), ASCII letters
/// upper-cased, and only `A–Z`, `0–9`, `-`, `_`, `.`; so ` nv1`, `NV1` and `ＮＶ1` are one trainee.
pub fn employee_id(raw: &str) -> Result<String, ProfileError> {
    use unicode_normalization::UnicodeNormalization as _;
    let id: String = raw.trim().nfkc().collect::<String>().to_ascii_uppercase();
    if id.is_empty() {
        return Err(ProfileError::Empty("the employee id"));
    }
    let ok = id.chars().count() <= MAX_EMPLOYEE_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !ok {
        return Err(ProfileError::InvalidEmployeeId(
            raw.chars().flat_map(char::escape_debug).collect(),
        ));
    }
    Ok(id)
}

/// The id to look a trainee up by: normalised, or as typed (trimmed) when it cannot be an id,
/// which then matches nobody.
pub(super) fn lookup_id(raw: &str) -> String {
    employee_id(raw).unwrap_or_else(|_| raw.trim().to_owned())
}
