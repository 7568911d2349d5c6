//! The baseline for docs/PERFORMANCE.md: a bare Bevy UI app built with the same features as the
//! game (one camera, one text node, the same window and reactive settings). `scripts/bench_game.sh`
//! measures it side by side with the game.

use std::time::{Duration, Instant};

use bevy::prelude::*;
use bevy::winit::{UpdateMode, WinitSettings};

#[derive(Resource)]
struct Started(Instant);

fn main() {
    let started = Instant::now();
    App::new()
        .add_plugins(DefaultPlugins.set(WindowPlugin {
            primary_window: Some(Window {
                title: "Bare UI".into(),
                resolution: (1366u32, 768u32).into(),
                ..default()
            }),
            ..default()
        }))
        .insert_resource(WinitSettings {
            focused_mode: UpdateMode::reactive(Duration::from_secs(2)),
            unfocused_mode: UpdateMode::reactive_low_power(Duration::from_secs(10)),
        })
        .insert_resource(Started(started))
        .add_systems(Startup, |mut commands: Commands| {
            commands.spawn(Camera2d);
            commands.spawn((
                Node {
                    padding: px(16).all(),
                    ..default()
                },
                children![Text::new("Bare UI")],
            ));
        })
        .add_systems(Last, report_first_frame)
        .run();
}

/// Prints the time to the first rendered frame, and exits when asked (`BENCH_EXIT=1`).
fn report_first_frame(
    mut frames: Local<u32>,
    started: Res<Started>,
    mut exit: MessageWriter<AppExit>,
) {
    *frames += 1;
    if *frames == 2 {
        println!("FIRST_FRAME_MS {}", started.0.elapsed().as_millis());
        if std::env::var_os("BENCH_EXIT").is_some() {
            exit.write(AppExit::Success);
        }
    }
}
