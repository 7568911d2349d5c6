//! A real headless Chromium (driven by chromedriver over WebDriver) signs in to the dashboard,
//! opens a cohort page, a trainee, a session and an item analysis, and each screenshot is
//! checked: not blank, the brand blue of the header drawn, the page's own words in its source.
//!
//! SKIPPED without chromium and chromedriver, unless `CARE_TRAINER_CHROMIUM=required` (CI).

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

use crate::web::{PASSWORD, dashboard};

struct Kill(Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One WebDriver command: JSON in, the `value` out.
fn wd(addr: SocketAddr, method: &str, path: &str, body: &Value) -> Value {
    let mut s = TcpStream::connect(addr).expect("chromedriver");
    s.set_read_timeout(Some(Duration::from_secs(120)))
        .expect("timeout");
    let body = if method == "POST" {
        body.to_string()
    } else {
        String::new()
    };
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).expect("send");
    // chromedriver answers with a Content-Length body and may keep the connection open: read
    // the head, then exactly that many bytes.
    let mut raw = Vec::new();
    let mut byte = [0u8; 1];
    while !raw.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut byte).expect("read head");
        raw.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).expect("read body");
    let text = String::from_utf8_lossy(&body);
    let v: Value =
        serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("{e}: {head}{text}"));
    v["value"].clone()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// Counts pixels near a colour in a PNG screenshot; (matching, total).
fn pixels_near(png_bytes: &[u8], rgb: [u8; 3]) -> (usize, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let near = pixels
        .chunks_exact(channels)
        .filter(|p| (0..3).all(|i| p[i].abs_diff(rgb[i]) <= 8))
        .count();
    (near, pixels.len() / channels)
}

#[test]
fn a_browser_signs_in_and_reads_every_page() {
    let have = |c: &str| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("chromium") || !have("chromedriver") {
        assert!(
            std::env::var("CARE_TRAINER_CHROMIUM").as_deref() != Ok("required"),
            "CI must have Debian `chromium` and `chromium-driver` (scripts/install-system-packages.sh)"
        );
        println!("a_browser_signs_in_and_reads_every_page: SKIPPED (no chromium/chromedriver)");
        return;
    }
    let d = dashboard();
    let port = free_port();
    let _driver = Kill(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let wd_addr: SocketAddr = format!("127.0.0.1:{port}").parse().expect("addr");
    let start = std::time::Instant::now();
    while TcpStream::connect(wd_addr).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let profile = tempfile::tempdir().expect("profile");
    let session = wd(
        wd_addr,
        "POST",
        "/session",
        &json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--window-size=1280,1000",
                     format!("--user-data-dir={}", profile.path().display())]
        }}}}),
    );
    let id = session["sessionId"]
        .as_str()
        .expect("a browser session")
        .to_owned();
    let base = format!("http://{}", d.addr);
    let go = |path: &str| {
        wd(
            wd_addr,
            "POST",
            &format!("/session/{id}/url"),
            &json!({"url": format!("{base}{path}")}),
        );
    };
    let find = |css: &str| -> String {
        let e = wd(
            wd_addr,
            "POST",
            &format!("/session/{id}/element"),
            &json!({"using": "css selector", "value": css}),
        );
        e.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {e}"))
            .to_owned()
    };
    let source = || {
        wd(
            wd_addr,
            "GET",
            &format!("/session/{id}/source"),
            &Value::Null,
        )
        .as_str()
        .unwrap_or("")
        .to_owned()
    };
    let shot = |name: &str| -> Vec<u8> {
        let b64 = wd(
            wd_addr,
            "GET",
            &format!("/session/{id}/screenshot"),
            &Value::Null,
        );
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64"))
            .expect("png");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/dashboard");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join(name), &bytes);
        bytes
    };
    go("/login");
    let login = find("#login");
    wd(
        wd_addr,
        "POST",
        &format!("/session/{id}/element/{login}/value"),
        &json!({"text": "hr.all"}),
    );
    let pass = find("#password");
    wd(
        wd_addr,
        "POST",
        &format!("/session/{id}/element/{pass}/value"),
        &json!({"text": PASSWORD}),
    );
    let submit = find("#submit");
    wd(
        wd_addr,
        "POST",
        &format!("/session/{id}/element/{submit}/click"),
        &json!({}),
    );
    std::thread::sleep(Duration::from_millis(500));
    let home = source();
    assert!(
        home.contains("Các nhóm học viên") && home.contains("Nguyễn Thị Mai"),
        "{home}"
    );
    let png = shot("1-cohorts.png");
    let (white, total) = pixels_near(&png, [255, 255, 255]);
    assert!(white < total * 97 / 100, "the cohorts page is not blank");
    let (brand, _) = pixels_near(&png, [0x00, 0x5b, 0xb5]);
    assert!(brand > 5_000, "the header bar is drawn ({brand} px)");
    for (path, must, name) in [
        ("/trainees/NV100", "Mức thành thạo", "2-trainee.png"),
        (
            &*format!("/sessions/{}", d.k2_session),
            "Diễn biến phiên",
            "3-session.png",
        ),
        (
            "/scenarios/th1_hai_long_ca_nhan/items",
            "Độ phân biệt",
            "4-items.png",
        ),
    ] {
        go(path);
        let page = source();
        assert!(page.contains(must), "{path}: {page}");
        let png = shot(name);
        let (white, total) = pixels_near(&png, [255, 255, 255]);
        assert!(white < total * 98 / 100, "{path} is not blank");
    }
    wd(wd_addr, "DELETE", &format!("/session/{id}"), &Value::Null);
}
