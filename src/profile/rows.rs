//! Reading stored rows back: the columns, shared ids, chunks parsed beside the reader, the
//! per-commitment scores JSON, and the order reports want.

use super::*;

/// Orders sessions by trainee, then finish time, then id. Sorts indices, not the (large)
/// sessions themselves, and returns at once when they are already in order.
pub(super) fn by_trainee_and_time(sessions: Vec<StoredSession>) -> Vec<StoredSession> {
    pub(super) fn key(s: &StoredSession) -> (&str, i64, i64) {
        (&*s.employee_id, s.finished, s.id)
    }
    if sessions.is_sorted_by(|a, b| key(a) <= key(b)) {
        return sessions;
    }
    let mut order: Vec<usize> = (0..sessions.len()).collect();
    order.sort_unstable_by(|&a, &b| key(&sessions[a]).cmp(&key(&sessions[b])));
    let mut slots: Vec<Option<StoredSession>> = sessions.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Columns read by [`raw_session`], in order.
pub(super) const SESSION_COLUMNS: &str = "id, employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, \
     started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores, registration, bot";

pub(super) fn trainee_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Trainee> {
    Ok(Trainee {
        employee_id: r.get(0)?,
        name: r.get(1)?,
        cohort: r.get(2)?,
        created: r.get(3)?,
    })
}

/// Shared copies of texts that repeat across sessions (scenario ids, hashes, endings,
/// commitment ids): one allocation per distinct text, not one per row.
#[derive(Default)]
pub(super) struct Interner(HashSet<Arc<str>>);

impl Interner {
    pub(super) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.0.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.0.insert(shared.clone());
        shared
    }

    /// [`Interner::get`] for a column whose value is usually the one of the row before (a
    /// rulebook hash): compared with `last` before any hashing.
    pub(super) fn get_like(&mut self, text: &str, last: &mut Option<Arc<str>>) -> Arc<str> {
        match last {
            Some(l) if **l == *text => l.clone(),
            _ => {
                let shared = self.get(text);
                *last = Some(shared.clone());
                shared
            }
        }
    }
}

/// A session row as stored, before its per-commitment scores are parsed.
pub(super) struct RawSession {
    pub(super) id: i64,
    pub(super) employee_id: Arc<str>,
    pub(super) scenario: Arc<str>,
    pub(super) scenario_hash: Arc<str>,
    pub(super) rulebook_hash: Arc<str>,
    pub(super) seed: i64,
    /// Parsed while reading (no copy); the text when unknown.
    pub(super) mode: Result<Mode, String>,
    pub(super) started: i64,
    pub(super) finished: i64,
    /// Parsed while reading; the text when unknown.
    pub(super) outcome: Result<Outcome, String>,
    pub(super) ending: Option<Arc<str>>,
    pub(super) grade: i64,
    pub(super) passed: bool,
    pub(super) critical: i64,
    pub(super) minutes: i64,
    /// Where the `scores` text is in its chunk's [`Chunk::text`].
    pub(super) scores: std::ops::Range<usize>,
    pub(super) registration: Option<String>,
    pub(super) bot: bool,
}

/// Rows read but not parsed yet; their `scores` texts share one buffer.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) rows: Vec<RawSession>,
    pub(super) text: String,
    /// Per column, the shared text of the row before.
    pub(super) last: [Option<Arc<str>>; 5],
}

