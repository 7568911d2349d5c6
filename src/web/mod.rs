//! `care-trainer serve`: the HR web dashboard. Server-rendered HTML (askama templates under
//! `templates/`, escaped by default), no JavaScript, Vietnamese first with an English toggle
//! (`?lang=en`). Sign-in with a login and password (Argon2id), a random session cookie (HttpOnly,
//! SameSite=Strict; Secure behind `--tls-proxy`) kept server-side with an expiry, a CSRF token on
//! every form, failed sign-ins slowed down. HR sees the trainees of their cohorts; a trainer sees
//! item analysis and anonymised aggregates. Anything else is 401 or 403.
//!
//! The store is the one the CLI uses (SQLite file or the central PostgreSQL); its calls run on
//! tokio's blocking threads.

mod cache;
mod pages;
mod strings;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use crate::profile::Store;
use crate::profile::accounts::User;
use crate::scenario::Curriculum;
use crate::text::Lang;

/// How long a browser stays signed in without signing in again.
pub const SESSION_TTL: i64 = 8 * 3600;
/// Longest wait added after repeated failed sign-ins for one login.
const MAX_PENALTY: Duration = Duration::from_secs(5);
/// Logins whose failed sign-ins are counted at most (memory stays bounded).
const MAX_TRACKED: usize = 10_000;
/// Failed sign-ins older than this are forgotten when the count is full.
const FORGET_AFTER: Duration = Duration::from_secs(900);
/// The session cookie.
const COOKIE: &str = "ct_session";
/// The cookie of the sign-in form's CSRF token (before anyone is signed in).
const PRE_COOKIE: &str = "ct_pre";

/// What `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (loopback by default; put a TLS proxy in front for a network).
    pub listen: SocketAddr,
    /// Behind a TLS-terminating proxy: cookies are marked Secure.
    pub tls_proxy: bool,
}

/// Shared by every request.
pub(crate) struct AppState {
    pub(crate) store: Store,
    pub(crate) curriculum: Curriculum,
    /// Trainees, sessions and mastery between requests.
    pub(crate) cache: cache::Cache,
    /// Item analyses by (scenario, cohorts seen), with the last session id they include.
    pub(crate) items:
        Mutex<HashMap<(String, Vec<String>), (i64, Arc<crate::report::items::ItemAnalysis>)>>,
    secure: bool,
    /// Failed sign-ins per login: (count, last).
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

type Shared = Arc<AppState>;

/// Runs the dashboard until the process is stopped.
pub fn serve(store: Store, curriculum: Curriculum, options: &ServeOptions) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(options.listen)?;
    eprintln!(
        "care-trainer serve: http://{} ({})",
        listener.local_addr()?,
        store.location()
    );
    serve_on(listener, store, curriculum, options.tls_proxy)
}

/// Runs the dashboard on a bound listener (tests bind port 0) until the process is stopped.
pub fn serve_on(
    listener: std::net::TcpListener,
    store: Store,
    curriculum: Curriculum,
    tls_proxy: bool,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(store, curriculum, tls_proxy)).await
    })
}

/// The routes (tests drive them without a socket).
pub fn router(store: Store, curriculum: Curriculum, secure: bool) -> Router {
    let state = Arc::new(AppState {
        store,
        curriculum,
        cache: cache::Cache::default(),
        items: Mutex::new(HashMap::new()),
        secure,
        failures: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/", get(pages::cohorts))
        .route("/trainees/{id}", get(pages::trainee))
        .route("/sessions/{id}", get(pages::session))
        .route("/scenarios/{id}/items", get(pages::items))
        .route("/export.csv", get(pages::export_csv))
        .route("/export/xapi.json", get(pages::export_xapi))
        .with_state(state)
}

/// `?lang=en`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LangQuery {
    lang: Option<String>,
}

impl LangQuery {
    pub(crate) fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default()
    }
}

/// A page's answer when something is wrong: a status and a short bilingual page.
pub(crate) fn refuse(status: StatusCode, lang: Lang) -> Response {
    let w = strings::words(lang);
    let text = match status {
        StatusCode::UNAUTHORIZED => w.sign_in_first,
        StatusCode::FORBIDDEN => w.forbidden,
        StatusCode::NOT_FOUND => w.not_found,
        _ => w.failed,
    };
    let page = pages::render(&pages::Message {
        w: &w,
        user: None,
        csrf: String::new(),
        text,
    });
    (status, page).into_response()
}

