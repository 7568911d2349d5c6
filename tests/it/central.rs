//! One store test suite, run against both backends: the SQLite file and the central PostgreSQL
//! store. The same sessions recorded through either give byte-identical CSV reports; a session
//! recorded twice (same registration) is stored once; seals catch an edit in both.
//!
//! PostgreSQL comes from `CARE_TRAINER_TEST_PG` (a `postgres://` URL on 127.0.0.1); without it
//! these tests print SKIPPED, unless `CARE_TRAINER_PG=required` (CI), when that is a failure.
//! Each test works in its own schema. The outbox test also stops and starts the server
//! (`CARE_TRAINER_PG_CLUSTER`, e.g. `15 main` for `pg_ctlcluster`).

use std::path::Path;
use std::sync::Mutex;

use care_trainer::explore::{Policy, play};
use care_trainer::profile::{self, Filter, Mode, NewSession, ProfileError, Store};
use care_trainer::scenario::Curriculum;
use care_trainer::text::Lang;

use crate::support::curriculum;

/// PostgreSQL tests take turns: the outbox test stops the server.
static SERVER: Mutex<()> = Mutex::new(());

/// The test server's URL, or `None` (SKIPPED) when there is none and it is not required.
pub fn pg_url(test: &str) -> Option<String> {
    match std::env::var("CARE_TRAINER_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CARE_TRAINER_PG").as_deref() != Ok("required"),
                "{test}: CARE_TRAINER_PG=required but CARE_TRAINER_TEST_PG is not set"
            );
            println!("{test}: SKIPPED (no PostgreSQL: set CARE_TRAINER_TEST_PG=postgres://…)");
            None
        }
    }
}

/// The test server's URL and this test's turn at it (the outbox test stops the server), or
/// `None` (SKIPPED).
fn server(test: &str) -> Option<(String, std::sync::MutexGuard<'static, ()>)> {
    let url = pg_url(test)?;
    let turn = SERVER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Some((url, turn))
}

/// A schema name of its own for a test run.
fn schema(test: &str) -> String {
    format!(
        "t_{}_{}_{}",
        test,
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos())
    )
}

/// A fresh central store in its own schema.
fn central(url: &str, test: &str, dir: &Path) -> Store {
    Store::connect_in(url, Some(&schema(test)), &dir.join("central.key")).expect("central store")
}

/// Fixed sessions: (employee id, scenario, seed, policy, finished, registration).
fn plays() -> Vec<(&'static str, &'static str, u64, Policy, i64, u128)> {
    vec![
        (
            "NV001",
            "th1_hai_long_ca_nhan",
            1,
            Policy::Best,
            1_790_000_000,
            1,
        ),
        (
            "NV001",
            "th2_da_biet_van_de",
            2,
            Policy::Worst,
            1_790_003_600,
            2,
        ),
        (
            "NV002",
            "th3_bi_dong_2_gio",
            3,
            Policy::Random,
            1_790_007_200,
            3,
        ),
        (
            "NV003",
            "th1_hai_long_ca_nhan",
            4,
            Policy::Random,
            1_790_010_800,
            4,
        ),
        (
            "NV002",
            "th2_da_biet_van_de",
            5,
            Policy::Best,
            1_790_014_400,
            5,
        ),
    ]
}

/// Fills a store with the same trainees and sessions, whatever its backend.
fn fill(store: &Store, cur: &Curriculum) {
    store
        .add_trainee_at("NV001", "Trần Thị Bích", Some("K1-2026"), 1_000)
        .expect("add");
    store
        .add_trainee_at("nv002", "Lê Văn Cường", Some("K1-2026"), 2_000)
        .expect("add");
    store
        .add_trainee_at("NV003", "Phạm \"An\", =1+1", Some("K2-2026"), 3_000)
        .expect("add");
    assert!(matches!(
        store.add_trainee_at("ＮＶ001", "Khác", None, 4_000),
        Err(ProfileError::DuplicateTrainee(_))
    ));
    for (who, scenario, seed, policy, finished, reg) in plays() {
        let sc = cur.scenario(scenario).expect("scenario").clone();
        let card = play(sc, cur.rulebook.clone(), seed, policy);
        let log = card.choice_log();
        let session = NewSession {
            employee_id: who,
            mode: Mode::Assessment,
            log: &log,
            card: &card,
            started_unix: finished - 900,
            finished_unix: finished,
            registration: Some(uuid::Uuid::from_u128(reg)),
        };
        let id = store.record(&session).expect("recorded");
        // Sent again (an outbox retried): found, not stored twice.
        assert_eq!(store.record(&session).expect("recorded again"), id);
    }
}

