//! The profile store: round trips, migrations, bad files, crash safety, concurrent writers,
//! mastery and recommendations.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use care_trainer::explore::{Policy, play};
use care_trainer::profile::{
    self, CURRENT_VERSION, Level, Mode, NewSession, ProfileError, Store, StoredSession,
};
use care_trainer::scenario::Curriculum;
use care_trainer::scoring::{ChoiceLog, Scorecard};

use crate::support::curriculum;

/// A bot session of a shipped scenario, with its log.
fn session(cur: &Curriculum, scenario: &str, seed: u64, policy: Policy) -> (ChoiceLog, Scorecard) {
    let sc = cur.scenario(scenario).expect("scenario").clone();
    let card = play(sc, cur.rulebook.clone(), seed, policy);
    let log = card.choice_log();
    (log, card)
}

fn record(store: &Store, who: &str, log: &ChoiceLog, card: &Scorecard, finished: i64) -> i64 {
    store
        .record(&NewSession {
            employee_id: who,
            mode: Mode::Assessment,
            log,
            card,
            started_unix: finished - 600,
            finished_unix: finished,
            registration: None,
        })
        .expect("recorded")
}

#[test]
fn store_round_trip_keeps_trainees_sessions_scores_and_choice_logs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/folder/profiles.sqlite3");
    let cur = curriculum();
    let store = Store::open_default(&path).expect("created with its folder");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    store
        .add_trainee_at("NV001", "Trần Thị Bích", Some("K1-2026"), 1_000)
        .expect("added");
    store
        .add_trainee_at("NV002", "Lê Văn C", None, 2_000)
        .expect("added");
    let (log, card) = session(&cur, "th1_hai_long_ca_nhan", 7, Policy::Best);
    let id = record(&store, "NV001", &log, &card, 1_700_000_000);
    drop(store);

    let store = Store::open(&path).expect("reopened");
    let trainees = store.trainees().expect("trainees");
    assert_eq!(trainees.len(), 2);
    assert_eq!(trainees[0].employee_id, "NV001");
    assert_eq!(trainees[0].name, "Trần Thị Bích");
    assert_eq!(trainees[0].cohort.as_deref(), Some("K1-2026"));
    assert_eq!(trainees[0].created, 1_000);
    assert_eq!(trainees[1].cohort, None);
    let sessions = store.sessions_of("NV001").expect("sessions");
    assert_eq!(sessions.len(), 1);
    let s = &sessions[0];
    assert_eq!(s.id, id);
    assert_eq!(&*s.scenario, "th1_hai_long_ca_nhan");
    assert_eq!(*s.scenario_hash, *card.scenario_hash);
    assert_eq!(*s.rulebook_hash, *card.rulebook_hash);
    assert_eq!(s.seed, 7);
    assert_eq!(s.mode, Mode::Assessment);
    assert_eq!(
        (s.started, s.finished),
        (1_700_000_000 - 600, 1_700_000_000)
    );
    assert_eq!(s.grade, card.grade);
    assert_eq!(s.passed, card.passed);
    assert_eq!(s.outcome, card.outcome);
    assert_eq!(s.ending.as_deref(), card.ending.as_deref());
    assert_eq!(s.critical as usize, card.critical_count());
    assert_eq!(s.minutes, card.minutes);
    for c in &card.commitments {
        assert_eq!(s.percent(&c.id), c.percent, "{}", c.id);
    }
    assert_eq!(s.registration.len(), 36, "a UUID: {}", s.registration);
    assert_eq!(store.choice_log(id).expect("log"), log);
    assert!(store.sessions_of("NV002").expect("none").is_empty());
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn a_session_for_an_unknown_trainee_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("p.db")).expect("open");
    let cur = curriculum();
    let (log, card) = session(&cur, "th1_hai_long_ca_nhan", 1, Policy::Random);
    let err = store
        .record(&NewSession {
            employee_id: "NV404",
            mode: Mode::Practice,
            log: &log,
            card: &card,
            started_unix: 0,
            finished_unix: 1,
            registration: None,
        })
        .expect_err("unknown trainee");
    assert!(
        matches!(err, ProfileError::UnknownTrainee(ref id) if id == "NV404"),
        "{err}"
    );
    assert_eq!(store.session_count().expect("count"), 0);
}

