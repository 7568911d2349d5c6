//! Headless game tests: `MinimalPlugins` + `StatesPlugin` + `InputPlugin`, `app.update()`, and
//! simulated key presses. Each screen is driven: sign-in creates a trainee, a scenario is played
//! to the end by key presses, the debrief shows the engine's grade, the session is in the store.
#![cfg(feature = "gui")]

use std::path::Path;

use bevy::input::keyboard::{Key, KeyboardInput};
use bevy::input::{ButtonState, InputPlugin};
use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use care_trainer::game::hot_reload::HotReload;
use care_trainer::game::screens::debrief::GradeText;
use care_trainer::game::store::GameStore;
use care_trainer::game::{LastResult, Lessons, Loaded, Screen, Selection, Settings, SignInForm};
use care_trainer::scenario::{Curriculum, Lang};

/// A headless game on what `loaded` holds; the scenarios folder is looked at on every frame.
fn headless(loaded: Loaded) -> App {
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, StatesPlugin, InputPlugin));
    app.add_plugins(care_trainer::game::dev_tools::headless);
    loaded.insert_into(app.world_mut());
    app.world_mut().resource_mut::<HotReload>().every = std::time::Duration::ZERO;
    app.add_plugins(care_trainer::game::plugin);
    app.update();
    app
}

fn shipped() -> Curriculum {
    Curriculum::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
        .expect("curriculum")
}

fn app(db: &Path) -> App {
    let store = GameStore::open(Some(db));
    assert!(store.is_ok(), "store opens");
    headless(Loaded::new(shipped(), None, store, Lang::Vi))
}

fn trainees(db: &Path) -> Vec<care_trainer::profile::Trainee> {
    GameStore::open(Some(db))
        .expect("store")
        .trainees()
        .expect("trainees")
}

fn press(app: &mut App, key: KeyCode) {
    for state in [ButtonState::Pressed, ButtonState::Released] {
        app.world_mut().write_message(KeyboardInput {
            key_code: key,
            logical_key: Key::Unidentified(bevy::input::keyboard::NativeKey::Unidentified),
            state,
            text: None,
            repeat: false,
            window: Entity::PLACEHOLDER,
        });
        app.update();
    }
    // One more frame lets state transitions and rebuilds settle.
    app.update();
}

/// Presses 1 until the call ends, then Enter for the debrief.
fn play_to_end(app: &mut App) {
    for _ in 0..40 {
        if app
            .world()
            .get_resource::<care_trainer::game::ActiveSession>()
            .is_none_or(|a| a.session.is_over())
        {
            break;
        }
        press(app, KeyCode::Digit1);
    }
    press(app, KeyCode::Enter);
}

fn screen(app: &App) -> Screen {
    *app.world().resource::<State<Screen>>().get()
}

fn sign_in(app: &mut App, id: &str, name: &str) {
    assert_eq!(screen(app), Screen::SignIn);
    {
        let mut form = app.world_mut().resource_mut::<SignInForm>();
        form.employee_id = id.into();
        form.name = name.into();
        form.cohort = "K1-2026".into();
    }
    press(app, KeyCode::Enter);
}

#[test]
fn sign_in_creates_a_trainee_and_rejects_an_empty_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    let mut app = app(&db);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        screen(&app),
        Screen::SignIn,
        "an empty form does not sign in"
    );
    assert!(app.world().resource::<SignInForm>().error.is_some());
    sign_in(&mut app, "NV0001", "Nguyễn Thị Ánh");
    assert_eq!(screen(&app), Screen::Home);
    let trainees = trainees(&db);
    assert_eq!(trainees.len(), 1);
    assert_eq!(trainees[0].name, "Nguyễn Thị Ánh");
}

#[test]
fn a_scenario_played_by_keys_ends_in_a_debrief_with_the_engines_grade_and_is_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("t.db");
    let mut app = app(&db);
    sign_in(&mut app, "NV0002", "Trần Văn Bình");
    assert_eq!(screen(&app), Screen::Home);
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Session);
    play_to_end(&mut app);
    assert_eq!(screen(&app), Screen::Debrief);
    let last = app.world().resource::<LastResult>();
    assert!(last.saved.is_ok(), "saved: {:?}", last.saved);
    let grade = last.card.grade;
    let mut q = app.world_mut().query_filtered::<&Text, With<GradeText>>();
    let shown: Vec<String> = q.iter(app.world()).map(|t| t.0.clone()).collect();
    assert_eq!(shown, vec![format!("Điểm: {grade}/100")]);
    let sessions = GameStore::open(Some(&db))
        .expect("store")
        .sessions("NV0002")
        .expect("sessions");
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].grade, grade);
    // R replays the same customer.
    let seed = app.world().resource::<LastResult>().card.seed;
    press(&mut app, KeyCode::KeyR);
    assert_eq!(screen(&app), Screen::Session);
    assert_eq!(
        app.world()
            .resource::<care_trainer::game::ActiveSession>()
            .session
            .seed(),
        seed
    );
}

