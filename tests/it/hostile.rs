//! Hostile input: files, pipes and answers that used to crash, hang or lose what was played.
//! Each test failed before its fix.

use std::io::Read as _;
use std::process::{Command, Stdio};

use care_trainer::explore::explore;
use care_trainer::scenario::Check;
use care_trainer::text::diagnostic::Code;
use care_trainer::text::load::SourceFile;

use crate::support::{add_trainee, record_bot_sessions, root, run, stdout};

fn fixture() -> String {
    std::fs::read_to_string(root("tests/fixtures/validity/vt_hop_le.ron")).expect("fixture")
}

fn check_one(name: &str, bytes: &[u8]) -> Check {
    Check::run(
        None,
        vec![SourceFile {
            path: format!("scenarios/{name}"),
            bytes: bytes.to_vec(),
        }],
    )
}

fn codes(c: &Check) -> Vec<Code> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// `nodes: []` panicked with an index out of bounds in the commitment maximum.
#[test]
fn a_scenario_without_nodes_is_an_error_not_a_panic() {
    let f = fixture();
    let (i, j) = (
        f.find("    nodes: [").expect("nodes"),
        f.find("    endings: [").expect("endings"),
    );
    let text = format!("{}    nodes: [],\n{}", &f[..i], &f[j..]);
    let c = check_one("empty.ron", text.as_bytes());
    assert!(c.has_errors());
    assert!(codes(&c).contains(&Code::MissingStart), "{:?}", codes(&c));
}

/// The 64th step (the documented maximum) shifted a u64 by 64 when performed.
#[test]
fn a_scenario_with_64_steps_plays() {
    let extra: String = (0..59)
        .map(|i| {
            format!("        (id: \"b{i}\", title: (vi: \"Bước {i}\", en: \"Step {i}\"), required: false),\n")
        })
        .collect();
    // The fixture's 5 steps come after the 59 new ones: `cam_on`, done last, is step 64.
    let text = fixture().replacen("    steps: [\n", &format!("    steps: [\n{extra}"), 1);
    let c = check_one("many.ron", text.as_bytes());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let sc = &c.scenarios[0];
    assert_eq!(sc.steps.len(), 64);
    let e = explore(sc, c.rulebook.as_ref().expect("rulebook"));
    assert!(e.best.passed && e.best.steps.contains(&"cam_on".to_owned()));
}

/// A file saved by Windows Notepad (byte-order mark, CRLF) failed with a syntax error at 1:1.
#[test]
fn a_windows_file_loads_exactly_as_a_unix_one() {
    let unix = fixture();
    let windows = format!("\u{feff}{}", unix.replace('\n', "\r\n"));
    let a = check_one("vt.ron", unix.as_bytes());
    let b = check_one("vt.ron", windows.as_bytes());
    assert!(b.diagnostics.is_empty(), "{:#?}", b.diagnostics);
    assert_eq!(a.scenarios.len(), 1);
    assert_eq!(b.scenarios.len(), 1);
    assert_eq!(a.scenarios[0].nodes.len(), b.scenarios[0].nodes.len());
    assert_eq!(a.scenarios[0].commitment_max, b.scenarios[0].commitment_max);
}

/// A loop with no way out was accepted; now it is S0116. An ending nothing reaches is W0208.
#[test]
fn a_loop_without_exit_and_an_unreached_ending_are_reported() {
    // `day_di` no longer ends the call: `leo_thang` loops on itself or goes on.
    let text = fixture().replace("next: \"ket_bo_di\"", "next: \"leo_thang\"");
    let c = check_one("loop.ron", text.as_bytes());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let w: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EndingNeverReached)
        .collect();
    assert_eq!(w.len(), 1, "{:#?}", c.diagnostics);
    assert!(w[0].message.contains("ket_bo_di"));
    // Now every way out of `leo_thang` loops back to it.
    let text = text.replace(
        "mood: 15, feedback: (vi: \"Đúng.\", en: \"Right.\"), next: \"tim_hieu\"",
        "mood: 15, feedback: (vi: \"Đúng.\", en: \"Right.\"), next: \"leo_thang\"",
    );
    let c = check_one("loop.ron", text.as_bytes());
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::NoWayOut)
        .unwrap_or_else(|| panic!("{:#?}", c.diagnostics));
    assert!(d.message.contains("leo_thang"), "{}", d.message);
    assert!(c.has_errors());
}

