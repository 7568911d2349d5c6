//! The dashboard's pages: view models built from the store, rendered by askama templates.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::strings::Words;
use super::{AppState, Signed, html, refuse};
use crate::profile::accounts::{Role, User};
use crate::profile::{Filter, Records, StoredSession, Trainee};
use crate::report::TrendChart;
use crate::text::Lang;

type Shared = Arc<AppState>;

/// Renders a template; a template that cannot render is a plain error page.
pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => html(body),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response(),
    }
}

/// `path?lang=…`.
pub(crate) fn with_lang(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => path.to_owned(),
        Lang::En => format!("{path}?lang=en"),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct Message<'a> {
    pub(crate) w: &'a Words,
    pub(crate) user: Option<User>,
    pub(crate) csrf: String,
    pub(crate) text: &'a str,
}

#[derive(Template)]
#[template(path = "login.html")]
pub(crate) struct Login<'a> {
    pub(crate) w: &'a Words,
    pub(crate) user: Option<User>,
    pub(crate) csrf: String,
    pub(crate) error: Option<&'a str>,
}

/// Heat-map colour of a 0–100 value (red → amber → green).
fn heat(v: f64) -> String {
    let v = v.clamp(0.0, 100.0);
    let hue = (v * 1.2).round();
    format!("hsl({hue}, 70%, 82%)")
}

/// Runs store work off the async threads; an error is a 500 page.
async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> Result<T, crate::profile::ProfileError> + Send + 'static,
) -> Result<T, StatusCode> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
}

/// The trainees and sessions an account may see (HR: its cohorts; a trainer: all, shown
/// anonymised). Bots' sessions are left out.
fn visible(records: Records, user: &User) -> Records {
    let trainees: Vec<Trainee> = records
        .trainees
        .into_iter()
        .filter(|t| user.sees_cohort(t.cohort.as_deref()))
        .collect();
    let keep: std::collections::HashSet<&str> =
        trainees.iter().map(|t| t.employee_id.as_str()).collect();
    let sessions = records
        .sessions
        .into_iter()
        .filter(|s| !s.bot && keep.contains(&*s.employee_id))
        .collect();
    Records {
        trainees,
        sessions,
        skipped: records.skipped,
    }
}

struct CohortRow {
    name: String,
    trainees: usize,
    sessions: usize,
    pass_rate: String,
    heat: Vec<(String, String)>,
}

/// A cohort's line: trainees, sessions, pass rate and the mean mastery of each commitment.
fn cohort_row(
    name: &str,
    ts: &[&Trainee],
    view: &super::cache::View,
    commitments: usize,
) -> CohortRow {
    let sessions: Vec<&StoredSession> = ts
        .iter()
        .flat_map(|t| {
            view.sessions
                .get(&t.employee_id)
                .into_iter()
                .flat_map(|v| v.iter())
        })
        .collect();
    let passed = sessions.iter().filter(|s| s.passed).count();
    let heat = (0..commitments)
        .map(|i| {
            let vals: Vec<f64> = ts
                .iter()
                .map(|t| {
                    view.mastery
                        .get(&t.employee_id)
                        .and_then(|m| m.get(i))
                        .map_or(0.0, |m| m.value)
                })
                .collect();
            let avg = if vals.is_empty() {
                0.0
            } else {
                vals.iter().sum::<f64>() / vals.len() as f64
            };
            (format!("{avg:.0}"), heat(avg))
        })
        .collect();
    CohortRow {
        name: name.to_owned(),
        trainees: ts.len(),
        sessions: sessions.len(),
        pass_rate: if sessions.is_empty() {
            "—".into()
        } else {
            format!("{:.0}%", 100.0 * passed as f64 / sessions.len() as f64)
        },
        heat,
    }
}

struct TraineeRow {
    id: String,
    name: String,
    cohort: String,
    sessions: usize,
    last: String,
}

#[derive(Template)]
#[template(path = "cohorts.html")]
struct Cohorts<'a> {
    w: &'a Words,
    user: Option<User>,
    csrf: String,
    show_names: bool,
    commitments: Vec<(String, String)>,
    rows: Vec<CohortRow>,
    trainees: Vec<TraineeRow>,
    scenarios: Vec<(String, String)>,
}

