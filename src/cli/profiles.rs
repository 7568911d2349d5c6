//! `trainee` and `report`, and the recording done by `preview --trainee` and `sim --record-as`.
//! The only place (with `main.rs`) where the profile store meets the clock and the terminal.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Args, Subcommand, ValueEnum};

use crate::explore::{Policy, play};
use crate::profile::outbox::{Outbox, Owner, Saved, record_or_queue};
use crate::profile::{self, Filter, Mode, NewSession, Store};
use crate::report;
use crate::scenario::{Curriculum, Lang, Scenario};
use crate::scoring::Scorecard;
use crate::text::Ui;

/// The environment variable with the xAPI actor account homePage.
pub const HOME_PAGE_ENV: &str = "CARE_TRAINER_XAPI_HOME_PAGE";

/// `trainee` subcommands.
#[derive(Debug, Subcommand)]
pub enum TraineeCommand {
    /// Add a trainee.
    Add {
        /// Employee id (unique).
        employee_id: String,
        /// Display name (any Unicode).
        #[arg(long)]
        name: String,
        /// Cohort (onboarding group).
        #[arg(long)]
        cohort: Option<String>,
    },
    /// List trainees.
    List,
    /// A trainee's sessions, mastery per commitment and recommended next scenario.
    Show {
        /// Employee id.
        employee_id: String,
    },
}

/// Format of `report`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// One row per session, for Excel (UTF-8 with BOM).
    #[default]
    Csv,
    /// One self-contained page with charts.
    Html,
    /// xAPI 1.0.3 statements (JSON array) for the LMS.
    Xapi,
    /// Item analysis of each choice point (CSV): difficulty, discrimination, option shares.
    Items,
}

/// `report` arguments.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    pub format: ReportFormat,
    /// Only this cohort.
    #[arg(long)]
    pub cohort: Option<String>,
    /// Only this trainee (employee id).
    #[arg(long, value_name = "EMPLOYEE_ID")]
    pub trainee: Option<String>,
    /// Only sessions finished on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Re-derive every stored score from its seed and choices; list mismatches; exit 1 if any.
    #[arg(long)]
    pub verify: bool,
    /// xAPI actor account homePage (default: CARE_TRAINER_XAPI_HOME_PAGE, else the MobiFone site).
    #[arg(long, value_name = "URL")]
    pub home_page: Option<String>,
    /// `--format items`: only this scenario (default: every scenario).
    #[arg(long, value_name = "ID")]
    pub scenario: Option<String>,
}

/// Opens the store at `--db`, `CARE_TRAINER_DB` or the OS data directory.
pub(crate) fn open(db: Option<&Path>) -> anyhow::Result<Store> {
    let path = profile::default_db_path(db);
    if profile::db_path_is_default(db) {
        return Ok(Store::open_default(&path)?);
    }
    Ok(Store::open(&path)?)
}

/// Opens the store for a command that only reads (lists, reports): read-only, so an auditor's
/// read-only copy works and nothing is created at a mistyped path. The default database is
/// created empty on first use, as a writing command would.
pub(super) fn open_to_read(db: Option<&Path>) -> anyhow::Result<Store> {
    let path = profile::default_db_path(db);
    if profile::db_path_is_default(db) && !path.exists() {
        return open(db);
    }
    Ok(Store::open_read_only(&path)?)
}

/// Opens the store and checks that the trainee exists (before a session is played).
pub(super) fn open_for(db: Option<&Path>, employee_id: &str) -> anyhow::Result<Store> {
    let store = open(db)?;
    if store.trainee(employee_id)?.is_none() {
        bail!(
            "no trainee with employee id `{employee_id}` in `{}`; add one with `care-trainer trainee add {employee_id} --name NAME`",
            store.location()
        );
    }
    Ok(store)
}

/// The outbox sessions wait in when the central store cannot be reached (a SQLite file on this
/// PC needs none).
pub(super) fn outbox_for(store: &Store, flag: Option<&Path>) -> anyhow::Result<Option<Outbox>> {
    match store {
        Store::Sqlite(_) => Ok(None),
        Store::Postgres(_) => Ok(Some(Outbox::open(&Outbox::default_path(flag))?)),
    }
}

/// Who a recorded session belongs to, as stored.
fn owner(store: &Store, employee_id: &str) -> anyhow::Result<profile::Trainee> {
    store
        .trainee(employee_id)?
        .with_context(|| format!("no trainee with employee id `{employee_id}`"))
}