#[test]
fn progress_and_language_toggle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = app(&dir.path().join("t.db"));
    sign_in(&mut app, "NV0003", "Lê Hoa");
    press(&mut app, KeyCode::KeyL);
    assert_eq!(app.world().resource::<Settings>().lang, Lang::En);
    press(&mut app, KeyCode::KeyP);
    assert_eq!(screen(&app), Screen::Progress);
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Home);
}

#[test]
fn without_a_store_the_trainee_still_practises_marked_not_saved() {
    let mut app = headless(Loaded::new(
        shipped(),
        None,
        Err("the file is not a database".into()),
        Lang::Vi,
    ));
    sign_in(&mut app, "NV0004", "Phạm An");
    assert_eq!(screen(&app), Screen::Home);
    press(&mut app, KeyCode::Enter);
    play_to_end(&mut app);
    assert_eq!(screen(&app), Screen::Debrief);
    assert!(app.world().resource::<LastResult>().saved.is_err());
}

/// Without a display the game says so and exits 1 (winit would panic).
#[test]
fn without_a_display_the_game_says_so_instead_of_panicking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_care-trainer"))
        .arg("--db")
        .arg(dir.path().join("p.sqlite3"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .expect("run the game");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("không có màn hình") && err.contains("no display"),
        "{err}"
    );
    assert!(
        err.find("không có màn hình") < err.find("no display"),
        "Vietnamese first: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// Hot reload: a broken edit keeps the last good curriculum and shows its diagnostics; fixing it
/// reloads. An edit made between reading the folder and the first frame is not missed.
#[test]
fn hot_reload_keeps_the_last_good_curriculum_and_catches_early_edits() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("scenarios");
    std::fs::create_dir(&dir).expect("dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for e in std::fs::read_dir(&shipped).expect("scenarios") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "ron") {
            std::fs::copy(&p, dir.join(p.file_name().expect("name"))).expect("copy");
        }
    }
    let loaded = Loaded::load(&care_trainer::game::Options {
        scenarios: Some(dir.clone()),
        db: Some(tmp.path().join("p.sqlite3")),
        lang: Lang::Vi,
        outbox: None,
    })
    .expect("load");
    let count = loaded.curriculum.scenarios.len();
    // Broken after the folder was read, before the first frame.
    let file = dir.join("th1_hai_long_ca_nhan.ron");
    let good = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, "(id: ").expect("break");
    let mut app = headless(loaded);
    assert_eq!(
        app.world().resource::<Lessons>().0.scenarios.len(),
        count,
        "last good curriculum kept"
    );
    let errors: Vec<String> = app
        .world()
        .resource::<HotReload>()
        .errors
        .iter()
        .map(|d| format!("{}:{}:{} {}", d.file, d.line, d.column, d.message))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("th1_hai_long_ca_nhan.ron")),
        "{errors:?}"
    );
    // Fixed, with a new title: reloaded, errors gone, the trainee is told.
    std::fs::write(
        &file,
        good.replacen(
            "vi: \"Khách hàng hài lòng:",
            "vi: \"Mới: Khách hàng hài lòng:",
            1,
        ),
    )
    .expect("fix");
    app.update();
    let reload = app.world().resource::<HotReload>();
    assert!(reload.errors.is_empty(), "{:?}", reload.errors);
    assert!(reload.reloaded);
    let sc = app
        .world()
        .resource::<Lessons>()
        .0
        .scenario("th1_hai_long_ca_nhan")
        .expect("scenario");
    assert!(sc.title.vi.starts_with("Mới: "), "{}", sc.title.vi);
}

/// An empty curriculum (a folder holding only the rulebook) and an arrow key on Home indexed an
/// empty list and panicked; a lower-case or full-width id signs in as the stored id.
#[test]
fn home_with_an_empty_curriculum_survives_the_arrow_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("scenarios");
    std::fs::create_dir(&folder).expect("mkdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/rulebook.ron"),
        folder.join("rulebook.ron"),
    )
    .expect("copy rulebook");
    let cur = Curriculum::load_dir(&folder).expect("an empty curriculum loads");
    assert!(cur.scenarios.is_empty());
    let db = dir.path().join("t.db");
    let mut app = headless(Loaded::new(cur, None, GameStore::open(Some(&db)), Lang::Vi));
    sign_in(&mut app, " ｎｖ0009", "Đỗ Minh");
    assert_eq!(screen(&app), Screen::Home);
    for key in [
        KeyCode::ArrowDown,
        KeyCode::ArrowUp,
        KeyCode::ArrowRight,
        KeyCode::Enter,
    ] {
        press(&mut app, key);
    }
    assert_eq!(screen(&app), Screen::Home);
    assert!(trainees(&db).iter().any(|t| t.employee_id == "NV0009"));
}

fn texts(app: &mut App) -> Vec<String> {
    let mut q = app.world_mut().query::<&Text>();
    q.iter(app.world()).map(|t| t.0.clone()).collect()
}