/// `/`: cohorts with trainees, sessions, pass rate and a mastery heat map.
pub(crate) async fn cohorts(
    State(state): State<Shared>,
    Signed { user, csrf, lang }: Signed,
) -> Response {
    let view = match blocking(&state, |s| s.cache.view(&s.store, &s.curriculum.rulebook)).await {
        Ok(v) => v,
        Err(code) => return refuse(code, lang),
    };
    let rb = &state.curriculum.rulebook;
    let w = super::strings::words(lang);
    let seen: Vec<&Trainee> = view
        .trainees
        .iter()
        .filter(|t| user.sees_cohort(t.cohort.as_deref()))
        .collect();
    let mut by_cohort: BTreeMap<String, Vec<&Trainee>> = BTreeMap::new();
    for t in &seen {
        by_cohort
            .entry(t.cohort.clone().unwrap_or_else(|| w.no_cohort.to_owned()))
            .or_default()
            .push(t);
    }
    let rows = by_cohort
        .iter()
        .map(|(name, ts)| cohort_row(name, ts, &view, rb.commitments.len()))
        .collect();
    let show_names = user.role == Role::Hr;
    let trainees = if show_names {
        seen.iter()
            .map(|t| {
                let own = view.sessions.get(&t.employee_id);
                TraineeRow {
                    id: t.employee_id.clone(),
                    name: crate::text::display_name(&t.name),
                    cohort: t.cohort.clone().unwrap_or_default(),
                    sessions: own.map_or(0, |v| v.len()),
                    last: own
                        .and_then(|v| v.last())
                        .map_or("—".into(), |s| s.grade.to_string()),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    render(&Cohorts {
        w: &w,
        user: Some(user),
        csrf,
        show_names,
        commitments: rb
            .commitments
            .iter()
            .map(|c| (c.id.clone(), c.title.get(lang).to_owned()))
            .collect(),
        rows,
        trainees,
        scenarios: state
            .curriculum
            .scenarios
            .iter()
            .map(|s| (s.id.clone(), s.title.get(lang).to_owned()))
            .collect(),
    })
}

struct SessionRow {
    id: i64,
    date: String,
    scenario: String,
    grade: u32,
    result: &'static str,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "trainee.html")]
struct TraineePage<'a> {
    w: &'a Words,
    user: Option<User>,
    csrf: String,
    id: String,
    name: String,
    cohort: String,
    mastery: Vec<(String, String, String, String)>,
    trend: TrendChart,
    next: String,
    sessions: Vec<SessionRow>,
}

/// The trend of a trainee's grades, session by session (the HTML report's chart).
fn trend_chart(sessions: &[StoredSession], pass: u32) -> TrendChart {
    let n = sessions.len();
    let points: Vec<(f64, f64, String)> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            };
            (
                x,
                f64::from(s.grade),
                format!("{}: {}", crate::clock::date(s.finished), s.grade),
            )
        })
        .collect();
    let date = |s: Option<&StoredSession>| {
        s.map(|s| crate::clock::date(s.finished))
            .unwrap_or_default()
    };
    TrendChart::new(&points, pass, date(sessions.first()), date(sessions.last()))
}

/// The trainee an HR account may open, or why not.
async fn trainee_for(state: &Shared, user: &User, id: String) -> Result<Trainee, StatusCode> {
    if user.role != Role::Hr {
        return Err(StatusCode::FORBIDDEN);
    }
    let t = blocking(state, move |s| s.store.trainee(&id)).await?;
    match t {
        Some(t) if user.sees_cohort(t.cohort.as_deref()) => Ok(t),
        // Another cohort's trainee is not named: the same answer as one that does not exist.
        _ => Err(StatusCode::NOT_FOUND),
    }
}

/// `/trainees/{id}`: mastery, trend, sessions and the next recommended scenario.
pub(crate) async fn trainee(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Signed { user, csrf, lang }: Signed,
) -> Response {
    let t = match trainee_for(&state, &user, id).await {
        Ok(t) => t,
        Err(code) => return refuse(code, lang),
    };
    let eid = t.employee_id.clone();
    let sessions = match blocking(&state, move |s| s.store.sessions_of(&eid)).await {
        Ok(v) => v.into_iter().filter(|s| !s.bot).collect::<Vec<_>>(),
        Err(code) => return refuse(code, lang),
    };
    let w = super::strings::words(lang);
    let cur = &state.curriculum;
    let mastery = crate::profile::mastery(&sessions, &cur.rulebook)
        .into_iter()
        .map(|m| {
            (
                m.commitment.clone(),
                m.title.get(lang).to_owned(),
                format!("{:.0}", m.value),
                heat(m.value),
            )
        })
        .collect();
    let next = crate::profile::recommend(cur, &sessions, &cur.rulebook).map_or_else(
        || w.nothing_next.to_owned(),
        |r| {
            let title = cur
                .scenario(&r.scenario)
                .map_or(r.scenario.clone(), |s| s.title.get(lang).to_owned());
            format!("{title} — {}", r.reason.get(lang))
        },
    );
    let rows = sessions
        .iter()
        .rev()
        .map(|s| SessionRow {
            id: s.id,
            date: crate::clock::date_time(s.finished),
            scenario: cur
                .scenario(&s.scenario)
                .map_or(s.scenario.to_string(), |sc| sc.title.get(lang).to_owned()),
            grade: s.grade,
            result: if s.passed { w.pass } else { w.fail },
            class: if s.passed { "good" } else { "bad" },
        })
        .collect();
    render(&TraineePage {
        w: &w,
        user: Some(user),
        csrf,
        id: t.employee_id.clone(),
        name: crate::text::display_name(&t.name),
        cohort: t.cohort.clone().unwrap_or_else(|| w.no_cohort.to_owned()),
        mastery,
        trend: trend_chart(&sessions, cur.rulebook.pass.overall),
        next,
        sessions: rows,
    })
}

struct TurnRow {
    turn: u32,
    answer: String,
    feedback: String,
    grounds: Vec<String>,
    model: Option<String>,
    class: &'static str,
}

#[derive(Template)]
#[template(path = "session.html")]
struct SessionPage<'a> {
    w: &'a Words,
    user: Option<User>,
    csrf: String,
    scenario: String,
    trainee: String,
    date: String,
    grade: u32,
    result: &'static str,
    class: &'static str,
    turns: Vec<TurnRow>,
}