#[test]
fn duplicate_employee_id_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("p.db")).expect("open");
    store.add_trainee_at("NV001", "A", None, 0).expect("first");
    let err = store
        .add_trainee_at("NV001", "B", None, 0)
        .expect_err("duplicate");
    assert!(matches!(err, ProfileError::DuplicateTrainee(ref id) if id == "NV001"));
    assert!(err.to_string().contains("NV001"), "{err}");
    assert_eq!(
        store.trainees().expect("list")[0].name,
        "A",
        "the first one is kept"
    );
    assert!(matches!(
        store.add_trainee_at("  ", "B", None, 0),
        Err(ProfileError::Empty(_))
    ));
}

#[test]
fn awkward_names_are_stored_exactly_as_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("p.db")).expect("open");
    let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Ha\u{300}"; // "Nguyễn Thị Hà" decomposed
    let long: String = "Ă".repeat(10_000);
    let names = [
        "O'Brien \"Bob\"",
        "<script>alert('x')</script>",
        "=HYPERLINK(\"http://x\",\"y\")",
        nfd,
        long.as_str(),
    ];
    for (i, n) in names.iter().enumerate() {
        store
            .add_trainee_at(&format!("NV{i}"), n, Some("-cohort"), 0)
            .expect("added");
    }
    let stored = store.trainees().expect("list");
    for (i, n) in names.iter().enumerate() {
        assert_eq!(stored[i].name, *n, "byte-for-byte");
    }
    assert_ne!(
        stored[3].name, "Nguyễn Thị Hà",
        "stored as given, not normalised"
    );
    assert_eq!(
        care_trainer::text::display_name(&stored[3].name),
        "Nguyễn Thị Hà",
        "NFC for display"
    );
    assert_eq!(stored[4].name.chars().count(), 10_000);
}

#[test]
fn a_non_sqlite_file_is_an_error_naming_it_and_is_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in [
        ("notes.txt", b"employee,grade\nNV001,90\n".to_vec()),
        ("damaged.db", {
            let mut b = b"SQLite format 3\0".to_vec();
            b.extend(std::iter::repeat_n(0xAB_u8, 8192));
            b
        }),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write");
        let err = Store::open(&path).expect_err("not a database");
        assert!(
            matches!(err, ProfileError::NotADatabase { .. }),
            "{name}: {err}"
        );
        assert!(err.to_string().contains(name), "names the file: {err}");
        assert_eq!(
            std::fs::read(&path).expect("read"),
            bytes,
            "{name} untouched"
        );
        let siblings: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(name) && n != name)
            .collect();
        assert!(siblings.is_empty(), "no -wal/-shm left: {siblings:?}");
    }
}

#[test]
fn a_foreign_sqlite_database_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .expect("create");
    drop(conn);
    let err = Store::open(&path).expect_err("not ours");
    assert!(matches!(err, ProfileError::NotADatabase { .. }), "{err}");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .expect("count");
    assert_eq!(tables, 1, "nothing was added to it");
}

