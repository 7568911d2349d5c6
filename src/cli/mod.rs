//! The command line: clap definitions and dispatch. The only place (with `main.rs`) that prints
//! or chooses an exit code.

mod check;
mod preview;
mod profiles;
mod tools;

pub use profiles::{ReportArgs, ReportFormat, TraineeCommand};

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::scenario::{Check, Curriculum, Lang, Scenario};

/// Care Trainer: role-play training for MobiFone customer care.
#[derive(Debug, Parser)]
#[command(name = "care-trainer", version, about, long_about = None)]
pub struct Cli {
    /// Profile store: a database file, or a central store `postgres://…` (default: the OS data
    /// directory; or CARE_TRAINER_DB).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Where sessions wait when the central store cannot be reached (default: the OS data
    /// directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub outbox: Option<PathBuf>,
    /// Scenarios folder (default: ./scenarios if present, else the embedded curriculum).
    #[arg(long, global = true, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// Language of trainee-facing text.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,
    /// What to do (default: open the game).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `vi` or `en`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

impl From<Option<LangArg>> for Lang {
    fn from(l: Option<LangArg>) -> Lang {
        match l {
            Some(LangArg::En) => Lang::En,
            _ => Lang::Vi,
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    /// rustc-style text.
    Text,
    /// One JSON object.
    Json,
}

/// Output format of `graph`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    /// Graphviz.
    Dot,
    /// Mermaid flowchart.
    Mermaid,
    /// Nodes and edges as JSON.
    Json,
}

/// Bot policy for `sim`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PolicyArg {
    /// Random among offered choices.
    Random,
    /// Model answers.
    Best,
    /// The worst answers.
    Worst,
    /// Test-wise: the longest option on the screen.
    Longest,
    /// Test-wise: the shortest option on the screen.
    Shortest,
    /// Test-wise: the most politeness markers (dạ, ạ, vâng, xin lỗi…), ties to the longer.
    Politest,
    /// Test-wise: the option repeating most words of the customer's last line.
    Echo,
    /// Test-wise: always option 1 as shown.
    First,
}

impl From<PolicyArg> for crate::explore::Policy {
    fn from(p: PolicyArg) -> Self {
        use crate::explore::Policy;
        match p {
            PolicyArg::Random => Policy::Random,
            PolicyArg::Best => Policy::Best,
            PolicyArg::Worst => Policy::Worst,
            PolicyArg::Longest => Policy::Longest,
            PolicyArg::Shortest => Policy::Shortest,
            PolicyArg::Politest => Policy::Politest,
            PolicyArg::Echo => Policy::Echo,
            PolicyArg::First => Policy::First,
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the game (the default).
    Play,
    /// Validate the rulebook and scenarios (exit 0 ok, 1 errors, 2 usage).
    Check {
        /// Files or folders (default: scenarios/).
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
    },
    /// Play a scenario in the terminal; choices are read from stdin, one number per line.
    Preview {
        /// Scenario id, or a path to a .ron file.
        scenario: String,
        /// Seed of the customer.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Record the session for this trainee (employee id).
        #[arg(long, value_name = "EMPLOYEE_ID")]
        trainee: Option<String>,
    },
    /// Play many seeded sessions with a bot and summarise the grades.
    Sim {
        /// Scenario ids or .ron paths (default: all).
        #[arg(value_name = "SCENARIO")]
        ids: Vec<String>,
        /// Sessions per scenario.
        #[arg(long)]
        runs: u32,
        /// Bot policy.
        #[arg(long, value_enum)]
        policy: PolicyArg,
        /// Master seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// JSON output.
        #[arg(long)]
        json: bool,
        /// Record every bot session for this trainee (employee id).
        #[arg(long, value_name = "EMPLOYEE_ID")]
        record_as: Option<String>,
    },
    /// Explore every path: endings, dead ends, min/max grade, best and worst paths.
    Explore {
        /// Scenario id, or a path to a .ron file.
        scenario: String,
        /// JSON output (the default is also JSON; kept for symmetry).
        #[arg(long)]
        json: bool,
    },
    /// Print the node graph.
    Graph {
        /// Scenario id, or a path to a .ron file.
        scenario: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "dot")]
        format: GraphFormat,
    },
    /// Add, list and show trainees (sessions, mastery, recommendation).
    Trainee {
        /// What to do.
        #[command(subcommand)]
        command: TraineeCommand,
    },
    /// HR reports (CSV, HTML, xAPI) of the stored sessions, or `--verify` every stored score.
    Report(ReportArgs),
    /// Send the sessions waiting in this PC's outbox to the central store.
    Sync,
    /// Accounts of the HR web dashboard.
    User {
        /// What to do.
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Serve the HR web dashboard (sign-in, cohorts, trainees, sessions, item analysis, exports).
    Serve {
        /// Address to listen on (loopback by default; put a TLS proxy in front for a network).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Behind a TLS-terminating proxy: session cookies are marked Secure.
        #[arg(long)]
        tls_proxy: bool,
    },
}

/// `user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is read from standard input (one line).
    Add {
        /// Login (letters, digits, `.`, `_`, `-`, `@`).
        login: String,
        /// `hr` (sees trainees of its cohorts) or `trainer` (item analysis, anonymised aggregates).
        #[arg(long, value_enum)]
        role: RoleArg,
        /// A cohort this account sees (repeat; none: every cohort).
        #[arg(long)]
        cohort: Vec<String>,
        /// Read the password from standard input (required: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
    /// Remove an account and sign its browsers out.
    Remove {
        /// Login.
        login: String,
    },
}

/// An account's role.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// HR.
    Hr,
    /// Trainer.
    Trainer,
}

/// Runs a parsed command line (not `play`, which `main` handles).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let lang: Lang = cli.lang.into();
    let paths = cli_paths(&cli);
    match cli.command {
        None | Some(Command::Play) => {
            bail!("the game is not built into this binary (feature `gui` is off)")
        }
        Some(Command::Check { paths, format }) => {
            // `check` with no path checks the `--scenarios` folder (else ./scenarios).
            let paths = if paths.is_empty() {
                vec![cli.scenarios.unwrap_or_else(|| PathBuf::from("scenarios"))]
            } else {
                paths
            };
            check::run(&paths, format)
        }
        Some(Command::Preview {
            scenario,
            seed,
            trainee,
        }) => preview_command(&paths, &scenario, seed, trainee, lang),
        Some(Command::Sim {
            ids,
            runs,
            policy,
            seed,
            json,
            record_as,
        }) => {
            let curriculum = load_curriculum(cli.scenarios.as_deref())?;
            let chosen: Vec<Arc<Scenario>> = if ids.is_empty() {
                curriculum.scenarios.clone()
            } else {
                ids.iter()
                    .map(|s| {
                        if s.ends_with(".ron") {
                            resolve(cli.scenarios.as_deref(), s).map(|(_, sc)| sc)
                        } else {
                            resolve_in(&curriculum, s)
                        }
                    })
                    .collect::<anyhow::Result<_>>()?
            };
            let policy = crate::explore::Policy::from(policy);
            if let Some(id) = record_as {
                let store = profiles::open_for(cli.db.as_deref(), &id)?;
                let outbox = profiles::outbox_for(&store, cli.outbox.as_deref())?;
                let (n, queued) = profiles::record_sim(
                    &store,
                    outbox.as_ref(),
                    &id,
                    &curriculum,
                    &chosen,
                    (runs, policy, seed),
                )?;
                eprintln!("recorded {n} sessions for {id} in {}", store.location());
                if queued > 0
                    && let Some(o) = &outbox
                {
                    eprintln!(
                        "{queued} of them wait in {} (the central store did not answer); `care-trainer sync` sends them",
                        o.path().display()
                    );
                }
            }
            emit(&tools::sim(&curriculum, &chosen, runs, policy, seed, json))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Explore { scenario, json: _ }) => {
            let (curriculum, sc) = resolve(cli.scenarios.as_deref(), &scenario)?;
            let (e, v) = crate::explore::explore_with_validity(&sc, &curriculum.rulebook);
            emit(&format!(
                "{}\n",
                serde_json::to_string_pretty(&tools::exploration_json(&e, &v))?
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Trainee { command }) => {
            profiles::trainee(cli.db.as_deref(), cli.scenarios.as_deref(), command, lang)
        }
        Some(Command::Report(args)) => {
            profiles::report(cli.db.as_deref(), cli.scenarios.as_deref(), args, lang)
        }
        Some(Command::User { command }) => profiles::user(cli.db.as_deref(), command),
        Some(Command::Serve { listen, tls_proxy }) => {
            let store = profiles::open(cli.db.as_deref())?;
            let curriculum = load_curriculum(cli.scenarios.as_deref())?;
            crate::web::serve(
                store,
                curriculum,
                &crate::web::ServeOptions { listen, tls_proxy },
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sync) => profiles::sync(
            cli.db.as_deref(),
            cli.outbox.as_deref(),
            cli.scenarios.as_deref(),
        ),
        Some(Command::Graph { scenario, format }) => {
            let (curriculum, sc) = resolve(cli.scenarios.as_deref(), &scenario)?;
            emit(&tools::graph(&curriculum, &sc, format, lang))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The global paths a command reads (`--db`, `--outbox`, `--scenarios`).
struct Paths {
    db: Option<PathBuf>,
    outbox: Option<PathBuf>,
    scenarios: Option<PathBuf>,
}

fn cli_paths(cli: &Cli) -> Paths {
    Paths {
        db: cli.db.clone(),
        outbox: cli.outbox.clone(),
        scenarios: cli.scenarios.clone(),
    }
}

/// `preview`: plays in the terminal, and records for `--trainee`.
fn preview_command(
    cli: &Paths,
    scenario: &str,
    seed: u64,
    trainee: Option<String>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let (curriculum, sc) = resolve(cli.scenarios.as_deref(), scenario)?;
    let store = trainee
        .as_deref()
        .map(|id| profiles::open_for(cli.db.as_deref(), id))
        .transpose()?;
    let started = crate::clock::now_unix();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let card = preview::run(&curriculum, sc, seed, lang, &mut stdin.lock(), &mut out)?;
    drop(out);
    match (store, trainee) {
        (Some(_), Some(_)) if card.debrief.is_empty() => eprintln!(
            "{}",
            crate::text::Ui::new(
                "Chưa chọn câu nào nên phiên không được lưu.",
                "No choice was made: nothing is recorded."
            )
            .get(lang)
        ),
        (Some(store), Some(id)) => {
            let outbox = profiles::outbox_for(&store, cli.outbox.as_deref())?;
            profiles::record_preview(
                &store,
                outbox.as_ref(),
                &curriculum,
                &id,
                &card,
                started,
                lang,
            )?;
        }
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes command output to stdout. A reader that went away (`… | head -c1`) is an
/// [`std::io::ErrorKind::BrokenPipe`] error, which `main` ends quietly on.
pub(crate) fn emit(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Whether an error is only a closed output pipe (the reader stopped reading).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads the curriculum as DESIGN §8 says (see [`Curriculum::resolve`]).
pub(crate) fn load_curriculum(flag: Option<&Path>) -> anyhow::Result<Curriculum> {
    Ok(Curriculum::resolve(flag)?)
}

fn resolve(flag: Option<&Path>, scenario: &str) -> anyhow::Result<(Curriculum, Arc<Scenario>)> {
    if scenario.ends_with(".ron") || Path::new(scenario).is_file() {
        let check = Check::paths(&[PathBuf::from(scenario)]);
        if check.has_errors() {
            for d in check.diagnostics.iter().filter(|d| d.is_error()) {
                eprint!(
                    "{}",
                    d.render(check.sources.get(&d.file).map(String::as_str))
                );
            }
            bail!("`{scenario}` has errors");
        }
        let sc = check
            .scenarios
            .first()
            .cloned()
            .with_context(|| format!("`{scenario}` holds no scenario"))?;
        let curriculum = check
            .into_curriculum()
            .map_err(crate::scenario::LoadError::Invalid)?;
        return Ok((curriculum, sc));
    }
    let curriculum = load_curriculum(flag)?;
    let sc = resolve_in(&curriculum, scenario)?;
    Ok((curriculum, sc))
}

fn resolve_in(curriculum: &Curriculum, id: &str) -> anyhow::Result<Arc<Scenario>> {
    if let Some(s) = curriculum.scenario(id) {
        return Ok(s.clone());
    }
    let ids: Vec<&str> = curriculum.scenarios.iter().map(|s| s.id.as_str()).collect();
    let hint = crate::text::diagnostic::did_you_mean(id, ids.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    bail!("no scenario `{id}`{hint}; known: {}", ids.join(", "))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