fn csv(store: &Store, cur: &Curriculum, filter: &Filter) -> Vec<u8> {
    let records = store.records(filter).expect("records");
    assert!(records.skipped.is_empty(), "{:?}", records.skipped);
    let mut out = Vec::new();
    care_trainer::report::write_csv(&records, &cur.rulebook, Lang::Vi, &mut out).expect("csv");
    out
}

/// What every backend must do.
fn suite(store: &Store, cur: &Curriculum) {
    fill(store, cur);
    assert_eq!(store.session_count().expect("count"), plays().len() as u64);
    let trainees = store.trainees().expect("trainees");
    assert_eq!(
        trainees
            .iter()
            .map(|t| t.employee_id.as_str())
            .collect::<Vec<_>>(),
        ["NV001", "NV002", "NV003"]
    );
    let nv2 = store.sessions_of(" nv002").expect("sessions");
    assert_eq!(nv2.len(), 2);
    assert!(nv2[0].finished < nv2[1].finished);
    let log = store.choice_log(nv2[0].id).expect("log");
    let (_, card) = care_trainer::scoring::replay(
        cur.scenario(&log.scenario).expect("scenario").clone(),
        cur.rulebook.clone(),
        log.seed,
        &log.choices,
    )
    .expect("replays");
    assert_eq!(
        card.grade, nv2[0].grade,
        "the stored log re-scores to the stored grade"
    );
    let k1 = store
        .records(&Filter {
            cohort: Some("K1-2026".into()),
            ..Filter::default()
        })
        .expect("cohort");
    assert_eq!(k1.trainees.len(), 2);
    assert_eq!(k1.sessions.len(), 4);
    let recent = store
        .records(&Filter {
            since_unix: Some(1_790_007_200),
            ..Filter::default()
        })
        .expect("since");
    assert_eq!(recent.sessions.len(), 3);
    let mastery = profile::mastery(&store.sessions_of("NV001").expect("s"), &cur.rulebook);
    assert_eq!(mastery.len(), cur.rulebook.commitments.len());
    let (tampered, unsigned) = store.check_seals().expect("seals").expect("key");
    assert!(tampered.is_empty(), "{tampered:?}");
    assert_eq!(unsigned, 0);
    // An edited grade breaks the seal of that session.
    store
        .execute_sql(&format!(
            "UPDATE sessions SET grade = grade - 7 WHERE id = {}",
            nv2[1].id
        ))
        .expect("edit");
    let (tampered, _) = store.check_seals().expect("seals").expect("key");
    assert_eq!(
        tampered
            .iter()
            .map(|t| (t.session, t.kind))
            .collect::<Vec<_>>(),
        [(nv2[1].id, "edited")]
    );
}

#[test]
fn the_store_suite_passes_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("p.db")).expect("open");
    suite(&store, &curriculum());
}

#[test]
fn the_store_suite_passes_on_postgresql() {
    let Some((url, _turn)) = server("the_store_suite_passes_on_postgresql") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = central(&url, "suite", dir.path());
    assert_eq!(store.schema_version().expect("v"), profile::CURRENT_VERSION);
    suite(&store, &curriculum());
}