#[test]
fn a_database_from_a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("p.db");
    drop(Store::open(&path).expect("create"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute(
        "UPDATE schema_version SET version = ?1",
        [CURRENT_VERSION + 5],
    )
    .expect("bump");
    drop(conn);
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(&path).expect_err("newer");
    match &err {
        ProfileError::NewerSchema {
            found, supported, ..
        } => {
            assert_eq!((*found, *supported), (CURRENT_VERSION + 5, CURRENT_VERSION));
        }
        other => panic!("wrong error: {other}"),
    }
    assert!(err.to_string().contains("p.db"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

/// The first released schema, frozen here as shipped: a test that it still migrates.
const SCHEMA_V1: &str = "
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE trainees (employee_id TEXT PRIMARY KEY, name TEXT NOT NULL, cohort TEXT, created_unix BIGINT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, employee_id TEXT NOT NULL REFERENCES trainees (employee_id),
    scenario_id TEXT NOT NULL, scenario_hash TEXT NOT NULL, rulebook_hash TEXT NOT NULL, seed BIGINT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')), started_unix BIGINT NOT NULL,
    finished_unix BIGINT NOT NULL, outcome TEXT NOT NULL, ending TEXT, grade INTEGER NOT NULL,
    passed INTEGER NOT NULL, critical INTEGER NOT NULL, minutes INTEGER NOT NULL, scores TEXT NOT NULL);
CREATE TABLE choices (session_id INTEGER NOT NULL REFERENCES sessions (id), turn INTEGER NOT NULL,
    choice_id TEXT NOT NULL, PRIMARY KEY (session_id, turn));
CREATE INDEX sessions_by_trainee ON sessions (employee_id, finished_unix);
INSERT INTO schema_version (version) VALUES (1);
";

#[test]
fn migrates_a_version_1_database_keeping_its_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("v1.db");
    let cur = curriculum();
    let (log, card) = session(&cur, "th2_da_biet_van_de", 3, Policy::Best);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch(SCHEMA_V1).expect("v1 schema");
    conn.execute(
        "INSERT INTO trainees VALUES ('NV9', 'Phạm Minh', 'K0', 5)",
        [],
    )
    .expect("trainee");
    let scores = serde_json::Value::Array(
        card.commitments
            .iter()
            .map(|c| serde_json::json!({"id": c.id, "earned": c.earned, "best": c.best, "percent": c.percent}))
            .collect(),
    )
    .to_string();
    conn.execute(
        "INSERT INTO sessions (id, employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, \
         started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores) \
         VALUES (41, 'NV9', ?1, ?2, ?3, 3, 'practice', 100, 200, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![
            log.scenario,
            log.scenario_hash,
            log.rulebook_hash,
            card.outcome.as_str(),
            card.ending,
            card.grade,
            card.passed,
            card.critical_count() as i64,
            card.minutes,
            scores
        ],
    )
    .expect("session");
    for (i, c) in log.choices.iter().enumerate() {
        conn.execute(
            "INSERT INTO choices VALUES (41, ?1, ?2)",
            rusqlite::params![i as i64 + 1, c],
        )
        .expect("choice");
    }
    drop(conn);

    let store = Store::open(&path).expect("migrated");
    assert_eq!(store.schema_version().expect("version"), CURRENT_VERSION);
    let s = store.sessions_of("NV9").expect("sessions");
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].id, 41);
    assert_eq!(s[0].grade, card.grade);
    assert_eq!(s[0].mode, Mode::Practice);
    assert_eq!(s[0].registration.len(), 36, "registration filled in");
    assert_eq!(store.choice_log(41).expect("log"), log);
    // The migrated store takes new sessions and reports verify clean.
    let id = record(&store, "NV9", &log, &card, 300);
    assert!(id > 41);
    let stored: Vec<_> = store
        .sessions_of("NV9")
        .expect("sessions")
        .into_iter()
        .map(|s| {
            let l = store.choice_log(s.id).expect("log");
            (s, l)
        })
        .collect();
    assert!(care_trainer::report::verify(&cur, &stored).is_empty());
    drop(store);
    assert_eq!(
        Store::open(&path)
            .expect("reopen")
            .schema_version()
            .expect("v"),
        CURRENT_VERSION,
        "opening again is a no-op"
    );
}

#[test]
fn default_db_path_prefers_the_flag() {
    let flag = Path::new("/tmp/x.db");
    assert_eq!(profile::default_db_path(Some(flag)), flag);
    // Without a flag: CARE_TRAINER_DB or the OS data directory; either way a .sqlite3/.db file.
    let p = profile::default_db_path(None);
    match std::env::var_os("CARE_TRAINER_DB").filter(|v| !v.is_empty()) {
        Some(env) => assert_eq!(p, Path::new(&env)),
        None => {
            assert_eq!(
                p.file_name().and_then(|n| n.to_str()),
                Some("profiles.sqlite3")
            );
            assert!(
                p.to_string_lossy().contains("care-trainer"),
                "{}",
                p.display()
            );
        }
    }
}

fn stored(grades: &[(u64, Option<u32>)], scenario: &str) -> Vec<StoredSession> {
    grades
        .iter()
        .enumerate()
        .map(|(i, &(finished, p))| StoredSession {
            id: i as i64 + 1,
            employee_id: "NV1".into(),
            scenario: scenario.into(),
            scenario_hash: "".into(),
            rulebook_hash: "".into(),
            seed: 0,
            mode: Mode::Practice,
            bot: false,
            started: 0,
            finished: finished as i64,
            outcome: care_trainer::scenario::model::Outcome::Resolved,
            ending: None,
            grade: 0,
            passed: false,
            critical: 0,
            minutes: 0,
            commitments: (1..=8)
                .map(|k| profile::StoredScore {
                    id: format!("CK{k}").into(),
                    earned: 0,
                    best: 1,
                    percent: if k == 1 { p } else { Some(100) },
                })
                .collect(),
            registration: String::new(),
        })
        .collect()
}