/// Reads a text column through `parse` without copying it; keeps the text when it is unknown.
pub(super) fn parse_text<T>(
    r: &rusqlite::Row<'_>,
    col: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Result<T, String>> {
    let text = r.get_ref(col)?.as_str()?;
    Ok(parse(text).ok_or_else(|| text.to_owned()))
}

impl Chunk {
    pub(super) fn with_capacity(rows: usize) -> Chunk {
        Chunk {
            rows: Vec::with_capacity(rows),
            text: String::with_capacity(rows * 256),
            last: Default::default(),
        }
    }

    /// Reads a row of [`SESSION_COLUMNS`]; `employee`, when given, is its (already shared)
    /// employee id.
    pub(super) fn push(
        &mut self,
        r: &rusqlite::Row<'_>,
        employee: Option<Arc<str>>,
        shared: &mut Interner,
    ) -> rusqlite::Result<()> {
        let last = &mut self.last;
        let mut text = |col: usize| -> rusqlite::Result<Arc<str>> {
            Ok(shared.get_like(r.get_ref(col)?.as_str()?, &mut last[col]))
        };
        let employee_id = match employee {
            Some(e) => e,
            None => text(1)?,
        };
        let (scenario, scenario_hash, rulebook_hash) = (text(2)?, text(3)?, text(4)?);
        let ending = r.get_ref(10)?.as_str_or_null()?.map(|e| shared.get(e));
        let scores = r.get_ref(15)?.as_str()?;
        let start = self.text.len();
        self.text.push_str(scores);
        self.rows.push(RawSession {
            id: r.get(0)?,
            employee_id,
            scenario,
            scenario_hash,
            rulebook_hash,
            seed: r.get(5)?,
            mode: parse_text(r, 6, Mode::parse)?,
            started: r.get(7)?,
            finished: r.get(8)?,
            outcome: parse_text(r, 9, Outcome::parse)?,
            ending,
            grade: r.get(11)?,
            passed: r.get(12)?,
            critical: r.get(13)?,
            minutes: r.get(14)?,
            scores: start..self.text.len(),
            registration: r.get(16)?,
            bot: r.get(17)?,
        });
        Ok(())
    }

    /// Parses every row onto `out`; `ids` shares the commitment ids. A row that cannot be read
    /// back goes to `bad` (id and reason) and the rest go on.
    pub(super) fn parse_into(
        self,
        out: &mut Vec<StoredSession>,
        ids: &mut Interner,
        bad: &mut Vec<(i64, String)>,
    ) {
        let Chunk { rows, text, .. } = self;
        out.reserve(rows.len());
        for raw in rows {
            let scores = text.get(raw.scores.clone()).unwrap_or_default();
            match raw.parse(scores, ids) {
                Ok(s) => out.push(s),
                Err(ProfileError::BadRow { session, reason }) => bad.push((session, reason)),
                Err(other) => bad.push((-1, other.to_string())),
            }
        }
    }
}

impl RawSession {
    pub(super) fn parse(
        self,
        scores: &str,
        ids: &mut Interner,
    ) -> Result<StoredSession, ProfileError> {
        let bad = |reason: String| ProfileError::BadRow {
            session: self.id,
            reason,
        };
        let mode = self.mode.map_err(|m| bad(format!("mode `{m}`")))?;
        let outcome = self.outcome.map_err(|o| bad(format!("outcome `{o}`")))?;
        let commitments = parse_scores(scores, ids).ok_or_else(|| bad("scores".into()))?;
        let num = |v: i64, what: &str| u32::try_from(v).map_err(|_| bad(format!("{what} {v}")));
        Ok(StoredSession {
            id: self.id,
            grade: num(self.grade, "grade")?,
            critical: num(self.critical, "critical")?,
            minutes: num(self.minutes, "minutes")?,
            employee_id: self.employee_id,
            scenario: self.scenario,
            scenario_hash: self.scenario_hash,
            rulebook_hash: self.rulebook_hash,
            seed: self.seed as u64,
            mode,
            started: self.started,
            finished: self.finished,
            outcome,
            ending: self.ending,
            passed: self.passed,
            commitments,
            registration: self.registration.unwrap_or_default(),
            bot: self.bot,
        })
    }
}

/// The per-commitment scores as stored: `[{"id","earned","best","percent"}]`.
pub(super) fn scores_json(card: &Scorecard) -> String {
    Value::Array(
        card.commitments
            .iter()
            .map(|c| json!({"id": c.id, "earned": c.earned, "best": c.best, "percent": c.percent}))
            .collect(),
    )
    .to_string()
}

/// One element of the stored `scores` column (the file format, kept apart from [`StoredScore`]).
#[derive(serde::Deserialize)]
pub(super) struct ScoreFile<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    earned: i32,
    best: i32,
    percent: Option<u32>,
}

/// Deserialises the `scores` array straight into [`StoredScore`]s (no intermediate vector),
/// sharing the commitment ids through an [`Interner`].
pub(super) struct ScoresSeed<'i>(&'i mut Interner);