/// A loop that changes the mood on every turn, with an ending still reachable, made `explore`
/// grow past 2.7 GB; it now stops at its bounds and says it was cut.
#[test]
fn explore_on_a_loop_is_bounded() {
    let text = fixture().replace("next: \"ket_bo_di\"", "next: \"xin_loi\"");
    let c = check_one("loop.ron", text.as_bytes());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let e = explore(&c.scenarios[0], c.rulebook.as_ref().expect("rulebook"));
    assert!(e.truncated);
    assert!(e.best.passed);
}

/// Runs the binary with stdout to a pipe that is closed after one byte.
fn run_with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_care-trainer"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env(
            "CARE_TRAINER_DB",
            std::env::temp_dir().join("ct-test-unused.db"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut out = child.stdout.take().expect("stdout");
    let mut one = [0u8; 1];
    out.read_exact(&mut one).expect("one byte");
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("stderr");
    (child.wait().expect("ends").code(), err)
}

/// `check --format json | head -c1` and `explore ID | head -c1` panicked with exit 101.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [
        &["check", "--format", "json"][..],
        &["check"][..],
        &["explore", "th2_da_biet_van_de"][..],
        &["graph", "th2_da_biet_van_de"][..],
    ] {
        let (code, err) = run_with_closed_stdout(args);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            code == Some(0) || code == Some(1),
            "{args:?}: {code:?} {err}"
        );
    }
}

/// `check --scenarios DIR` checked ./scenarios instead of DIR.
#[test]
fn check_with_a_scenarios_folder_checks_that_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("hong.ron"), "Scenario(id: \"hong\",").expect("write");
    let d = dir.path().to_str().expect("utf-8");
    let o = run(&["--scenarios", d, "check"], None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("hong.ron"), "{}", stdout(&o));
}

/// A non-UTF-8 answer in `preview` ended the session and lost the turns played; it is now
/// asked again.
#[test]
fn preview_asks_again_after_a_line_that_is_not_utf8() {
    let mut input = b"1\n".to_vec();
    input.extend_from_slice(b"\xff\xfe\n");
    input.extend_from_slice(b"1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n1\n");
    let o = run(
        &["preview", "th2_da_biet_van_de", "--seed", "4"],
        Some(&input),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = stdout(&o);
    assert!(text.contains("Vui lòng nhập một số từ"), "{text}");
    assert!(text.contains("=== KẾT QUẢ ==="), "{text}");
    assert!(!text.contains("Hết dữ liệu vào"), "{text}");
}

/// `preview --trainee` with no choice made recorded a zero-choice session that went to the LMS
/// as failed.
#[test]
fn preview_without_a_choice_records_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("p.db");
    let db = db.to_str().expect("utf-8");
    add_trainee(db, "NV9", "Lê Văn Cường");
    let o = run(
        &[
            "--db",
            db,
            "preview",
            "th2_da_biet_van_de",
            "--trainee",
            "NV9",
        ],
        Some(b""),
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("không được lưu"));
    let o = run(&["--db", db, "report", "--format", "csv"], None);
    let csv = stdout(&o);
    assert_eq!(csv.lines().count(), 1, "{csv}");
}

/// `check /dev/zero` ate 5 GB and `check` on a FIFO hung; a 9 MB file is refused too.
#[test]
fn devices_pipes_and_huge_files_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("pipe.ron");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![std::path::PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        paths.push(fifo);
    }
    let huge = dir.path().join("huge.ron");
    std::fs::write(&huge, vec![b' '; 9 * 1024 * 1024]).expect("write");
    paths.push(huge);
    for p in paths {
        let c = Check::paths(std::slice::from_ref(&p));
        assert_eq!(
            codes(&c).first(),
            Some(&Code::Unreadable),
            "{}",
            p.display()
        );
    }
}

