//! Shared helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use care_trainer::scenario::Curriculum;

/// The shipped curriculum, from the files.
pub fn curriculum() -> Curriculum {
    Curriculum::load_dir(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .as_path(),
    )
    .unwrap_or_else(|d| panic!("shipped curriculum has errors: {d:#?}"))
}

/// Path of a file under the crate root.
pub fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the binary with arguments and optional stdin, in the crate root.
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    use std::io::Write as _;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_care-trainer"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env(
        "CARE_TRAINER_DB",
        std::env::temp_dir().join("ct-test-unused.db"),
    );
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("binary starts");
    if let Some(input) = stdin {
        child
            .stdin
            .as_mut()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("binary ends")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Adds a trainee through the command line; the command must succeed.
pub fn add_trainee(db: &str, id: &str, name: &str) {
    let o = run(&["--db", db, "trainee", "add", id, "--name", name], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Records `runs` bot sessions of `scenario` for `trainee` (`sim --record-as`); must succeed.
pub fn record_bot_sessions(db: &str, trainee: &str, scenario: &str, runs: &str, policy: &str) {
    let o = run(
        &[
            "--db",
            db,
            "sim",
            scenario,
            "--runs",
            runs,
            "--policy",
            policy,
            "--record-as",
            trainee,
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
