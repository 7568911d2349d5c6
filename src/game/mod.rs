//! The Bevy front end (feature `gui`): one plugin per file. It draws the engine's session and
//! forwards choices; scoring, branching and profiles stay in the domain modules.
//!
//! Screens are a [`Screen`] state: sign-in → home → session → debrief, and progress.

mod data;
mod hot_reload;
pub mod records;
pub mod screens;
pub mod strings;
pub mod theme;

use std::process::ExitCode;
use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

pub use data::{ActiveSession, GameData, LastResult, Mode, SignInForm};

/// How long the app sleeps between frames when nothing happens (reactive rendering). The
/// scenario folder is polled for hot reload on these wake-ups (any input also wakes the app). Measured: with llvmpipe each idle frame costs a full software render, so a 2 s wake cost 7.5% of a core.
const IDLE_WAKE: Duration = Duration::from_secs(10);

/// The screens.
#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Pick or create a trainee.
    #[default]
    SignIn,
    /// The curriculum.
    Home,
    /// A call with a customer.
    Session,
    /// The result of a finished call.
    Debrief,
    /// Mastery and history.
    Progress,
}

/// Opens the game window on the curriculum and the profile store chosen by the command line.
pub fn run(cli: &crate::cli::Cli) -> ExitCode {
    let started = std::time::Instant::now();
    if let Some(missing) = no_display() {
        eprintln!("error: {} · {}", missing.vi, missing.en);
        return ExitCode::from(1);
    }
    // The curriculum is read and validated, and the store opened, on a thread while Bevy sets up
    // its plugins and the renderer: start-up waits for the slower of the two, not for both.
    let (scenarios, db, lang) = (cli.scenarios.clone(), cli.db.clone(), cli.lang.into());
    let loading = std::thread::Builder::new()
        .name("load curriculum".into())
        .spawn(move || GameData::load_from(scenarios.as_deref(), db.as_deref(), lang));
    let continuous = std::env::var_os("CARE_TRAINER_CONTINUOUS").is_some();
    let mut app = App::new();
    // A failing system is logged, never a crash in front of a trainee.
    app.set_error_handler(bevy::ecs::error::warn);
    app.add_plugins(DefaultPlugins.set(WindowPlugin {
        primary_window: Some(Window {
            title: strings::WINDOW_TITLE.vi.to_owned(),
            resolution: (1366u32, 768u32).into(),
            // Vietnamese input methods (Unikey, ibus) deliver text as IME commits.
            ime_enabled: true,
            ..default()
        }),
        ..default()
    }))
    .insert_resource(if continuous {
        WinitSettings::continuous()
    } else {
        WinitSettings {
            focused_mode: UpdateMode::reactive(IDLE_WAKE),
            unfocused_mode: UpdateMode::reactive_low_power(IDLE_WAKE * 3),
        }
    })
    .insert_resource(Started(started));
    let loaded = match loading {
        Ok(handle) => handle.join(),
        // No thread to be had: load here.
        Err(_) => Ok(GameData::load(cli)),
    };
    let data = match loaded {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(1);
        }
        Err(_) => {
            eprintln!("error: loading the curriculum stopped unexpectedly");
            return ExitCode::from(1);
        }
    };
    app.insert_resource(data)
        .add_plugins((theme::font_plugin, plugin))
        .add_systems(Last, report_first_interactive_frame);
    app.run();
    ExitCode::SUCCESS
}

/// Why no window can be opened, when that is known before trying (winit would panic): on Linux,
/// no X11 or Wayland display in the environment.
fn no_display() -> Option<strings::Ui> {
    let set = |v: &str| std::env::var_os(v).is_some_and(|x| !x.is_empty());
    let any = ["DISPLAY", "WAYLAND_DISPLAY", "WAYLAND_SOCKET"]
        .map(set)
        .contains(&true);
    (cfg!(target_os = "linux") && !any).then_some(strings::NO_DISPLAY)
}

/// Everything but the window and rendering: what headless tests add to a `MinimalPlugins` app
/// (with `StatesPlugin` and `InputPlugin`).
pub fn plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.init_resource::<SignInForm>();
    app.add_plugins((
        theme::plugin,
        hot_reload::plugin,
        screens::sign_in::plugin,
        screens::home::plugin,
        screens::session::plugin,
        screens::debrief::plugin,
        screens::progress::plugin,
    ));
}

/// When the process started (for the start-up benchmark).
#[derive(Resource)]
struct Started(std::time::Instant);

/// Prints the time to the first frame of the interactive sign-in screen (scripts/bench_game.sh);
/// with `BENCH_EXIT=1` the game then exits.
fn report_first_interactive_frame(
    mut frames: Local<u32>,
    started: Res<Started>,
    screen: Res<State<Screen>>,
    mut exit: MessageWriter<AppExit>,
) {
    if *frames > 1 || *screen.get() != Screen::SignIn {
        return;
    }
    *frames += 1;
    if *frames == 2 {
        println!("FIRST_FRAME_MS {}", started.0.elapsed().as_millis());
        if std::env::var_os("BENCH_EXIT").is_some() {
            exit.write(AppExit::Success);
        }
    }
}