/// `report --out` replaced the open database, a symlink's target and made a file named "-";
/// `--home-page javascript:…` went into every xAPI statement.
#[test]
fn report_never_overwrites_what_it_should_not() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("h.sqlite3");
    let dbs = db.to_str().expect("utf-8");
    add_trainee(dbs, "NV1", "Trần Thị Bình");
    let before = std::fs::read(&db).expect("db");
    // The database itself.
    let o = run(
        &["--db", dbs, "report", "--format", "csv", "--out", dbs],
        None,
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("open profile database"));
    assert_eq!(std::fs::read(&db).expect("db"), before);
    // A symlink to a file elsewhere.
    let target = dir.path().join("keep.txt");
    std::fs::write(&target, "giữ nguyên").expect("write");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let o = run(
        &[
            "--db",
            dbs,
            "report",
            "--format",
            "csv",
            "--out",
            link.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_ne!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&target).expect("target"),
        "giữ nguyên"
    );
    assert!(!dir.path().join("link.csv.part").exists());
    // A device node is never written through.
    let o = run(
        &[
            "--db",
            dbs,
            "report",
            "--format",
            "csv",
            "--out",
            "/dev/null",
        ],
        None,
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
    // `-` is stdout.
    let o = Command::new(env!("CARGO_BIN_EXE_care-trainer"))
        .args(["--db", dbs, "report", "--format", "csv", "--out", "-"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Mã nhân viên"));
    assert!(!dir.path().join("-").exists());
    // A home page that is not an http(s) address.
    for bad in [
        "javascript:alert(1)",
        "lms.example.vn",
        "https://",
        "https://a b",
    ] {
        let o = run(
            &[
                "--db",
                dbs,
                "report",
                "--format",
                "xapi",
                "--home-page",
                bad,
            ],
            None,
        );
        assert_ne!(o.status.code(), Some(0), "{bad}");
        assert!(o.stdout.is_empty(), "{bad}");
    }
    let o = run(
        &[
            "--db",
            dbs,
            "report",
            "--format",
            "xapi",
            "--home-page",
            "https://lms.mobifone.vn",
        ],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `NV1`, ` nv1` and `ＮＶ1` were three trainees who look the same; a name with ESC printed a
/// fake coloured result, U+202E reversed it, a tab broke the `trainee list` columns.
#[test]
fn employee_ids_are_normalised_and_names_are_shown_safely() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("i.db");
    let db = db.to_str().expect("utf-8");
    let add = |id: &str, name: &str| run(&["--db", db, "trainee", "add", id, "--name", name], None);
    assert_eq!(add("NV1", "Lê Văn Cường").status.code(), Some(0));
    for same in [" nv1", "ＮＶ1", "nv1 "] {
        let o = add(same, "Người khác");
        assert_ne!(o.status.code(), Some(0), "{same:?} is NV1");
        assert!(String::from_utf8_lossy(&o.stderr).contains("already exists"));
    }
    let o = add("NV 2; DROP", "X");
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("may only hold"));
    assert_eq!(
        add("nv2", "\u{1b}[32m100/100 ĐẠT\u{1b}[0m\tTrần\u{202e}Bình")
            .status
            .code(),
        Some(0)
    );
    let o = run(&["--db", db, "trainee", "list"], None);
    let list = stdout(&o);
    assert!(
        !list.contains('\u{1b}') && !list.contains('\u{202e}'),
        "{list:?}"
    );
    let row = list
        .lines()
        .find(|l| l.starts_with("NV2"))
        .expect("NV2 listed");
    assert_eq!(row.matches('\t').count(), 4, "{row:?}");
    // The normalised id finds the trainee however it is typed.
    let o = run(&["--db", db, "trainee", "show", " nv2"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A typo'd `--db` created folders and an empty database that `report --verify` then passed; a
/// damaged database failed reads yet took writes; a read-only copy could not be read; one bad
/// row stopped every report.
#[test]
fn databases_are_opened_with_care() {
    let dir = tempfile::tempdir().expect("tmp");
    // A folder that does not exist: an error, and nothing created.
    let typo = dir.path().join("no-such-folder/p.db");
    let o = run(
        &["--db", typo.to_str().expect("utf-8"), "report", "--verify"],
        None,
    );
    assert_ne!(o.status.code(), Some(0));
    let o = run(
        &[
            "--db",
            typo.to_str().expect("utf-8"),
            "trainee",
            "add",
            "NV1",
            "--name",
            "A",
        ],
        None,
    );
    assert_ne!(o.status.code(), Some(0));
    assert!(!dir.path().join("no-such-folder").exists());

    // A real database with sessions.
    let db = dir.path().join("p.db");
    let dbs = db.to_str().expect("utf-8");
    add_trainee(dbs, "NV1", "Lê A");
    record_bot_sessions(dbs, "NV1", "th2_da_biet_van_de", "3", "best");

    // One malformed row: named, skipped, the rest reported; verify names it and fails.
    let store = care_trainer::profile::Store::open(&db).expect("open");
    store
        .execute_sql("UPDATE sessions SET scores = 'not json' WHERE id = 2")
        .expect("edit");
    drop(store);
    let o = run(&["--db", dbs, "report", "--format", "csv"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        stdout(&o).lines().count(),
        3,
        "header and the two good sessions"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("bỏ qua phiên không đọc được 2"));
    let o = run(&["--db", dbs, "report", "--verify"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("malformed: session 2"),
        "{}",
        stdout(&o)
    );

    // A read-only copy can be read by reading commands.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).expect("copy");
    let mut perms = std::fs::metadata(&copy).expect("meta").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&copy, perms).expect("chmod");
    let o = run(
        &["--db", copy.to_str().expect("utf-8"), "trainee", "list"],
        None,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("NV1"));

    // Random bytes in the middle: reported as damaged, and a write does not touch it.
    let mut bytes = std::fs::read(&db).expect("db");
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 4096] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).expect("damage");
    let _ = std::fs::remove_file(dir.path().join("p.db-wal"));
    let _ = std::fs::remove_file(dir.path().join("p.db-shm"));
    let o = run(&["--db", dbs, "trainee", "add", "NV2", "--name", "B"], None);
    assert_ne!(o.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read(&db).expect("db"),
        bytes,
        "the damaged file was not written"
    );
}

/// Three best-bot runs made a trainee "thành thạo" in all 8 commitments, in CSV, HTML and xAPI:
/// bot sessions are now marked, shown as bots and left out of mastery and the LMS.
#[test]
fn bot_sessions_are_marked_and_never_count_as_practice() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("b.db");
    let dbs = db.to_str().expect("utf-8");
    add_trainee(dbs, "NV5", "Bot Test");
    record_bot_sessions(dbs, "NV5", "th2_da_biet_van_de", "3", "best");
    let store = care_trainer::profile::Store::open(&db).expect("open");
    let sessions = store.sessions_of("NV5").expect("sessions");
    assert_eq!(sessions.len(), 3);
    assert!(sessions.iter().all(|s| s.bot));
    let cur = crate::support::curriculum();
    let m = care_trainer::profile::mastery(&sessions, &cur.rulebook);
    assert!(m.iter().all(|x| x.sessions == 0), "{m:?}");
    drop(store);
    let csv = stdout(&run(&["--db", dbs, "report", "--format", "csv"], None));
    assert_eq!(csv.matches("máy tự chơi").count(), 3, "{csv}");
    let xapi = stdout(&run(&["--db", dbs, "report", "--format", "xapi"], None));
    let v: serde_json::Value = serde_json::from_str(&xapi).expect("json");
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(0),
        "no statement for a bot"
    );
    let show = stdout(&run(&["--db", dbs, "trainee", "show", "NV5"], None));
    assert!(show.contains("máy tự chơi"), "{show}");
    // No commitment reaches a level from a bot's sessions (the header says "Mức thành thạo").
    let levels = show.split("-- Mức thành thạo --").nth(1).unwrap_or("");
    assert_eq!(levels.matches("(0 phiên)").count(), 8, "{show}");
}

/// A 100,000-node scenario aborted `check` with a stack overflow (a recursive walk); the walks on
/// user-sized graphs are iterative now. Run on a thread with a small stack to make it count.
#[test]
fn a_very_long_scenario_is_checked_without_overflowing_the_stack() {
    const N: usize = 100_000;
    let mut text = String::from(
        "Scenario(id: \"dai\", title: (vi: \"Dài\", en: \"Long\"), briefing: (vi: \"Rất dài.\", en: \"Very long.\"), \
         situation: Complaint, segment: Individual, steps: [(id: \"cam_on\", title: (vi: \"Cảm ơn\", en: \"Thank\"))], \
         start: \"n0\", nodes: [\n",
    );
    for i in 0..N {
        let next = if i + 1 == N {
            "xong".to_owned()
        } else {
            format!("n{}", i + 1)
        };
        let step = if i + 1 == N { "step: \"cam_on\", " } else { "" };
        text.push_str(&format!(
            "(id: \"n{i}\", lines: [(vi: \"Dạ.\", en: \"Yes.\")], choices: [(id: \"c\", vi: \"Dạ, em nghe ạ.\", en: \"I'm listening.\", {step}model: true, scores: {{\"CK8\": 1}}, feedback: (vi: \"Đúng.\", en: \"Right.\"), next: \"{next}\")]),\n"
        ));
    }
    text.push_str("], endings: [(id: \"xong\", outcome: Resolved, score: 100, text: (vi: \"Xong.\", en: \"Done.\"))])\n");
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let c = check_one("dai.ron", text.as_bytes());
            (
                c.has_errors(),
                c.scenarios.first().map(|s| s.commitment_max.clone()),
            )
        })
        .expect("thread");
    let (errors, max) = handle.join().expect("no stack overflow");
    assert!(!errors);
    let max = max.expect("valid");
    assert_eq!(max[7], N as i32, "CK8: one point per node along the chain");
}