#[test]
fn both_backends_give_byte_identical_csv_reports() {
    let Some((url, _turn)) = server("both_backends_give_byte_identical_csv_reports") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let cur = curriculum();
    let sqlite = Store::open(&dir.path().join("p.db")).expect("open");
    let pg = central(&url, "csv", dir.path());
    fill(&sqlite, &cur);
    fill(&pg, &cur);
    for filter in [
        Filter::default(),
        Filter {
            cohort: Some("K2-2026".into()),
            ..Filter::default()
        },
    ] {
        let (a, b) = (csv(&sqlite, &cur, &filter), csv(&pg, &cur, &filter));
        assert!(a.len() > 200);
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    }
}

#[test]
fn an_unreachable_central_store_is_named_without_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Nothing listens on port 9 of loopback.
    let err = Store::connect_in(
        "postgres://care:s3cret@127.0.0.1:9/care",
        Some("x"),
        &dir.path().join("k"),
    )
    .expect_err("no server");
    assert!(err.is_unreachable(), "{err}");
    let text = err.to_string();
    assert!(text.contains("postgres://care@127.0.0.1:9/care"), "{text}");
    assert!(!text.contains("s3cret"), "{text}");
}

/// The binary with the central store's schema and key for this test.
fn care_trainer(schema: &str, dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_care-trainer"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(profile::pg::SCHEMA_ENV, schema)
        .env(profile::SEAL_KEY_ENV, dir.join("central.key"))
        .env_remove("CARE_TRAINER_DB");
    cmd
}

fn pg_ctl(cluster: &str, action: &str) {
    let mut args: Vec<&str> = cluster.split_whitespace().collect();
    args.push(action);
    let ok = std::process::Command::new("pg_ctlcluster")
        .args(&args)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "pg_ctlcluster {cluster} {action}");
}