#[test]
fn mastery_weighs_recent_sessions_more_and_levels_follow_the_marks() {
    let cur = curriculum();
    let rb = &cur.rulebook;
    let improving = profile::mastery(&stored(&[(1, Some(0)), (2, Some(100))], "x"), rb);
    let declining = profile::mastery(&stored(&[(1, Some(100)), (2, Some(0))], "x"), rb);
    assert!(improving[0].value > 50.0 && declining[0].value < 50.0);
    assert!((improving[0].value + declining[0].value - 100.0).abs() < 1e-9);
    // Order of the slice does not matter: finish times do.
    let shuffled = profile::mastery(&stored(&[(2, Some(100)), (1, Some(0))], "x"), rb);
    assert!((shuffled[0].value - improving[0].value).abs() < 1e-9);

    let two_perfect = profile::mastery(&stored(&[(1, Some(100)), (2, Some(100))], "x"), rb);
    assert_eq!(
        two_perfect[0].level,
        Level::Achieved,
        "one or two sessions are not mastery"
    );
    let three = profile::mastery(
        &stored(&[(1, Some(100)), (2, Some(90)), (3, Some(95))], "x"),
        rb,
    );
    assert_eq!(three[0].level, Level::Proficient);
    assert_eq!(three[0].sessions, 3);
    let low = profile::mastery(&stored(&[(1, Some(10))], "x"), rb);
    assert_eq!(low[0].level, Level::NotYet);
    let unscored = profile::mastery(&stored(&[(1, None)], "x"), rb);
    assert_eq!((unscored[0].sessions, unscored[0].value), (0, 0.0));
    assert_eq!(unscored[0].level, Level::NotYet);
    assert_eq!(Level::Proficient.label().vi, "thành thạo");
    assert_eq!(Level::NotYet.label().vi, "chưa đạt");
}

#[test]
fn recommendation_targets_the_weakest_commitment_not_yet_mastered() {
    let cur = curriculum();
    let rb = &cur.rulebook;
    let scenario = cur.scenarios[0].id.clone();
    // CK1 is weak (20), every other commitment proficient.
    let sessions = stored(&[(1, Some(20)), (2, Some(20)), (3, Some(20))], &scenario);
    let r = profile::recommend(&cur, &sessions, rb).expect("a recommendation");
    assert_eq!(r.commitment, "CK1");
    let sc = cur.scenario(&r.scenario).expect("a curriculum scenario");
    assert!(sc.commitment_max[0] > 0, "it trains CK1");
    assert_ne!(r.scenario, scenario, "an unplayed scenario is preferred");
    assert!(r.reason.vi.contains("CK1") && r.reason.en.contains("CK1"));
    // Everything proficient: nothing to recommend.
    let all = stored(&[(1, Some(100)), (2, Some(100)), (3, Some(100))], &scenario);
    assert_eq!(profile::recommend(&cur, &all, rb), None);
    // No history: something is still recommended.
    assert!(profile::recommend(&cur, &[], rb).is_some());
}

/// Environment of the child process of the crash and concurrency tests.
const CHILD_DB: &str = "CT_TEST_CHILD_DB";
const CHILD_WHO: &str = "CT_TEST_CHILD_WHO";
const CHILD_COUNT: &str = "CT_TEST_CHILD_COUNT";

/// Records sessions and prints `recorded ID GRADE` after each `record` returns. Run by itself it
/// records a few into a temporary store and checks them; the crash and concurrency tests run it
/// as a child process with `CT_TEST_CHILD_*` set.
#[test]
fn recording_child() {
    let (path, who, count, _dir) = match std::env::var_os(CHILD_DB) {
        Some(p) => (
            std::path::PathBuf::from(p),
            std::env::var(CHILD_WHO).expect("who"),
            std::env::var(CHILD_COUNT)
                .expect("count")
                .parse::<u64>()
                .expect("number"),
            None,
        ),
        None => {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("p.db");
            Store::open(&path)
                .expect("open")
                .add_trainee_at("NV1", "A", None, 0)
                .expect("add");
            (path, "NV1".to_owned(), 3, Some(dir))
        }
    };
    let cur = curriculum();
    let store = Store::open(&path).expect("open");
    let ids: Vec<String> = cur.scenarios.iter().map(|s| s.id.clone()).collect();
    let logs: Vec<(ChoiceLog, Scorecard)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| session(&cur, id, i as u64, Policy::Random))
        .collect();
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    for i in 0..count {
        let (log, card) = &logs[i as usize % logs.len()];
        let id = record(&store, &who, log, card, 1_700_000_000 + i as i64);
        writeln!(out, "recorded {id} {}", card.grade).expect("stdout");
        out.flush().expect("flush");
    }
    assert!(store.session_count().expect("count") >= count);
}

