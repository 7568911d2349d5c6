//! End-to-end: the real binary in a real window under Xvfb with Mesa's software Vulkan, driven by
//! xdotool — create a trainee, start a scenario, answer by clicks and keys until the debrief —
//! then the store holds the session and a screenshot of the debrief is not blank. Each step waits
//! for the screen the game says it shows (`CARE_TRAINER_DEV` log lines), and the click on a choice
//! must count as an answer. The default reactive mode is also started under a window manager
//! (openbox) and must draw the sign-in screen with no input. Screenshots are kept under
//! target/e2e/.
//!
//! Prints SKIPPED when Xvfb or xdotool is missing, unless `CARE_TRAINER_E2E=required` (CI), when
//! that is a failure.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The X display the test uses.
const DISPLAY: &str = ":97";
/// How long a screen change or an answer may take to show in the game's log.
const STEP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the window may take to appear (software Vulkan start-up on a slow CI machine).
const WINDOW_TIMEOUT: Duration = Duration::from_secs(120);

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", DISPLAY)
        .output()
        .expect("xdotool runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn screenshot(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let ok = Command::new("import")
        .args(["-window", "root", path.to_str().unwrap_or("shot.png")])
        .env("DISPLAY", DISPLAY)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "screenshot {name}");
    path
}

/// Number of distinct colours in a PNG (a blank or single-colour screen has 1 or 2).
fn colours(path: &Path) -> u32 {
    let out = Command::new("identify")
        .args(["-format", "%k", path.to_str().unwrap_or("")])
        .output()
        .expect("identify runs");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

fn key(k: &str) {
    xdotool(&["key", "--clearmodifiers", k]);
    sleep(Duration::from_millis(400));
}

fn main() -> ExitCode {
    let required = std::env::var("CARE_TRAINER_E2E").is_ok_and(|v| v == "required");
    if !have("Xvfb") || !have("xdotool") || !have("import") || !have("openbox") {
        if required {
            eprintln!(
                "e2e: FAILED — Xvfb, xdotool, ImageMagick or openbox missing but CARE_TRAINER_E2E=required"
            );
            return ExitCode::FAILURE;
        }
        println!(
            "e2e: SKIPPED (Xvfb, xdotool, ImageMagick or openbox not installed; see scripts/install-system-packages.sh)"
        );
        return ExitCode::SUCCESS;
    }
    match run() {
        Ok(()) => {
            println!("e2e: ok");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("e2e: FAILED — {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = tmp.path().join("e2e.db");
    let xvfb_log = std::fs::File::create(shots.join("xvfb.log")).map_err(|e| e.to_string())?;
    let _xvfb = Kill(
        Command::new("Xvfb")
            // -noreset: the server stays as it is when the reactive run's clients leave.
            .args([
                DISPLAY,
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::null())
            .stderr(xvfb_log)
            .spawn()
            .map_err(|e| format!("Xvfb: {e}"))?,
    );
    sleep(Duration::from_secs(2));
    broken_scenarios_are_reported(tmp.path())?;
    reactive_mode_draws_without_input(tmp.path(), &shots)?;
    let log_path = shots.join("game.log");
    // Frames drawn continuously (Xvfb has no window manager to wake the reactive loop), and the
    // game says on stdout which screen it shows and how many answers it took.
    let _game = spawn_game(&db, "continuous", &log_path)?;
    let start = Instant::now();
    let window = loop {
        let w = xdotool(&["search", "--name", "Care Trainer"]);
        if let Some(id) = w.lines().next().filter(|s| !s.is_empty()) {
            break id.to_owned();
        }
        if start.elapsed() > WINDOW_TIMEOUT {
            return Err(format!(
                "no window after {WINDOW_TIMEOUT:?}; see target/e2e/game.log"
            ));
        }
        sleep(Duration::from_millis(500));
    };
    // Let the first frames render.
    sleep(Duration::from_secs(5));
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["mousemove", "--window", &window, "900", "300"]);
    screenshot(&shots, "1-sign-in.png");
    // Sign-in: the employee-id field has focus; Tab moves to the name, then the cohort.
    xdotool(&["type", "--delay", "60", "NV-E2E-01"]);
    key("Tab");
    // xdotool cannot type characters missing from the X key map reliably (real users type
    // Vietnamese through an input method, which the game receives as IME commits); the headless
    // tests cover Vietnamese names.
    xdotool(&["type", "--delay", "60", "Nguyen Thi Anh"]);
    screenshot(&shots, "2-sign-in-filled.png");
    key("Tab");
    // The cohort is typed fast and Enter follows at once (a badge scanner): the last character
    // must still be in the stored cohort.
    xdotool(&["type", "--delay", "30", "K1-2026B"]);
    key("Return");
    wait_for_line(&log_path, "SCREEN Home", STEP_TIMEOUT)?;
    screenshot(&shots, "3-home.png");
    key("Return");
    wait_for_line(&log_path, "SCREEN Session", STEP_TIMEOUT)?;
    screenshot(&shots, "4-session.png");
    // The first answer by a click on the first choice button (no key pressed yet: the game
    // counts one answer only if the click landed on a choice), the rest by keys.
    click_first_choice(&window);
    wait_for_line(&log_path, "TURN 1", STEP_TIMEOUT)
        .map_err(|e| format!("the click on the first choice did not answer: {e}"))?;
    for _ in 0..30 {
        key("1");
    }
    screenshot(&shots, "5-session-end.png");
    key("Return");
    wait_for_line(&log_path, "SCREEN Debrief", STEP_TIMEOUT)?;
    sleep(Duration::from_secs(1));
    let debrief = screenshot(&shots, "6-debrief.png");
    let n = colours(&debrief);
    if n < 16 {
        return Err(format!("the debrief screenshot looks blank ({n} colours)"));
    }
    let store = care_trainer::profile::Store::open(&db).map_err(|e| e.to_string())?;
    let trainees = store.trainees().map_err(|e| e.to_string())?;
    if !trainees.iter().any(|t| {
        t.employee_id == "NV-E2E-01"
            && t.name == "Nguyen Thi Anh"
            && t.cohort.as_deref() == Some("K1-2026B")
    }) {
        return Err(format!("trainee not created as typed: {trainees:?}"));
    }
    let sessions = store.sessions_of("NV-E2E-01").map_err(|e| e.to_string())?;
    if sessions.is_empty() {
        return Err("no session recorded".into());
    }
    println!(
        "e2e: recorded grade {} ({} colours in the debrief screenshot)",
        sessions[0].grade, n
    );
    Ok(())
}

/// The game on `db`, with the dev-tools switch set to `dev`, its output in `log`.
fn spawn_game(db: &Path, dev: &str, log: &Path) -> Result<Kill, String> {
    let out = std::fs::File::create(log).map_err(|e| e.to_string())?;
    Ok(Kill(
        Command::new(env!("CARGO_BIN_EXE_care-trainer"))
            .arg("--db")
            .arg(db)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DISPLAY", DISPLAY)
            .env("CARE_TRAINER_DEV", dev)
            .env("WGPU_BACKEND", "vulkan")
            .stdout(out.try_clone().map_err(|e| e.to_string())?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("game: {e}"))?,
    ))
}

/// Waits until the game's log has a line starting with `what` (the dev-tools hooks).
fn wait_for_line(log: &Path, what: &str, timeout: Duration) -> Result<(), String> {
    let start = Instant::now();
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.lines().any(|l| l.starts_with(what)) {
            return Ok(());
        }
        if start.elapsed() > timeout {
            return Err(format!(
                "no `{what}` in {} after {timeout:?}",
                log.display()
            ));
        }
        sleep(Duration::from_millis(200));
    }
}

/// The default reactive mode under a real window manager (openbox): the sign-in screen is drawn
/// with no input at all (without one, winit would wait for an event before the first frame).
fn reactive_mode_draws_without_input(tmp: &Path, shots: &Path) -> Result<(), String> {
    let _wm = Kill(
        Command::new("openbox")
            .env("DISPLAY", DISPLAY)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("openbox: {e}"))?,
    );
    sleep(Duration::from_secs(1));
    let log_path = shots.join("reactive.log");
    let _game = spawn_game(&tmp.join("reactive.db"), "log", &log_path)?;
    wait_for_line(&log_path, "FIRST_FRAME_MS", WINDOW_TIMEOUT)
        .map_err(|e| format!("reactive mode under openbox drew nothing without input: {e}"))?;
    sleep(Duration::from_secs(2));
    let shot = screenshot(shots, "0-reactive-sign-in.png");
    let n = colours(&shot);
    if n < 16 {
        return Err(format!(
            "the reactive sign-in screenshot looks blank ({n} colours)"
        ));
    }
    Ok(())
}

/// With a display, a broken scenario folder is reported (file:line:col) and the game exits 1
/// without opening a window: the curriculum is loaded on a thread while Bevy starts.
fn broken_scenarios_are_reported(tmp: &Path) -> Result<(), String> {
    let dir = tmp.join("broken");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("hong.ron"), "(id: ").map_err(|e| e.to_string())?;
    let err_path = tmp.join("broken.log");
    let err = std::fs::File::create(&err_path).map_err(|e| e.to_string())?;
    let mut game = Kill(
        Command::new(env!("CARGO_BIN_EXE_care-trainer"))
            .arg("--scenarios")
            .arg(&dir)
            .arg("--db")
            .arg(tmp.join("broken.db"))
            .env("DISPLAY", DISPLAY)
            .stdout(Stdio::null())
            .stderr(err)
            .spawn()
            .map_err(|e| format!("game: {e}"))?,
    );
    let start = Instant::now();
    let status = loop {
        if let Some(status) = game.0.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if start.elapsed() > WINDOW_TIMEOUT {
            return Err("a broken scenario folder did not stop the game".into());
        }
        sleep(Duration::from_millis(200));
    };
    let text = std::fs::read_to_string(&err_path).map_err(|e| e.to_string())?;
    if status.code() != Some(1) || !text.contains("hong.ron:1:") || text.contains("panicked") {
        return Err(format!(
            "broken scenario folder: exit {status}, stderr:\n{text}"
        ));
    }
    Ok(())
}

/// Clicks where the first choice button is drawn at 1366×768 (right column, below the transcript).
fn click_first_choice(window: &str) {
    // Move first and let a frame see the pointer there: a press in the same frame as the move is
    // picked against the old position (measured: the combined `mousemove … click` never landed).
    xdotool(&["mousemove", "--window", window, "800", "295"]);
    sleep(Duration::from_millis(700));
    xdotool(&["click", "1"]);
    sleep(Duration::from_millis(600));
}
