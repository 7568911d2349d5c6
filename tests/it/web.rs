//! The HR web dashboard over real HTTP on loopback: sign-in, roles and cohorts, CSRF, forged
//! cookies, injection, sign-out, and what each page shows.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use care_trainer::explore::{Policy, play};
use care_trainer::profile::accounts::Role;
use care_trainer::profile::{Mode, NewSession, Store};

use crate::support::curriculum;

/// A response: status, headers (lower-case names), body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A cookie this response sets.
    fn cookie(&self, name: &str) -> Option<String> {
        self.header("set-cookie").into_iter().find_map(|c| {
            let (k, v) = c.split(';').next()?.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn request(addr: SocketAddr, method: &str, path: &str, cookie: &str, form: &str) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !cookie.is_empty() {
        req.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            form.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(form);
    s.write_all(req.as_bytes()).expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        headers,
        body: dechunk(body),
    }
}

/// The body of a chunked response, joined.
fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    loop {
        let Some((size, after)) = rest.split_once("\r\n") else {
            return body.to_owned();
        };
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if n == 0 {
            return out;
        }
        let Some(chunk) = after.get(..n) else {
            return body.to_owned();
        };
        out.push_str(chunk);
        rest = after.get(n + 2..).unwrap_or("");
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A dashboard on a store with two cohorts, their sessions and three accounts.
pub struct Dashboard {
    pub addr: SocketAddr,
    pub k2_session: i64,
    pub db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

pub const PASSWORD: &str = "mat-khau-rat-dai-2026";

pub fn dashboard() -> Dashboard {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("p.db");
    let cur = curriculum();
    let store = Store::open(&db).expect("open");
    store
        .add_trainee_at("NV100", "Nguyễn Thị Mai", Some("K1"), 1)
        .expect("add");
    store
        .add_trainee_at("NV101", "<script>alert(1)</script>", Some("K1"), 1)
        .expect("add");
    store
        .add_trainee_at("NV200", "Trần Văn Khoa", Some("K2"), 1)
        .expect("add");
    let mut k2_session = 0;
    for (i, who) in ["NV100", "NV101", "NV200", "NV100"].iter().enumerate() {
        let sc = cur
            .scenario("th1_hai_long_ca_nhan")
            .expect("scenario")
            .clone();
        let card = play(sc, cur.rulebook.clone(), i as u64 + 1, Policy::Random);
        let log = card.choice_log();
        let id = store
            .record(&NewSession {
                employee_id: who,
                mode: Mode::Assessment,
                log: &log,
                card: &card,
                started_unix: 1_790_000_000 + i as i64 * 1000,
                finished_unix: 1_790_000_600 + i as i64 * 1000,
                registration: None,
            })
            .expect("record");
        if *who == "NV200" {
            k2_session = id;
        }
    }
    store
        .add_user("hr.k1", PASSWORD, Role::Hr, &["K1".into()], 1)
        .expect("user");
    store
        .add_user("hr.all", PASSWORD, Role::Hr, &[], 1)
        .expect("user");
    store
        .add_user("trainer", PASSWORD, Role::Trainer, &[], 1)
        .expect("user");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let served = Store::open(&db).expect("open");
    drop(store);
    std::thread::spawn(move || care_trainer::web::serve_on(listener, served, cur, false));
    Dashboard {
        addr,
        k2_session,
        db,
        _dir: dir,
    }
}

/// Signs in; the session cookie (`ct_session=…`) and the CSRF token of the pages.
pub fn sign_in(addr: SocketAddr, login: &str, password: &str) -> Option<(String, String)> {
    let page = request(addr, "GET", "/login", "", "");
    assert_eq!(page.status, 200);
    let pre = page.cookie("ct_pre").expect("the form's token cookie");
    assert!(page.body.contains(&pre), "the form carries the token");
    let form = format!(
        "login={}&password={}&csrf={pre}",
        urlencode(login),
        urlencode(password)
    );
    let r = request(addr, "POST", "/login", &format!("ct_pre={pre}"), &form);
    if r.status != 303 {
        return None;
    }
    let token = r.cookie("ct_session").expect("session cookie");
    let set = r.header("set-cookie").join(" | ");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = format!("ct_session={token}");
    let home = request(addr, "GET", "/", &cookie, "");
    let csrf = home
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("sign-out form token")
        .to_owned();
    Some((cookie, csrf))
}

#[test]
fn nobody_gets_in_without_signing_in_and_health_answers() {
    let d = dashboard();
    assert_eq!(request(d.addr, "GET", "/healthz", "", "").body, "ok");
    for path in [
        "/",
        "/trainees/NV100",
        "/sessions/1",
        "/scenarios/th1_hai_long_ca_nhan/items",
        "/export.csv",
        "/export/xapi.json",
    ] {
        assert_eq!(request(d.addr, "GET", path, "", "").status, 401, "{path}");
        let forged = format!("ct_session={}", "ab".repeat(32));
        assert_eq!(
            request(d.addr, "GET", path, &forged, "").status,
            401,
            "forged cookie {path}"
        );
        assert_eq!(
            request(d.addr, "GET", path, "ct_session=' OR 1=1 --", "").status,
            401
        );
    }
}

#[test]
fn a_wrong_password_is_refused_and_repeated_failures_are_slowed() {
    let d = dashboard();
    assert!(sign_in(d.addr, "hr.k1", "sai-mat-khau-123").is_none());
    assert!(sign_in(d.addr, "hr.k1", "sai-mat-khau-456").is_none());
    let start = Instant::now();
    assert!(sign_in(d.addr, "hr.k1", "sai-mat-khau-789").is_none());
    assert!(
        start.elapsed() >= Duration::from_millis(400),
        "the third failure waits"
    );
    assert!(sign_in(d.addr, "khong-ton-tai", PASSWORD).is_none());
    // A sign-in form without its token, or with another page's token, is refused.
    let r = request(
        d.addr,
        "POST",
        "/login",
        "",
        &format!("login=hr.k1&password={PASSWORD}"),
    );
    assert_eq!(r.status, 403);
    let r = request(
        d.addr,
        "POST",
        "/login",
        "ct_pre=aaaa",
        &format!("login=hr.k1&password={PASSWORD}&csrf=bbbb"),
    );
    assert_eq!(r.status, 403);
    assert!(
        sign_in(d.addr, "hr.k1", PASSWORD).is_some(),
        "the right password still works"
    );
}

#[test]
fn hr_sees_only_its_cohorts_and_names_are_escaped() {
    let d = dashboard();
    let (cookie, _) = sign_in(d.addr, "hr.k1", PASSWORD).expect("signed in");
    let home = request(d.addr, "GET", "/", &cookie, "");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Nguyễn Thị Mai"));
    assert!(
        !home.body.contains("Trần Văn Khoa"),
        "another cohort's trainee is not shown"
    );
    assert!(
        !home.body.contains("<script>alert(1)"),
        "markup in a name is escaped"
    );
    assert!(
        home.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
    let mine = request(d.addr, "GET", "/trainees/NV100", &cookie, "");
    assert_eq!(mine.status, 200);
    assert!(mine.body.contains("<svg"), "the trend chart");
    assert_eq!(
        request(d.addr, "GET", "/trainees/NV200", &cookie, "").status,
        404
    );
    let other = format!("/sessions/{}", d.k2_session);
    assert_eq!(request(d.addr, "GET", &other, &cookie, "").status, 404);
    assert_eq!(
        request(d.addr, "GET", "/trainees/NV100'%20OR%20'1'='1", &cookie, "").status,
        404
    );
    let csv = request(d.addr, "GET", "/export.csv", &cookie, "");
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("NV100") && !csv.body.contains("NV200"));
    let all = sign_in(d.addr, "hr.all", PASSWORD).expect("signed in").0;
    let page = request(d.addr, "GET", &other, &all, "");
    assert_eq!(page.status, 200, "HR of every cohort opens the session");
    assert!(page.body.contains("Trần Văn Khoa") || page.body.contains("NV200"));
}

#[test]
fn a_trainer_sees_items_and_aggregates_but_no_trainee() {
    let d = dashboard();
    let (cookie, _) = sign_in(d.addr, "trainer", PASSWORD).expect("signed in");
    let home = request(d.addr, "GET", "/", &cookie, "");
    assert_eq!(home.status, 200);
    for name in ["Nguyễn Thị Mai", "Trần Văn Khoa", "NV100", "NV200"] {
        assert!(!home.body.contains(name), "{name} shown to a trainer");
    }
    assert!(
        home.body.contains("K1") && home.body.contains("K2"),
        "cohort aggregates"
    );
    for path in [
        "/trainees/NV100",
        "/sessions/1",
        "/export.csv",
        "/export/xapi.json",
    ] {
        assert_eq!(
            request(d.addr, "GET", path, &cookie, "").status,
            403,
            "{path}"
        );
    }
    let items = request(
        d.addr,
        "GET",
        "/scenarios/th1_hai_long_ca_nhan/items",
        &cookie,
        "",
    );
    assert_eq!(items.status, 200);
    assert!(items.body.contains("Độ khó p") && items.body.contains("tạm tính"));
    let en = request(
        d.addr,
        "GET",
        "/scenarios/th1_hai_long_ca_nhan/items?lang=en",
        &cookie,
        "",
    );
    assert!(en.body.contains("Difficulty p"));
}

#[test]
fn signing_out_needs_the_token_and_ends_the_session() {
    let d = dashboard();
    let (cookie, csrf) = sign_in(d.addr, "hr.all", PASSWORD).expect("signed in");
    assert_eq!(
        request(d.addr, "POST", "/logout", &cookie, "").status,
        403,
        "no token"
    );
    assert_eq!(
        request(d.addr, "POST", "/logout", &cookie, "csrf=0000").status,
        403
    );
    assert_eq!(
        request(d.addr, "GET", "/", &cookie, "").status,
        200,
        "still signed in"
    );
    let out = request(d.addr, "POST", "/logout", &cookie, &format!("csrf={csrf}"));
    assert_eq!(out.status, 303);
    assert_eq!(
        request(d.addr, "GET", "/", &cookie, "").status,
        401,
        "the cookie is dead"
    );
}

/// A session recorded while the dashboard runs shows on the next page (the dashboard keeps what
/// it read and reads only what is new).
#[test]
fn a_new_session_shows_on_the_next_page() {
    let d = dashboard();
    let (cookie, _) = sign_in(d.addr, "hr.all", PASSWORD).expect("signed in");
    let count = |body: &str| -> String {
        // The NV100 row: id, name, cohort, sessions, last grade.
        let row = body.split("NV100</a>").nth(1).expect("NV100 row");
        row.split("<td class=\"num\">")
            .nth(1)
            .and_then(|c| c.split('<').next())
            .expect("cell")
            .to_owned()
    };
    assert_eq!(count(&request(d.addr, "GET", "/", &cookie, "").body), "2");
    let cur = curriculum();
    let store = Store::open(&d.db).expect("open");
    let sc = cur
        .scenario("th1_hai_long_ca_nhan")
        .expect("scenario")
        .clone();
    let card = play(sc, cur.rulebook.clone(), 99, Policy::Best);
    let log = card.choice_log();
    store
        .record(&NewSession {
            employee_id: "NV100",
            mode: Mode::Assessment,
            log: &log,
            card: &card,
            started_unix: 1_790_100_000,
            finished_unix: 1_790_100_600,
            registration: None,
        })
        .expect("record");
    assert_eq!(count(&request(d.addr, "GET", "/", &cookie, "").body), "3");
}