fn spawn_child(db: &Path, who: &str, count: u64) -> std::process::Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "profile::recording_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "-q",
        ])
        .env(CHILD_DB, db)
        .env(CHILD_WHO, who)
        .env(CHILD_COUNT, count.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("child starts")
}

fn recorded_line(line: &str) -> Option<(i64, u32)> {
    let at = line.find("recorded ")?;
    let mut it = line[at + "recorded ".len()..].split(' ');
    Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
}

#[test]
fn sigkill_while_recording_thousands_loses_no_returned_session() {
    use std::os::unix::process::ExitStatusExt as _;
    const KILL_AFTER: usize = 1_500;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("crash.db");
    Store::open(&db)
        .expect("open")
        .add_trainee_at("NV1", "Crash Test", None, 0)
        .expect("add");
    let mut child = spawn_child(&db, "NV1", 1_000_000);
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut returned = Vec::new();
    let mut line = String::new();
    while returned.len() < KILL_AFTER {
        line.clear();
        if reader.read_line(&mut line).expect("read") == 0 {
            break;
        }
        if let Some(r) = recorded_line(line.trim()) {
            returned.push(r);
        }
    }
    assert_eq!(
        returned.len(),
        KILL_AFTER,
        "the child recorded before it was killed"
    );
    child.kill().expect("SIGKILL");
    // Lines already written before the kill are sessions whose record call returned, too.
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(r) = recorded_line(line.trim()) {
            returned.push(r);
        }
    }
    let status = child.wait().expect("wait");
    assert_eq!(
        status.signal(),
        Some(9),
        "killed by SIGKILL, not finished: {status:?}"
    );

    let store = Store::open(&db).expect("reopens after the crash");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let count = store.session_count().expect("count");
    assert!(
        count == returned.len() as u64 || count == returned.len() as u64 + 1,
        "{count} stored, {} returned: at most the one in progress may be extra",
        returned.len()
    );
    for (id, grade) in &returned {
        let s = store.session(*id).expect("read").expect("still there");
        assert_eq!(s.grade, *grade, "session {id}");
        assert!(!store.choice_log(*id).expect("log").choices.is_empty());
    }
}

#[test]
fn two_processes_recording_at_once_both_succeed() {
    const EACH: u64 = 150;
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("shared.db");
    let store = Store::open(&db).expect("open");
    store.add_trainee_at("A", "A", None, 0).expect("add");
    store.add_trainee_at("B", "B", None, 0).expect("add");
    let a = spawn_child(&db, "A", EACH);
    let b = spawn_child(&db, "B", EACH);
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    assert!(
        a.status.success() && b.status.success(),
        "{:?} {:?}",
        a.status,
        b.status
    );
    for out in [&a, &b] {
        let n = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(recorded_line)
            .count();
        assert_eq!(n as u64, EACH);
    }
    assert_eq!(store.sessions_of("A").expect("a").len() as u64, EACH);
    assert_eq!(store.sessions_of("B").expect("b").len() as u64, EACH);
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn one_store_is_shared_by_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("p.db")).expect("open");
    store.add_trainee_at("NV1", "A", None, 0).expect("add");
    let cur = curriculum();
    let (log, card) = session(&cur, "th1_hai_long_ca_nhan", 2, Policy::Random);
    let store_ref = &store;
    std::thread::scope(|s| {
        for t in 0..2 {
            let (log, card) = (&log, &card);
            s.spawn(move || {
                for i in 0..20 {
                    record(store_ref, "NV1", log, card, t * 100 + i);
                }
            });
        }
    });
    assert_eq!(store.sessions_of("NV1").expect("sessions").len(), 40);
}