/// Records the session `preview` just played (practice mode: feedback after each choice).
pub(super) fn record_preview(
    store: &Store,
    outbox: Option<&Outbox>,
    curriculum: &Curriculum,
    employee_id: &str,
    card: &Scorecard,
    started_unix: i64,
    lang: Lang,
) -> anyhow::Result<()> {
    let log = card.choice_log();
    let t = owner(store, employee_id)?;
    let session = NewSession {
        employee_id,
        mode: Mode::Practice,
        log: &log,
        card,
        started_unix,
        finished_unix: crate::clock::now_unix().max(started_unix),
        registration: None,
    };
    let who = Owner {
        employee_id: &t.employee_id,
        name: &t.name,
        cohort: t.cohort.as_deref(),
    };
    match record_or_queue(Some(store), outbox, curriculum, &who, &session, false)? {
        Saved::Stored(id) => println!(
            "{} #{id} {} {employee_id} ({}).",
            Ui::new("Đã lưu phiên", "Saved session").get(lang),
            Ui::new("cho", "for").get(lang),
            store.location()
        ),
        Saved::Queued => println!(
            "{}",
            Ui::new(
                "Đã lưu phiên trên máy này, sẽ gửi lên kho chung khi kết nối lại.",
                "Saved on this PC; it will be sent to the central store when it answers."
            )
            .get(lang)
        ),
    }
    Ok(())
}

/// Plays and records every bot session of a `sim` run (the same seeds as its summary), each in
/// its own durable transaction (or, when the central store does not answer, in the outbox).
/// Returns how many were recorded, and how many of them wait in the outbox.
pub(super) fn record_sim(
    store: &Store,
    outbox: Option<&Outbox>,
    employee_id: &str,
    curriculum: &Curriculum,
    scenarios: &[Arc<Scenario>],
    (runs, policy, seed): (u32, Policy, u64),
) -> anyhow::Result<(u64, u64)> {
    let t = owner(store, employee_id)?;
    let who = Owner {
        employee_id: &t.employee_id,
        name: &t.name,
        cohort: t.cohort.as_deref(),
    };
    let (mut n, mut queued) = (0, 0);
    for sc in scenarios {
        for s in crate::explore::session_seeds(seed, &sc.id, runs) {
            let card = play(sc.clone(), curriculum.rulebook.clone(), s, policy);
            let log = card.choice_log();
            let finished = crate::clock::now_unix();
            // Marked as a bot's: shown as such, never counted as the trainee's practice.
            let session = NewSession {
                employee_id,
                mode: Mode::Practice,
                log: &log,
                card: &card,
                started_unix: finished - i64::from(card.minutes) * 60,
                finished_unix: finished,
                registration: None,
            };
            if record_or_queue(Some(store), outbox, curriculum, &who, &session, true)?
                == Saved::Queued
            {
                queued += 1;
            }
            n += 1;
        }
    }
    Ok((n, queued))
}

