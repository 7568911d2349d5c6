//! The Bevy front end (feature `gui`): one plugin per file. It draws the engine's session and
//! forwards choices; scoring, branching and profiles stay in the domain modules.
//!
//! Screens are a [`Screen`] state: sign-in → home → session → debrief, and progress.

mod data;
pub mod dev_tools;
pub mod hot_reload;
pub mod screens;
pub mod store;
pub mod strings;
pub mod theme;

use std::process::ExitCode;
use std::time::Duration;

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

use crate::text::Lang;

pub use data::{
    ActiveSession, LastResult, Lessons, Loaded, Selection, Settings, SignInForm, SignedIn,
};

/// How long the app sleeps between frames when nothing happens (reactive rendering). Hot reload
/// looks at the scenarios folder on wake-ups at most every 2 s (any input also wakes the app).
/// Measured: with llvmpipe each idle frame costs a full software render, so a 2 s wake cost 7.5%
/// of a core.
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

/// What the game opens: the command line's `--scenarios`, `--db` and `--lang`.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Scenarios folder (none: `./scenarios` when present, else the embedded curriculum).
    pub scenarios: Option<std::path::PathBuf>,
    /// Profile store (none: `CARE_TRAINER_DB` or the OS data directory).
    pub db: Option<std::path::PathBuf>,
    /// Outbox of a central store (none: the OS data directory).
    pub outbox: Option<std::path::PathBuf>,
    /// Interface language.
    pub lang: Lang,
}

/// Opens the game window on the curriculum and the profile store the options name; the exit code
/// is the app's.
pub fn run(options: Options) -> ExitCode {
    let started = std::time::Instant::now();
    if let Some(missing) = no_display() {
        eprintln!("error: {} · {}", missing.vi, missing.en);
        return ExitCode::from(1);
    }
    // The curriculum is read and validated, and the store opened, on a thread while Bevy sets up
    // its plugins and the renderer: start-up waits for the slower of the two, not for both.
    let loading = {
        let options = options.clone();
        std::thread::Builder::new()
            .name("load curriculum".into())
            .spawn(move || Loaded::load(&options))
    };
    let dev = dev_tools::DevTools::from_env();
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
    .insert_resource(if dev.is_some_and(|d| d.continuous) {
        WinitSettings::continuous()
    } else {
        WinitSettings {
            focused_mode: UpdateMode::reactive(IDLE_WAKE),
            unfocused_mode: UpdateMode::reactive_low_power(IDLE_WAKE * 3),
        }
    });
    let loaded = match loading {
        Ok(handle) => handle.join(),
        // No thread to be had: load here.
        Err(_) => Ok(Loaded::load(&options)),
    };
    let loaded = match loaded {
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
    loaded.insert_into(app.world_mut());
    app.add_plugins((theme::font_plugin, plugin));
    if let Some(dev) = dev {
        app.add_plugins(dev.plugin(started));
    }
    match app.run() {
        AppExit::Success => ExitCode::SUCCESS,
        AppExit::Error(code) => ExitCode::from(code.get()),
    }
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
