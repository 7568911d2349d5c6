//! The Bevy front end (feature `gui`). It draws the engine's session and forwards choices; it
//! holds no scoring or branching logic.

use std::process::ExitCode;

/// Opens the game.
pub fn run(_cli: &crate::cli::Cli) -> ExitCode {
    eprintln!("Trò chơi chưa được xây dựng trong phiên bản này. / The game is not built yet.");
    ExitCode::from(1)
}