impl<'de> serde::de::DeserializeSeed<'de> for ScoresSeed<'_> {
    type Value = Vec<StoredScore>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for ScoresSeed<'_> {
    type Value = Vec<StoredScore>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of per-commitment scores")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        while let Some(c) = seq.next_element::<ScoreFile<'de>>()? {
            out.push(StoredScore {
                id: self.0.get(&c.id),
                earned: c.earned,
                best: c.best,
                percent: c.percent,
            });
        }
        Ok(out)
    }
}

/// Parses the `scores` column; `ids` keeps one shared copy of each commitment id seen.
pub(super) fn parse_scores(text: &str, ids: &mut Interner) -> Option<Vec<StoredScore>> {
    use serde::de::DeserializeSeed as _;
    let mut de = serde_json::Deserializer::from_str(text);
    let scores = ScoresSeed(ids).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(scores)
}

impl SqliteStore {
    /// The trainees and sessions a filter selects.
    pub fn records(&self, filter: &Filter) -> Result<Records, ProfileError> {
        let mut trainees = self.trainees()?;
        trainees.retain(|t| filter.keeps(t));
        let sql = format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE finished_unix >= ?1");
        let conn = self.conn();
        let mut st = conn.prepare(&sql)?;
        let since = filter.since_unix.unwrap_or(i64::MIN);
        // The selected trainees, each id shared by all their sessions.
        let keep: HashMap<&str, Arc<str>> = trainees
            .iter()
            .map(|t| (t.employee_id.as_str(), Arc::from(t.employee_id.as_str())))
            .collect();
        // Sized once for a report over everyone; a cohort or one trainee grows as it goes.
        let expected = if filter.cohort.is_none() && filter.employee_id.is_none() {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM sessions WHERE finished_unix >= ?1",
                [since],
                |r| r.get(0),
            )?;
            usize::try_from(n).unwrap_or(0)
        } else {
            0
        };
        // Two threads: this one steps through SQLite (the slower part), the other parses the
        // per-commitment JSON beside it.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(CHUNKS_IN_FLIGHT);
        let sessions = std::thread::scope(|scope| {
            let parser = scope.spawn(move || {
                let mut out = Vec::with_capacity(expected);
                let mut ids = Interner::default();
                let mut bad = Vec::new();
                for chunk in rx {
                    chunk.parse_into(&mut out, &mut ids, &mut bad);
                }
                (out, bad)
            });
            let read = (|| {
                let mut rows = st.query([since])?;
                let mut shared = Interner::default();
                let mut chunk = Chunk::with_capacity(CHUNK_ROWS);
                let mut unreadable = Vec::new();
                while let Some(row) = rows.next()? {
                    // A value of the wrong type (an edited row) skips that row only.
                    let id: i64 = row.get(0).unwrap_or(-1);
                    let Ok(employee) = row.get_ref(1).and_then(|v| Ok(v.as_str()?)) else {
                        unreadable.push((id, "employee_id".to_owned()));
                        continue;
                    };
                    let Some(employee) = keep.get(employee) else {
                        continue;
                    };
                    if let Err(e) = chunk.push(row, Some(employee.clone()), &mut shared) {
                        unreadable.push((id, e.to_string()));
                        continue;
                    }
                    if chunk.rows.len() == CHUNK_ROWS {
                        let full = std::mem::replace(&mut chunk, Chunk::with_capacity(CHUNK_ROWS));
                        if tx.send(full).is_err() {
                            break;
                        }
                    }
                }
                let _ = tx.send(chunk);
                Ok::<_, ProfileError>(unreadable)
            })();
            drop(tx);
            let parsed = parser.join().map_err(|_| ProfileError::Worker)?;
            let unreadable = read?;
            Ok::<_, ProfileError>((parsed.0, parsed.1, unreadable))
        })?;
        let (sessions, mut skipped, unreadable) = sessions;
        skipped.extend(unreadable);
        skipped.sort_unstable();
        // A table scan in row order and a sort here: no index walk with a lookup per row.
        let sessions = by_trainee_and_time(sessions);
        Ok(Records {
            trainees,
            sessions,
            skipped,
        })
    }
}