/// Tamperings `report --verify` did not see (all exited 0): each is now named by kind, untouched
/// data passes, and a score edited together with the scenario hash is not excused as "the
/// scenario changed".
#[test]
fn verify_names_every_tampering() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("t.db");
    let dbs = db.to_str().expect("utf-8");
    for (id, name) in [("NV1", "Lê A"), ("NV2", "Trần B")] {
        add_trainee(dbs, id, name);
    }
    for (who, runs) in [("NV1", "4"), ("NV2", "2")] {
        record_bot_sessions(dbs, who, "th2_da_biet_van_de", runs, "random");
    }
    // NV1 has sessions 1–4, NV2 sessions 5–6.
    let o = run(&["--db", dbs, "report", "--verify"], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "untouched data passes: {}",
        stdout(&o)
    );
    assert!(std::fs::metadata(care_trainer::profile::seal::key_path(&db)).is_ok());

    let cases: &[(&str, &str)] = &[
        (
            "deleted",
            "DELETE FROM choices WHERE session_id = 2; DELETE FROM sessions WHERE id = 2;",
        ),
        (
            "deleted",
            "DELETE FROM choices WHERE session_id = 4; DELETE FROM sessions WHERE id = 4;",
        ),
        (
            "moved",
            "UPDATE sessions SET employee_id = 'NV2' WHERE id = 2;",
        ),
        (
            "edited",
            "UPDATE sessions SET mode = 'assessment' WHERE id = 3;",
        ),
        (
            "edited",
            "UPDATE sessions SET finished_unix = 0 WHERE id = 3;",
        ),
        (
            "edited",
            "UPDATE sessions SET scenario_hash = '0000000000000000' WHERE id = 3;",
        ),
        (
            "edited",
            "UPDATE sessions SET grade = 100, passed = 1, scenario_hash = '0000000000000000' WHERE id = 3;",
        ),
        (
            "copied",
            "INSERT INTO sessions (employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores, registration, bot, mac, prev_mac) \
                    SELECT employee_id, scenario_id, scenario_hash, rulebook_hash, seed, mode, started_unix, finished_unix, outcome, ending, grade, passed, critical, minutes, scores, registration, bot, mac, prev_mac FROM sessions WHERE id = 3; \
                    INSERT INTO choices (session_id, turn, choice_id) SELECT (SELECT max(id) FROM sessions), turn, choice_id FROM choices WHERE session_id = 3;",
        ),
        (
            "reordered",
            "PRAGMA foreign_keys = OFF; UPDATE choices SET session_id = -1 WHERE session_id = 1; UPDATE sessions SET id = -1 WHERE id = 1; \
                       UPDATE choices SET session_id = 1 WHERE session_id = 2; UPDATE sessions SET id = 1 WHERE id = 2; \
                       UPDATE choices SET session_id = 2 WHERE session_id = -1; UPDATE sessions SET id = 2 WHERE id = -1;",
        ),
        (
            "orphan",
            "PRAGMA foreign_keys = OFF; DELETE FROM trainees WHERE employee_id = 'NV2';",
        ),
        (
            "registration",
            "UPDATE sessions SET registration = 'x' WHERE id = 5;",
        ),
    ];
    for (kind, sql) in cases {
        let copy = dir.path().join(format!("c-{kind}-{}.db", sql.len()));
        std::fs::copy(&db, &copy).expect("copy");
        std::fs::copy(
            care_trainer::profile::seal::key_path(&db),
            care_trainer::profile::seal::key_path(&copy),
        )
        .expect("copy key");
        let store = care_trainer::profile::Store::open(&copy).expect("open");
        store.execute_sql(sql).expect("tamper");
        drop(store);
        let o = run(
            &["--db", copy.to_str().expect("utf-8"), "report", "--verify"],
            None,
        );
        let text = stdout(&o);
        assert_eq!(o.status.code(), Some(1), "{kind}: {text}");
        assert!(
            text.contains(&format!("tampering ({kind})")),
            "{kind} ({sql}): {text}"
        );
        // A forged hash does not pass for a scenario that really changed.
        assert!(!text.contains("the scenario changed"), "{kind}: {text}");
    }
    // Without its key the seals cannot be checked, and verify says so.
    std::fs::remove_file(care_trainer::profile::seal::key_path(&db)).expect("rm key");
    let o = run(&["--db", dbs, "report", "--verify"], None);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("tampering (unchecked)"),
        "{}",
        stdout(&o)
    );
}