/// The server is stopped in the middle of a `sim --record-as` run and started again: the
/// sessions it could not take wait in the outbox, `sync` sends them, and every session arrives
/// exactly once (sending again sends nothing).
#[test]
fn every_session_arrives_once_across_a_stopped_server() {
    let Some(url) = pg_url("every_session_arrives_once_across_a_stopped_server") else {
        return;
    };
    let Ok(cluster) = std::env::var("CARE_TRAINER_PG_CLUSTER") else {
        assert!(
            std::env::var("CARE_TRAINER_PG").as_deref() != Ok("required"),
            "CARE_TRAINER_PG=required but CARE_TRAINER_PG_CLUSTER (e.g. `15 main`) is not set"
        );
        println!(
            "every_session_arrives_once_across_a_stopped_server: SKIPPED (no CARE_TRAINER_PG_CLUSTER)"
        );
        return;
    };
    let _turn = SERVER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = schema("outbox");
    let outbox = dir.path().join("outbox.sqlite3");
    let out = care_trainer(&schema, dir.path())
        .args([
            "--db",
            &url,
            "trainee",
            "add",
            "NV9",
            "--name",
            "Hộp Thư",
            "--cohort",
            "K9",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let runs = 1500;
    let sim = care_trainer(&schema, dir.path())
        .args(["--db", &url, "--outbox"])
        .arg(&outbox)
        .args([
            "sim",
            "th1_hai_long_ca_nhan",
            "--runs",
            &runs.to_string(),
            "--policy",
            "random",
        ])
        .args(["--record-as", "NV9"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sim starts");
    let count = |store: &Store| store.session_count().unwrap_or(0);
    let watcher =
        Store::connect_in(&url, Some(&schema), &dir.path().join("central.key")).expect("c");
    let start = std::time::Instant::now();
    while count(&watcher) < 20 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "sim records nothing"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drop(watcher);
    pg_ctl(&cluster, "stop");
    let done = sim.wait_with_output().expect("sim ends");
    pg_ctl(&cluster, "start");
    let err = String::from_utf8_lossy(&done.stderr).into_owned();
    assert!(done.status.success(), "{err}");
    assert!(
        err.contains("wait in"),
        "some sessions waited in the outbox: {err}"
    );
    let waiting = profile::outbox::Outbox::open(&outbox)
        .expect("outbox")
        .waiting()
        .expect("n");
    assert!(waiting > 0 && waiting < runs, "{waiting}");
    // The server takes a moment to accept connections again.
    let start = std::time::Instant::now();
    let sync = loop {
        let o = care_trainer(&schema, dir.path())
            .args(["--db", &url, "--outbox"])
            .arg(&outbox)
            .arg("sync")
            .output()
            .expect("sync runs");
        if o.status.success() || start.elapsed() > std::time::Duration::from_secs(60) {
            break o;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    };
    assert!(
        sync.status.success(),
        "{}",
        String::from_utf8_lossy(&sync.stderr)
    );
    let store = Store::connect_in(&url, Some(&schema), &dir.path().join("central.key")).expect("c");
    assert_eq!(store.session_count().expect("count"), runs as u64);
    let regs: std::collections::HashSet<String> = store
        .records(&Filter::default())
        .expect("records")
        .sessions
        .into_iter()
        .map(|s| s.registration)
        .collect();
    assert_eq!(regs.len(), runs, "every session once");
    let (tampered, _) = store.check_seals().expect("seals").expect("key");
    assert!(tampered.is_empty(), "{tampered:?}");
    let again = care_trainer(&schema, dir.path())
        .args(["--db", &url, "--outbox"])
        .arg(&outbox)
        .arg("sync")
        .output()
        .expect("sync runs");
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("sent 0 sessions"));
    assert_eq!(store.session_count().expect("count"), runs as u64);
}

/// `report --format items`: one row per option of each choice point, with difficulty,
/// discrimination, shares and flags; a model answer every bot-free best session picks has p = 1.
#[test]
fn item_analysis_is_a_csv_of_every_choice_point() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let cur = curriculum();
    let store = Store::open(&db).expect("open");
    let sc = cur
        .scenario("th1_hai_long_ca_nhan")
        .expect("scenario")
        .clone();
    for i in 0..60u64 {
        let who = format!("NV{i:03}");
        store
            .add_trainee_at(&who, "Học Viên", Some("K1"), 1)
            .expect("add");
        let policy = if i % 2 == 0 {
            Policy::Best
        } else {
            Policy::Random
        };
        let card = play(sc.clone(), cur.rulebook.clone(), i, policy);
        let log = card.choice_log();
        store
            .record(&NewSession {
                employee_id: &who,
                mode: Mode::Assessment,
                log: &log,
                card: &card,
                started_unix: 1_790_000_000,
                finished_unix: 1_790_000_600,
                registration: None,
            })
            .expect("record");
    }
    drop(store);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_care-trainer"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "--db",
            db.to_str().expect("utf-8"),
            "report",
            "--format",
            "items",
            "--scenario",
            "th1_hai_long_ca_nhan",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut rows =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rows.headers().expect("headers").clone();
    assert_eq!(&headers[1], "node");
    assert_eq!(&headers[3], "difficulty_p");
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert!(rows.len() >= 6, "{text}");
    let first_point = &rows[0][1];
    // Everyone answers the opening: 60 responses, not provisional.
    let opening: Vec<_> = rows.iter().filter(|r| &r[1] == first_point).collect();
    assert!(
        opening.iter().all(|r| &r[2] == "60" && &r[10] == "0"),
        "{opening:?}"
    );
    let p: f64 = opening[0][3].parse().expect("p");
    assert!(
        (0.5..=1.0).contains(&p),
        "half the sessions play the model path: p = {p}"
    );
    let shares: f64 = opening
        .iter()
        .map(|r| r[8].parse::<f64>().expect("share"))
        .sum();
    assert!(
        (shares - 1.0).abs() < 0.01,
        "option shares add up to 1: {shares}"
    );
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_care-trainer"))
        .args([
            "--db",
            db.to_str().expect("utf-8"),
            "report",
            "--format",
            "items",
            "--scenario",
            "khong_co",
        ])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(1));
}

/// Dashboard accounts and browser sessions live in the central store too.
#[test]
fn accounts_work_on_the_central_store() {
    let Some((url, _turn)) = server("accounts_work_on_the_central_store") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = central(&url, "accounts", dir.path());
    use care_trainer::profile::accounts::Role;
    store
        .add_user(
            "hr.hcm",
            "mat-khau-du-dai-1",
            Role::Hr,
            &["K1".into(), "K2".into()],
            1,
        )
        .expect("add");
    assert!(
        store
            .check_password("hr.hcm", "sai-mat-khau-1")
            .expect("q")
            .is_none()
    );
    let user = store
        .check_password("hr.hcm", "mat-khau-du-dai-1")
        .expect("q")
        .expect("ok");
    assert_eq!(user.cohorts, ["K1", "K2"]);
    let (token, csrf) = store
        .open_web_session("hr.hcm", 1_000, 60)
        .expect("session");
    let (who, c) = store.web_session(&token, 1_030).expect("q").expect("live");
    assert_eq!((who.login.as_str(), c), ("hr.hcm", csrf));
    assert!(
        store.web_session(&token, 1_061).expect("q").is_none(),
        "expired"
    );
    assert!(store.remove_user("hr.hcm").expect("removed"));
    assert!(store.web_session(&token, 1_030).expect("q").is_none());
}

/// Many recorders at once (each with its own connection, as every onboarding room has): none of
/// their sessions is lost or doubled, and each trainee's seal chain stays whole.
#[test]
fn concurrent_recorders_lose_and_double_nothing() {
    let Some((url, _turn)) = server("concurrent_recorders_lose_and_double_nothing") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = schema("concurrent");
    let key = dir.path().join("central.key");
    let setup = Store::connect_in(&url, Some(&schema), &key).expect("central");
    let cur = curriculum();
    let sc = cur
        .scenario("th1_hai_long_ca_nhan")
        .expect("scenario")
        .clone();
    let card = play(sc, cur.rulebook.clone(), 3, Policy::Random);
    let (recorders, each) = (10usize, 20usize);
    for r in 0..recorders / 2 {
        setup
            .add_trainee_at(&format!("NV{r}"), "Đồng Thời", Some("K1"), 1)
            .expect("add");
    }
    std::thread::scope(|s| {
        for r in 0..recorders {
            let (url, schema, key, card) = (&url, &schema, &key, &card);
            s.spawn(move || {
                let store = Store::connect_in(url, Some(schema), key).expect("connect");
                let log = card.choice_log();
                // Two recorders per trainee: their sessions interleave in one seal chain.
                let who = format!("NV{}", r / 2);
                for i in 0..each {
                    let session = NewSession {
                        employee_id: &who,
                        mode: Mode::Practice,
                        log: &log,
                        card,
                        started_unix: i as i64,
                        finished_unix: i as i64 + 60,
                        registration: Some(uuid::Uuid::from_u128((r * 1000 + i) as u128 + 1)),
                    };
                    store.record(&session).expect("record");
                    // A retry of the same session (an answer lost on the way) stores nothing.
                    if i % 5 == 0 {
                        store.record(&session).expect("record again");
                    }
                }
            });
        }
    });
    assert_eq!(
        setup.session_count().expect("count"),
        (recorders * each) as u64
    );
    let (tampered, unsigned) = setup.check_seals().expect("seals").expect("key");
    assert!(tampered.is_empty(), "{tampered:?}");
    assert_eq!(unsigned, 0);
}

/// A PC whose seal key is not the central store's is stopped before it records: its seals
/// would all read as edited to HR's verification.
#[test]
fn a_pc_with_another_seal_key_may_not_record() {
    let Some((url, _turn)) = server("a_pc_with_another_seal_key_may_not_record") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let schema = schema("keys");
    let first =
        Store::connect_in(&url, Some(&schema), &dir.path().join("a.key")).expect("first PC");
    drop(first);
    assert!(
        Store::connect_in(&url, Some(&schema), &dir.path().join("a.key")).is_ok(),
        "the same key again"
    );
    let err =
        Store::connect_in(&url, Some(&schema), &dir.path().join("b.key")).expect_err("another key");
    assert!(matches!(err, ProfileError::WrongKey { .. }), "{err}");
    assert!(err.to_string().contains("b.key"), "{err}");
}