/// `user …`.
pub(super) fn user(db: Option<&Path>, cmd: super::UserCommand) -> anyhow::Result<ExitCode> {
    use crate::profile::accounts::Role;
    let store = open(db)?;
    match cmd {
        super::UserCommand::Add {
            login,
            role,
            cohort,
            password_stdin: _,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let role = match role {
                super::RoleArg::Hr => Role::Hr,
                super::RoleArg::Trainer => Role::Trainer,
            };
            store.add_user(&login, password, role, &cohort, crate::clock::now_unix())?;
            println!("added {} `{login}` in {}", role.as_str(), store.location());
        }
        super::UserCommand::List => {
            for u in store.users()? {
                let cohorts = if u.cohorts.is_empty() {
                    "*".to_owned()
                } else {
                    u.cohorts.join(",")
                };
                println!("{}\t{}\t{cohorts}", u.login, u.role.as_str());
            }
        }
        super::UserCommand::Remove { login } => {
            if !store.remove_user(&login)? {
                bail!("no account `{login}`");
            }
            println!("removed `{login}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `sync`: sends the outbox to the central store.
pub(super) fn sync(
    db: Option<&Path>,
    outbox: Option<&Path>,
    scenarios: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let store = open(db)?;
    let Some(outbox) = outbox_for(&store, outbox)? else {
        bail!(
            "`{}` is a database file on this PC: there is no central store to send to (pass --db postgres://…)",
            store.location()
        );
    };
    let curriculum = super::load_curriculum(scenarios)?;
    let sent = outbox.send(&store, &curriculum)?;
    println!(
        "sent {} sessions to {}; {} still wait in {}",
        sent.sent,
        store.location(),
        outbox.waiting()?,
        outbox.path().display()
    );
    for (registration, why) in &sent.kept {
        eprintln!("kept {registration}: {why}");
    }
    Ok(if sent.kept.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `trainee …`.
pub(super) fn trainee(
    db: Option<&Path>,
    scenarios: Option<&Path>,
    cmd: TraineeCommand,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let store = match cmd {
        TraineeCommand::Add { .. } => open(db)?,
        _ => open_to_read(db)?,
    };
    let mut out = std::io::stdout().lock();
    match cmd {
        TraineeCommand::Add {
            employee_id,
            name,
            cohort,
        } => {
            store.add_trainee_at(
                &employee_id,
                &name,
                cohort.as_deref(),
                crate::clock::now_unix(),
            )?;
            writeln!(
                out,
                "{} {employee_id} — {} ({}).",
                Ui::new("Đã thêm học viên", "Added trainee").get(lang),
                crate::text::display_name(&name),
                store.location()
            )?;
        }
        TraineeCommand::List => list_trainees(&store, lang, &mut out)?,
        TraineeCommand::Show { employee_id } => {
            show_trainee(&store, scenarios, &employee_id, lang, &mut out)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `trainee list`.
fn list_trainees(store: &Store, lang: Lang, out: &mut impl Write) -> anyhow::Result<()> {
    let trainees = store.trainees()?;
    if trainees.is_empty() {
        writeln!(
            out,
            "{}",
            Ui::new(
                "Chưa có học viên nào. Thêm bằng `care-trainer trainee add MÃ --name TÊN`.",
                "No trainees yet. Add one with `care-trainer trainee add ID --name NAME`."
            )
            .get(lang)
        )?;
    }
    for tr in trainees {
        let sessions = store.sessions_of(&tr.employee_id)?;
        let last = sessions
            .last()
            .map_or_else(|| "—".to_owned(), |s| s.grade.to_string());
        writeln!(
            out,
            "{}\t{}\t{}\t{} {}\t{}: {last}",
            tr.employee_id,
            crate::text::display_name(&tr.name),
            tr.cohort
                .as_deref()
                .map(crate::text::display_name)
                .unwrap_or_else(|| "—".into()),
            sessions.len(),
            Ui::new("phiên", "sessions").get(lang),
            Ui::new("điểm gần nhất", "last grade").get(lang),
        )?;
    }
    Ok(())
}

/// `trainee show ID`.
fn show_trainee(
    store: &Store,
    scenarios: Option<&Path>,
    employee_id: &str,
    lang: Lang,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let Some(tr) = store.trainee(&employee_id)? else {
        bail!(profile::ProfileError::UnknownTrainee(
            employee_id.to_owned()
        ));
    };
    let curriculum = super::load_curriculum(scenarios)?;
    let rb = &curriculum.rulebook;
    let sessions = store.sessions_of(&employee_id)?;
    writeln!(
        out,
        "{} · {}{}",
        tr.employee_id,
        crate::text::display_name(&tr.name),
        tr.cohort
            .as_deref()
            .map(|c| format!(
                " · {} {}",
                Ui::new("nhóm", "cohort").get(lang),
                crate::text::display_name(c)
            ))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "-- {} ({}) --",
        Ui::new("Các phiên", "Sessions").get(lang),
        sessions.len()
    )?;
    for s in &sessions {
        writeln!(
            out,
            "#{}  {}  {:<28} {:<10} {:>3}/100  {:<8} {}",
            s.id,
            crate::clock::date_time(s.finished),
            s.scenario,
            match s.mode {
                _ if s.bot => Ui::new("máy tự chơi", "bot").get(lang),
                Mode::Practice => Ui::new("luyện tập", "practice").get(lang),
                Mode::Assessment => Ui::new("đánh giá", "assessment").get(lang),
            },
            s.grade,
            if s.passed {
                Ui::new("ĐẠT", "PASS").get(lang)
            } else {
                Ui::new("CHƯA ĐẠT", "FAIL").get(lang)
            },
            s.outcome.label().get(lang)
        )?;
    }
    writeln!(
        out,
        "-- {} --",
        Ui::new("Mức thành thạo", "Mastery").get(lang)
    )?;
    for m in profile::mastery(&sessions, rb) {
        let bar = "#".repeat((m.value / 10.0).round().clamp(0.0, 10.0) as usize);
        writeln!(
            out,
            "{:<4} {:<10} {:>3.0}  {:<12} ({} {})  {}",
            m.commitment,
            bar,
            m.value,
            m.level.label().get(lang),
            m.sessions,
            Ui::new("phiên", "sessions").get(lang),
            m.title.get(lang)
        )?;
    }
    match profile::recommend(&curriculum, &sessions, rb) {
        Some(r) => writeln!(
            out,
            "{}: {} — {}",
            Ui::new("Gợi ý tiếp theo", "Recommended next").get(lang),
            r.scenario,
            r.reason.get(lang)
        )?,
        None => writeln!(
            out,
            "{}",
            Ui::new(
                "Đã thành thạo mọi cam kết — không có gợi ý.",
                "Every commitment is proficient — nothing to recommend."
            )
            .get(lang)
        )?,
    }
    Ok(())
}

/// `report …`.
pub(super) fn report(
    db: Option<&Path>,
    scenarios: Option<&Path>,
    args: ReportArgs,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let since_unix = args
        .since
        .as_deref()
        .map(|d| {
            crate::clock::parse_date(d)
                .with_context(|| format!("--since `{d}` is not a date like 2026-01-31"))
        })
        .transpose()?;
    let filter = Filter {
        cohort: args.cohort.clone(),
        employee_id: args.trainee.clone(),
        since_unix,
    };
    // `--out -` is stdout; any other target is checked before the store is even read.
    let out_path = args.out.clone().filter(|p| p.as_os_str() != "-");
    if let Some(home) = &args.home_page {
        check_home_page(home)?;
    }
    let store = open_to_read(db)?;
    if let Some(p) = &out_path {
        check_out_target(p, store.file())?;
    }
    let curriculum = super::load_curriculum(scenarios)?;
    let records = store.records(&filter)?;
    // A damaged row is named and left out; the rest of the report goes on.
    for (id, why) in &records.skipped {
        eprintln!(
            "{} {id}: {why}",
            Ui::new("bỏ qua phiên không đọc được", "skipped unreadable session").get(lang)
        );
    }
    if args.verify {
        return verify(&store, &curriculum, records);
    }
    // Written beside the target as `FILE.part` and renamed when complete: a failure part-way
    // (disk full) leaves an earlier report at FILE as it was.
    let part = out_path.as_ref().map(|p| {
        let mut name = p.as_os_str().to_owned();
        name.push(".part");
        PathBuf::from(name)
    });
    let mut out: Box<dyn std::io::Write> = match &part {
        Some(path) => Box::new(std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path)
                .with_context(|| format!("cannot write `{}`", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let written = write_report(&args, &store, &records, &curriculum, lang, &mut out);
    drop(out);
    let (Some(path), Some(part)) = (&out_path, &part) else {
        return written.map(|()| ExitCode::SUCCESS);
    };
    if let Err(e) = written.and_then(|()| Ok(std::fs::rename(part, path)?)) {
        let _ = std::fs::remove_file(part);
        return Err(e.context(format!(
            "cannot write `{}` (the file was not changed)",
            path.display()
        )));
    }
    eprintln!(
        "{} {} ({} {}, {} {})",
        Ui::new("Đã ghi", "Wrote").get(lang),
        path.display(),
        records.sessions.len(),
        Ui::new("phiên", "sessions").get(lang),
        records.trainees.len(),
        Ui::new("học viên", "trainees").get(lang),
    );
    Ok(ExitCode::SUCCESS)
}

/// `report --verify`: every stored score re-derived from its seed and choices, and every seal
/// checked. Exit 1 on any mismatch, malformed row or broken seal.
fn verify(
    store: &Store,
    curriculum: &Curriculum,
    records: profile::Records,
) -> anyhow::Result<ExitCode> {
    let mut stored = Vec::with_capacity(records.sessions.len());
    for s in records.sessions {
        let log = store.choice_log(s.id)?;
        stored.push((s, log));
    }
    let mismatches = report::verify(&curriculum, &stored);
    let mut out = std::io::stdout().lock();
    for (id, why) in &records.skipped {
        writeln!(out, "malformed: session {id}: {why}")?;
    }
    // The seals: deleted, moved, edited, copied, reordered or orphaned sessions.
    let mut forged = std::collections::HashSet::new();
    let tampered = match store.check_seals()? {
        Some((found, unsigned)) => {
            forged.extend(
                found
                    .iter()
                    .filter(|t| matches!(t.kind, "edited" | "moved" | "copied"))
                    .map(|t| t.session),
            );
            for t in &found {
                writeln!(
                    out,
                    "tampering ({}): {} [{}]",
                    t.kind, t.detail, t.employee_id
                )?;
            }
            if unsigned > 0 {
                writeln!(
                    out,
                    "note: {unsigned} sessions were recorded before sessions were sealed; only their scores are checked"
                )?;
            }
            found.len()
        }
        None => {
            writeln!(
                out,
                "tampering (unchecked): the key file `{}` is missing, so the seals cannot be checked",
                store.key_path().display()
            )?;
            1
        }
    };
    for m in &mismatches {
        match &m.subject {
            // A record whose seal is broken was edited, whatever the hashes it now shows.
            report::Subject::Session { id, scenario } if forged.contains(id) => writeln!(
                out,
                "mismatch: session {id} ({}, {scenario}): {} stored {}, re-derived {} — tampering: the record was edited (its seal does not match)",
                m.employee_id, m.field, m.stored, m.derived
            )?,
            _ => writeln!(out, "mismatch: {m}")?,
        }
    }
    if mismatches.is_empty() && records.skipped.is_empty() && tampered == 0 {
        writeln!(
            out,
            "verified {} sessions of {} trainees: every stored score re-derives from its seed and choices",
            stored.len(),
            records.trainees.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let sessions: std::collections::HashSet<_> = mismatches
        .iter()
        .filter_map(|m| match &m.subject {
            report::Subject::Session { id, .. } => Some(*id),
            report::Subject::Mastery { .. } => None,
        })
        .collect();
    writeln!(
        out,
        "{} mismatches in {} of {} sessions; {} malformed rows; {} broken seals",
        mismatches.len(),
        sessions.len(),
        stored.len(),
        records.skipped.len(),
        tampered
    )?;
    Ok(ExitCode::from(1))
}

/// Writes the report in its format to `out` (streamed for CSV and xAPI).
fn write_report(
    args: &ReportArgs,
    store: &Store,
    records: &profile::Records,
    curriculum: &Curriculum,
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match args.format {
        // Streamed: half a million rows are never held in memory as text.
        ReportFormat::Csv => report::write_csv(records, &curriculum.rulebook, lang, &mut *out)?,
        ReportFormat::Html => {
            let mut scope = Vec::new();
            if let Some(c) = &args.cohort {
                scope.push(format!("nhóm {c}"));
            }
            if let Some(t) = &args.trainee {
                scope.push(format!("học viên {t}"));
            }
            if let Some(d) = &args.since {
                scope.push(format!("từ {d}"));
            }
            if scope.is_empty() {
                scope.push("tất cả".into());
            }
            let html = report::to_html(
                records,
                curriculum,
                crate::clock::now_unix(),
                &scope.join(", "),
            );
            out.write_all(html.as_bytes())?;
        }
        ReportFormat::Xapi => {
            let home = args
                .home_page
                .clone()
                .or_else(|| std::env::var(HOME_PAGE_ENV).ok().filter(|s| !s.is_empty()))
                .unwrap_or_else(|| report::DEFAULT_HOME_PAGE.to_owned());
            check_home_page(&home)?;
            report::write_xapi(records, curriculum, &home, &mut *out)?;
        }
        ReportFormat::Items => {
            let mut analyses = Vec::new();
            for sc in &curriculum.scenarios {
                if args.scenario.as_ref().is_some_and(|id| *id != sc.id) {
                    continue;
                }
                let choices = store.choices_of(&sc.id)?;
                analyses.push(report::items::analyse(
                    sc,
                    &curriculum.rulebook,
                    &records.sessions,
                    &choices,
                ));
            }
            if let Some(id) = &args.scenario
                && analyses.is_empty()
            {
                bail!("no scenario `{id}` in the curriculum");
            }
            out.write_all(report::items::to_csv(&analyses).as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A report target must not be the open database (nor its journal files) and, if it exists,
/// must be a regular file: a symlink or a device node is never replaced.
fn check_out_target(out: &Path, db: Option<&Path>) -> anyhow::Result<()> {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(()); // A new file.
    };
    if !meta.file_type().is_file() {
        bail!(
            "`{}` exists and is not a regular file (a link, folder or device): it was not changed; choose another --out",
            out.display()
        );
    }
    let same = |other: &Path| {
        std::fs::metadata(other).is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino())
    };
    let Some(db) = db else {
        return Ok(()); // A central store: no file here to protect.
    };
    let mut journal = db.as_os_str().to_owned();
    journal.push("-wal");
    if same(db) || same(Path::new(&journal)) {
        bail!(
            "`{}` is the open profile database: writing the report there would destroy it; choose another --out",
            out.display()
        );
    }
    Ok(())
}

/// The xAPI `homePage` of the trainees' accounts: an absolute http(s) address.
fn check_home_page(home: &str) -> anyhow::Result<()> {
    let rest = home
        .strip_prefix("https://")
        .or_else(|| home.strip_prefix("http://"));
    let host = rest.map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(h) if !h.is_empty() && !home.chars().any(|c| c.is_control() || c.is_whitespace()) => {
            Ok(())
        }
        _ => bail!(
            "--home-page `{}` is not an absolute http(s) address such as https://lms.example.vn",
            home.escape_debug()
        ),
    }
}