/// A request from a signed-in browser: the account, its CSRF token and the page language. A
/// handler that takes one answers 401 to anyone else.
pub(crate) struct Signed {
    pub(crate) user: User,
    pub(crate) csrf: String,
    pub(crate) lang: Lang,
}

impl axum::extract::FromRequestParts<Shared> for Signed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<Signed, Response> {
        let lang = Query::<LangQuery>::try_from_uri(&parts.uri)
            .map(|q| q.0.lang())
            .unwrap_or_default();
        match signed_in(state, &parts.headers).await {
            Some((user, csrf)) => Ok(Signed { user, csrf, lang }),
            None => Err(refuse(StatusCode::UNAUTHORIZED, lang)),
        }
    }
}

/// The signed-in account and its CSRF token, from the session cookie.
pub(crate) async fn signed_in(state: &Shared, headers: &HeaderMap) -> Option<(User, String)> {
    let token = cookie(headers, COOKIE)?;
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let state = state.clone();
    tokio::task::spawn_blocking(move || {
        state
            .store
            .web_session(&token, crate::clock::now_unix())
            .ok()
            .flatten()
    })
    .await
    .ok()
    .flatten()
}

/// A cookie's value.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn login_page(State(state): State<Shared>, Query(q): Query<LangQuery>) -> Response {
    let pre = crate::profile::accounts::random_hex();
    let w = strings::words(q.lang());
    let page = pages::render(&pages::Login {
        w: &w,
        user: None,
        csrf: pre.clone(),
        error: None,
    });
    let mut response = page.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(PRE_COOKIE, &pre, 3600, state.secure),
    );
    response
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

async fn login(
    State(state): State<Shared>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = q.lang();
    // The form's token must be the one its page set in the cookie (double submit).
    let pre = cookie(&headers, PRE_COOKIE).unwrap_or_default();
    if pre.is_empty() || pre != form.csrf {
        return refuse(StatusCode::FORBIDDEN, lang);
    }
    let penalty = {
        let failures = state
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.get(&form.login).map_or(Duration::ZERO, |(n, _)| {
            Duration::from_millis(100u64.saturating_mul(1 << (*n).min(16))).min(MAX_PENALTY)
        })
    };
    tokio::time::sleep(penalty).await;
    let checked = {
        let state = state.clone();
        let (login, password) = (form.login.clone(), form.password.clone());
        tokio::task::spawn_blocking(move || {
            let user = state
                .store
                .check_password(&login, &password)
                .ok()
                .flatten()?;
            state
                .store
                .open_web_session(&user.login, crate::clock::now_unix(), SESSION_TTL)
                .ok()
        })
        .await
        .ok()
        .flatten()
    };
    let mut failures = state
        .failures
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Some((token, _csrf)) = checked else {
        // Bounded: a flood of made-up logins forgets the oldest (a quarter of an hour) first.
        if failures.len() >= MAX_TRACKED {
            failures.retain(|_, (_, last)| last.elapsed() < FORGET_AFTER);
        }
        let e = failures
            .entry(form.login.clone())
            .or_insert((0, Instant::now()));
        e.0 = e.0.saturating_add(1);
        e.1 = Instant::now();
        drop(failures);
        let w = strings::words(lang);
        let page = pages::render(&pages::Login {
            w: &w,
            user: None,
            csrf: form.csrf,
            error: Some(w.wrong_password),
        });
        return (StatusCode::UNAUTHORIZED, page).into_response();
    };
    failures.remove(&form.login);
    drop(failures);
    let mut response = Redirect::to(&pages::with_lang("/", lang)).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(COOKIE, &token, SESSION_TTL, state.secure),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(PRE_COOKIE, "", 0, state.secure),
    );
    response
}

/// A form that carries only its CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<Shared>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let lang = q.lang();
    let Some((_, csrf)) = signed_in(&state, &headers).await else {
        return refuse(StatusCode::UNAUTHORIZED, lang);
    };
    if form.csrf != csrf {
        return refuse(StatusCode::FORBIDDEN, lang);
    }
    if let Some(token) = cookie(&headers, COOKIE) {
        let state2 = state.clone();
        let _ = tokio::task::spawn_blocking(move || state2.store.close_web_session(&token)).await;
    }
    let mut response = Redirect::to(&pages::with_lang("/login", lang)).into_response();
    *response.status_mut() = StatusCode::SEE_OTHER;
    response
        .headers_mut()
        .insert(header::SET_COOKIE, set_cookie(COOKIE, "", 0, state.secure));
    response
}

/// An HTML page.
pub(crate) fn html(body: String) -> Response {
    Html(body).into_response()
}
