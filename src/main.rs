//! `care-trainer`: parses the command line and dispatches. With no subcommand it opens the game.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = care_trainer::cli::Cli::parse();
    #[cfg(feature = "gui")]
    if matches!(cli.command, None | Some(care_trainer::cli::Command::Play)) {
        return care_trainer::game::run(&cli);
    }
    match care_trainer::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
