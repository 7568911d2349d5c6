//! `care-trainer`: parses the command line and dispatches. With no subcommand it opens the game.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = care_trainer::cli::Cli::parse();
    #[cfg(feature = "gui")]
    if matches!(cli.command, None | Some(care_trainer::cli::Command::Play)) {
        return care_trainer::game::run(care_trainer::game::Options {
            scenarios: cli.scenarios,
            db: cli.db,
            outbox: cli.outbox,
            lang: cli.lang.into(),
        });
    }
    match care_trainer::cli::run(cli) {
        Ok(code) => code,
        // The reader of our output went away (`… | head`): nothing left to say to anyone.
        Err(e) if care_trainer::cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