/// `/sessions/{id}`: the debrief, replayed from the stored choice log.
pub(crate) async fn session(
    State(state): State<Shared>,
    Path(id): Path<i64>,
    Signed { user, csrf, lang }: Signed,
) -> Response {
    if user.role != Role::Hr {
        return refuse(StatusCode::FORBIDDEN, lang);
    }
    let found = blocking(&state, move |s| {
        let Some(stored) = s.store.session(id)? else {
            return Ok(None);
        };
        let log = s.store.choice_log(id)?;
        Ok(Some((stored, log)))
    })
    .await;
    let (stored, log) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, lang),
        Err(code) => return refuse(code, lang),
    };
    // The session's trainee must be one this account may see.
    if let Err(code) = trainee_for(&state, &user, stored.employee_id.to_string()).await {
        return refuse(code, lang);
    }
    let cur = &state.curriculum;
    let Some(sc) = cur.scenario(&log.scenario) else {
        return refuse(StatusCode::NOT_FOUND, lang);
    };
    let Ok((_, card)) =
        crate::scoring::replay(sc.clone(), cur.rulebook.clone(), log.seed, &log.choices)
    else {
        return refuse(StatusCode::NOT_FOUND, lang);
    };
    let w = super::strings::words(lang);
    let turns = card
        .debrief
        .iter()
        .map(|d| TurnRow {
            turn: d.turn as u32,
            answer: d.answer.get(lang).to_owned(),
            feedback: d.feedback.get(lang).to_owned(),
            grounds: d.grounds.iter().map(|g| g.get(lang).to_owned()).collect(),
            model: d.model_answer.as_ref().map(|(_, m)| m.get(lang).to_owned()),
            class: if d.model {
                "good"
            } else if d.violations.is_empty() {
                "warn"
            } else {
                "bad"
            },
        })
        .collect();
    render(&SessionPage {
        w: &w,
        user: Some(user),
        csrf,
        scenario: sc.title.get(lang).to_owned(),
        trainee: stored.employee_id.to_string(),
        date: crate::clock::date_time(stored.finished),
        grade: stored.grade,
        result: if stored.passed { w.pass } else { w.fail },
        class: if stored.passed { "good" } else { "bad" },
        turns,
    })
}

struct OptionRow {
    text: String,
    share: String,
    model: bool,
}

struct ItemRow {
    node: String,
    reached: usize,
    p: String,
    r: String,
    options: Vec<OptionRow>,
    flags: Vec<String>,
    provisional: bool,
}

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage<'a> {
    w: &'a Words,
    user: Option<User>,
    csrf: String,
    title: String,
    sessions: usize,
    items: Vec<ItemRow>,
}