/// Moving the selection or toggling the mode on Home changes what shows without rebuilding the
/// screen (the same entities stay); a language change rebuilds it in the other language.
#[test]
fn home_updates_the_parts_that_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = app(&dir.path().join("t.db"));
    sign_in(&mut app, "NV0010", "Vũ Lan");
    let mut roots = app
        .world_mut()
        .query_filtered::<Entity, (With<Node>, Without<ChildOf>)>();
    let before: Vec<Entity> = roots.iter(app.world()).collect();
    let selected = app.world().resource::<Selection>().index;
    press(&mut app, KeyCode::ArrowDown);
    assert_ne!(app.world().resource::<Selection>().index, selected);
    press(&mut app, KeyCode::KeyM);
    assert!(
        texts(&mut app)
            .iter()
            .any(|t| t.contains("Đánh giá") || t.contains("đánh giá"))
    );
    let after: Vec<Entity> = roots.iter(app.world()).collect();
    assert_eq!(
        before, after,
        "selection and mode redraw parts, not the screen"
    );
    press(&mut app, KeyCode::KeyL);
    let rebuilt: Vec<Entity> = roots.iter(app.world()).collect();
    assert_ne!(before, rebuilt, "a new language redraws the screen");
    assert!(texts(&mut app).iter().any(|t| t.contains("Assessment")));
}

/// During a call, an answer refills the transcript and choices but the customer's card and the
/// screen stay; and the scenarios folder is not reloaded until the call is over.
#[test]
fn a_call_updates_its_parts_and_is_never_reloaded_under_the_trainee() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("scenarios");
    std::fs::create_dir(&dir).expect("dir");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    for name in ["rulebook.ron", "th1_hai_long_ca_nhan.ron"] {
        std::fs::copy(shipped.join(name), dir.join(name)).expect("copy");
    }
    let loaded = Loaded::load(&care_trainer::game::Options {
        scenarios: Some(dir.clone()),
        db: Some(tmp.path().join("p.sqlite3")),
        lang: Lang::Vi,
        outbox: None,
    })
    .expect("load");
    let mut app = headless(loaded);
    sign_in(&mut app, "NV0011", "Hồ Nam");
    press(&mut app, KeyCode::Enter);
    assert_eq!(screen(&app), Screen::Session);
    let mut roots = app
        .world_mut()
        .query_filtered::<Entity, (With<Node>, Without<ChildOf>)>();
    let before: Vec<Entity> = roots.iter(app.world()).collect();
    let name = app
        .world()
        .resource::<care_trainer::game::ActiveSession>()
        .session
        .customer()
        .full_name
        .clone();
    let card_text = |app: &mut App| {
        let mut q = app.world_mut().query::<(Entity, &Text)>();
        q.iter(app.world())
            .find(|(_, t)| t.0.ends_with(&name))
            .map(|(e, _)| e)
    };
    let card = card_text(&mut app).expect("the customer's name is shown");
    // Broken while the trainee is on the call.
    std::fs::write(dir.join("th1_hai_long_ca_nhan.ron"), "(id: ").expect("break");
    press(&mut app, KeyCode::Digit1);
    assert_eq!(
        app.world()
            .resource::<care_trainer::game::ActiveSession>()
            .session
            .turns()
            .len(),
        1
    );
    assert!(
        texts(&mut app)
            .iter()
            .filter(|t| t.starts_with("Bạn: "))
            .count()
            >= 1
    );
    assert_eq!(roots.iter(app.world()).collect::<Vec<_>>(), before);
    assert_eq!(
        card_text(&mut app),
        Some(card),
        "the customer card is not redrawn"
    );
    assert!(
        app.world().resource::<HotReload>().errors.is_empty(),
        "no reload during a call"
    );
    press(&mut app, KeyCode::Escape);
    press(&mut app, KeyCode::Escape);
    assert_eq!(screen(&app), Screen::Home);
    app.update();
    assert!(
        !app.world().resource::<HotReload>().errors.is_empty(),
        "the broken file is reported once the call is over"
    );
}

/// The central store does not answer: the trainee still plays, and the finished session waits in
/// the outbox on this PC ("saved on this PC, will be sent") instead of being lost.
#[test]
fn with_the_central_store_away_the_session_waits_in_the_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = dir.path().join("outbox.sqlite3");
    // Nothing listens on port 9 of loopback.
    let store = GameStore::open_with_outbox(
        Some(Path::new("postgres://care:care@127.0.0.1:9/care")),
        Some(&outbox),
    );
    assert!(
        store.is_ok(),
        "an absent central store is not an error: {:?}",
        store.as_ref().err()
    );
    let mut app = headless(Loaded::new(shipped(), None, store, Lang::Vi));
    sign_in(&mut app, "NV0012", "Lý Thu");
    assert_eq!(screen(&app), Screen::Home);
    press(&mut app, KeyCode::Enter);
    play_to_end(&mut app);
    assert_eq!(screen(&app), Screen::Debrief);
    assert_eq!(
        app.world().resource::<LastResult>().saved,
        Ok(care_trainer::profile::outbox::Saved::Queued)
    );
    assert!(
        texts(&mut app)
            .iter()
            .any(|t| t.contains("Đã lưu trên máy này"))
    );
    let waiting = care_trainer::profile::outbox::Outbox::open(&outbox)
        .expect("outbox")
        .waiting()
        .expect("count");
    assert_eq!(waiting, 1);
}
