//! Hooks for benchmarks and tests, off in the product: on only when `CARE_TRAINER_DEV` is set
//! (a comma-separated list; any value turns the log on).
//!
//! - `FIRST_FRAME_MS n` is printed at the first drawn frame of the sign-in screen
//!   (scripts/bench_game.sh);
//! - `SCREEN name` is printed on each screen change and `TURN n` after each answer, so that the
//!   end-to-end test knows its click or key landed;
//! - `exit`: the game exits after its first frame (start-up benchmark);
//! - `continuous`: frames are drawn continuously instead of on input (a desktop without a window
//!   manager sends no events to wake the reactive loop).
//!
//! Headless tests (no window) add [`headless`] instead.

use std::time::Instant;

use bevy::prelude::*;

use super::Screen;
use super::data::ActiveSession;

/// The environment switch.
pub const SWITCH: &str = "CARE_TRAINER_DEV";

/// What the switch asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DevTools {
    /// Print the hooks' lines.
    pub log: bool,
    /// Exit after the first frame.
    pub exit: bool,
    /// Draw continuously.
    pub continuous: bool,
}

impl DevTools {
    /// From the environment; `None` when the switch is not set.
    pub fn from_env() -> Option<DevTools> {
        let v = std::env::var(SWITCH).ok()?;
        let has = |w: &str| v.split(',').any(|x| x.trim() == w);
        Some(DevTools {
            log: true,
            exit: has("exit"),
            continuous: has("continuous"),
        })
    }

    /// The plugin for these settings.
    pub fn plugin(self, started: Instant) -> impl Fn(&mut App) {
        move |app: &mut App| {
            app.insert_resource(Started(started, self));
            app.add_systems(Last, report_first_interactive_frame);
            app.add_systems(Update, (log_screen_changes, log_turns));
        }
    }
}

/// When the process started, and the settings.
#[derive(Resource)]
struct Started(Instant, DevTools);

/// What a headless app (no window, as in tests) needs that the window plugin gives the game.
pub fn headless(app: &mut App) {
    if !app
        .world()
        .contains_resource::<Messages<bevy::window::Ime>>()
    {
        app.add_message::<bevy::window::Ime>();
    }
}

/// Prints the time to the first frame of the interactive sign-in screen; exits when asked.
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
        if started.1.exit {
            exit.write(AppExit::Success);
        }
    }
}

fn log_screen_changes(screen: Res<State<Screen>>) {
    if screen.is_changed() {
        println!("SCREEN {:?}", screen.get());
    }
}

fn log_turns(active: Option<Res<ActiveSession>>, mut shown: Local<usize>) {
    let turns = active.map_or(0, |a| a.session.turns().len());
    if turns != *shown {
        *shown = turns;
        if turns > 0 {
            println!("TURN {turns}");
        }
    }
}