/// `/scenarios/{id}/items`: item analysis of each choice point.
pub(crate) async fn items(
    State(state): State<Shared>,
    Path(id): Path<String>,
    Signed { user, csrf, lang }: Signed,
) -> Response {
    let Some(sc) = state.curriculum.scenario(&id).cloned() else {
        return refuse(StatusCode::NOT_FOUND, lang);
    };
    let analysis = match item_analysis(&state, &user, &sc).await {
        Ok(a) => a,
        Err(code) => return refuse(code, lang),
    };
    let w = super::strings::words(lang);
    let fixed = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |v| format!("{v:.2}"));
    let items = analysis
        .items
        .iter()
        .map(|it| ItemRow {
            node: it.node.clone(),
            reached: it.reached,
            p: fixed(it.p),
            r: fixed(it.discrimination),
            options: it
                .options
                .iter()
                .map(|o| OptionRow {
                    text: o.text.clone(),
                    share: format!("{:.0}%", o.share * 100.0),
                    model: o.model,
                })
                .collect(),
            flags: it.flags.clone(),
            provisional: it.provisional,
        })
        .collect();
    render(&ItemsPage {
        w: &w,
        user: Some(user),
        csrf,
        title: sc.title.get(lang).to_owned(),
        sessions: analysis.sessions,
        items,
    })
}

/// A scenario's item analysis over the sessions `user` may see, cached until a session is added.
async fn item_analysis(
    state: &Shared,
    user: &User,
    sc: &Arc<crate::scenario::Scenario>,
) -> Result<Arc<crate::report::items::ItemAnalysis>, StatusCode> {
    let (user, sc) = (user.clone(), sc.clone());
    blocking(state, move |s| {
        let view = s.cache.view(&s.store, &s.curriculum.rulebook)?;
        let key = (sc.id.clone(), user.cohorts.clone());
        if let Some((at, a)) = s
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&key)
            && *at == view.last_id
        {
            return Ok(a.clone());
        }
        let sessions: Vec<StoredSession> = view
            .trainees
            .iter()
            .filter(|t| user.sees_cohort(t.cohort.as_deref()))
            .filter_map(|t| view.sessions.get(&t.employee_id))
            .flat_map(|v| v.iter().filter(|s| *s.scenario == *sc.id).cloned())
            .collect();
        let choices = s.store.choices_of(&sc.id)?;
        let a = Arc::new(crate::report::items::analyse(
            &sc,
            &s.curriculum.rulebook,
            &sessions,
            &choices,
        ));
        s.items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(key, (view.last_id, a.clone()));
        Ok(a)
    })
    .await
}

/// The records an HR account may export, or why not.
async fn exportable(state: &Shared, user: User, lang: Lang) -> Result<Records, Response> {
    if user.role != Role::Hr {
        return Err(refuse(StatusCode::FORBIDDEN, lang));
    }
    blocking(state, move |s| {
        let all = s.store.records(&Filter::default())?;
        let mut r = visible(all, &user);
        // Like the pages, the dashboard's exports leave bots' sessions out (the CLI's CSV marks
        // them instead); unreadable rows were already left out of the records.
        r.skipped.clear();
        Ok(r)
    })
    .await
    .map_err(|code| refuse(code, lang))
}

/// Chunks of an export on their way to the browser.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Vec<u8>>,
    buf: Vec<u8>,
}

/// Bytes sent to the browser per chunk.
const CHUNK: usize = 64 * 1024;

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        // The browser went away: stop writing.
        self.tx
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

/// An export streamed as the CLI writes it: `write` runs on a blocking thread and its output goes
/// to the browser chunk by chunk, never held whole in memory.
fn stream(
    content_type: &'static str,
    disposition: &'static str,
    write: impl FnOnce(&mut ChannelWriter) -> std::io::Result<()> + Send + 'static,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    tokio::task::spawn_blocking(move || {
        let mut w = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if write(&mut w).is_ok() {
            let _ = std::io::Write::flush(&mut w);
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response()
}

/// `/export.csv`: the CSV report of the account's cohorts.
pub(crate) async fn export_csv(
    State(state): State<Shared>,
    Signed { user, lang, .. }: Signed,
) -> Response {
    let records = match exportable(&state, user, lang).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    stream(
        "text/csv; charset=utf-8",
        "attachment; filename=\"care-trainer.csv\"",
        move |w| {
            crate::report::write_csv(&records, &state.curriculum.rulebook, lang, w)
                .map_err(std::io::Error::other)
        },
    )
}

/// `/export/xapi.json`: xAPI statements of the account's cohorts.
pub(crate) async fn export_xapi(
    State(state): State<Shared>,
    Signed { user, lang, .. }: Signed,
) -> Response {
    let records = match exportable(&state, user, lang).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let home = std::env::var("CARE_TRAINER_XAPI_HOME_PAGE")
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| crate::report::DEFAULT_HOME_PAGE.to_owned());
    stream(
        "application/json",
        "attachment; filename=\"care-trainer-xapi.json\"",
        move |w| {
            crate::report::write_xapi(&records, &state.curriculum, &home, w)
                .map_err(std::io::Error::other)
        },
    )
}
