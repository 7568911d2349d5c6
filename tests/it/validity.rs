//! Validity of the grade: naive test-wise bots, one-slip sessions, cue warnings, branching and the
//! calibration of the rulebook (docs/scenario-format.md §4 and §5). A small fixture meets every
//! rule; each test breaks it in one way.

use std::sync::Arc;

use care_trainer::explore::{Policy, Validity, explore, play, validity};
use care_trainer::rulebook::Rulebook;
use care_trainer::scenario::{Check, EMBEDDED, Scenario};
use care_trainer::scoring::replay;
use care_trainer::text::diagnostic::Code;
use care_trainer::text::load::SourceFile;

use crate::support::{root, run, stdout};

fn fixture() -> String {
    std::fs::read_to_string(root("tests/fixtures/validity/vt_hop_le.ron")).expect("fixture")
}

fn shipped_rulebook() -> String {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == "rulebook.ron")
        .map(|(_, t)| (*t).to_owned())
        .expect("embedded rulebook")
}

/// Checks a scenario text with a rulebook text.
fn check_with(scenario: &str, rulebook: &str) -> Check {
    Check::run(
        Some(SourceFile {
            path: "scenarios/rulebook.ron".into(),
            bytes: rulebook.as_bytes().to_vec(),
        }),
        vec![SourceFile {
            path: "scenarios/vt_hop_le.ron".into(),
            bytes: scenario.as_bytes().to_vec(),
        }],
    )
}

fn load(scenario: &str, rulebook: &str) -> (Check, Arc<Scenario>, Arc<Rulebook>) {
    let c = check_with(scenario, rulebook);
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    let sc = c.scenarios[0].clone();
    let rb = c.rulebook.clone().expect("rulebook");
    (c, sc, rb)
}

fn validity_of(scenario: &str, rulebook: &str) -> (Check, Validity) {
    let (c, sc, rb) = load(scenario, rulebook);
    let e = explore(&sc, &rb);
    let v = validity(&sc, &rb, &e);
    (c, v)
}

fn codes(c: &Check) -> Vec<Code> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// Replaces `from` (which must occur) in the fixture.
fn broken(from: &str, to: &str) -> String {
    let f = fixture();
    assert!(f.contains(from), "fixture lacks {from:?}");
    f.replace(from, to)
}

fn naive(v: &Validity, p: Policy) -> f64 {
    v.naive
        .iter()
        .find(|(q, _)| *q == p)
        .map(|(_, c)| c.rate())
        .expect("policy reported")
}

#[test]
fn the_fixture_meets_every_rule_and_check_is_silent() {
    let (c, v) = validity_of(&fixture(), &shipped_rulebook());
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    assert_eq!(v.problems(), Vec::<String>::new());
    assert_eq!(v.naive.len(), 6);
    for (p, count) in &v.naive {
        assert_eq!(count.sessions, 2_000, "{}", p.as_str());
    }
    assert!(v.minor_slips.sessions > 0 && v.critical_slips.sessions > 0);
    assert_eq!(v.critical_slips.passed, 0);
    assert_eq!(v.branching.endings_reachable, 3);
}

/// Long model answers everywhere: the longest bot passes, `check` warns W0204 and W0205.
#[test]
fn a_model_answer_spotted_by_length_is_reported() {
    let padding = " Em sẽ theo dõi và báo lại kết quả sớm nhất cho mình ạ.";
    let mut text = fixture();
    for id in [
        "\"chao\"",
        "\"xin_loi\"",
        "\"xin_loi_muon\"",
        "\"hoi_dia_chi\"",
        "\"chuyen_mang_luoi\"",
        "\"cam_on\"",
    ] {
        // The model's `vi:` follows its id on the same line: pad the end of that string.
        let at = text.find(&format!("(id: {id}, vi: \"")).expect(id);
        let close = at + text[at..].find("\", en:").expect("vi end");
        text.insert_str(close, padding);
    }
    let (c, v) = validity_of(&text, &shipped_rulebook());
    let codes = codes(&c);
    assert!(codes.contains(&Code::ModelLengthCue), "{codes:?}");
    assert!(codes.contains(&Code::ModelMuchLonger), "{codes:?}");
    assert!(naive(&v, Policy::Longest) > 0.9, "{:?}", v.naive);
    assert_eq!(v.cues.model_longest, v.cues.choice_points);
    let problems = v.problems().join("\n");
    assert!(problems.contains("`longest` bot"), "{problems}");
    assert!(problems.contains("longest option at 6 of 6"), "{problems}");
    // The diagnostic points at a model answer's id.
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ModelMuchLonger)
        .expect("W0205");
    assert_eq!(d.file, "scenarios/vt_hop_le.ron");
    assert!(d.line > 20, "{d:?}");
}

/// The model the shortest everywhere: W0204 with "shortest".
#[test]
fn a_model_answer_spotted_by_shortness_is_reported() {
    let mut text = fixture();
    for (id, short) in [
        ("\"chao\"", "Dạ, em chào ạ."),
        ("\"xin_loi\"", "Dạ, em xin lỗi ạ."),
        ("\"xin_loi_muon\"", "Dạ, em xin lỗi ạ."),
        ("\"hoi_dia_chi\"", "Dạ, địa chỉ ạ?"),
        ("\"chuyen_mang_luoi\"", "Dạ, em chuyển ạ."),
        ("\"cam_on\"", "Dạ, em cảm ơn ạ."),
    ] {
        let pattern = format!("(id: {id}, vi: \"");
        let at = text.find(&pattern).expect(id) + pattern.len();
        let close = at + text[at..].find("\", en:").expect("vi end");
        text.replace_range(at..close, short);
    }
    let (c, v) = validity_of(&text, &shipped_rulebook());
    assert_eq!(v.cues.model_shortest, 6);
    assert!(
        v.problems()
            .join("\n")
            .contains("shortest option at 6 of 6")
    );
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ModelLengthCue)
        .expect("W0204");
    assert!(d.message.contains("shortest"), "{}", d.message);
    assert!(naive(&v, Policy::Shortest) > 0.9, "{:?}", v.naive);
}

/// Wrong options without courtesy words at the opening: W0206.
#[test]
fn a_model_answer_that_is_the_only_polite_one_is_reported() {
    let text = broken(
        "vi: \"Dạ, {honorific} đọc giúp em số thuê bao ạ.\"",
        "vi: \"{Honorific} đọc số thuê bao đi.\"",
    )
    .replace(
        "vi: \"Dạ, sóng điện thoại ở nhà {honorific} tệ lắm phải không ạ?\"",
        "vi: \"Sóng điện thoại ở nhà {honorific} tệ lắm phải không?\"",
    );
    let (c, v) = validity_of(&text, &shipped_rulebook());
    assert_eq!(v.cues.model_only_polite, 1);
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::ModelOnlyPolite)
        .expect("W0206");
    assert!(d.message.contains("`mo_dau`"), "{}", d.message);
}

/// Every option leading to the same place: W0207, too few consequences and endings.
#[test]
fn a_call_whose_choices_never_change_course_is_reported() {
    let text = broken("next: \"leo_thang\"", "next: \"tim_hieu\"").replace(
        "branches: [(when: MoodAtLeast(50), next: \"ket_hai_long\")], next: \"ket_tam_on\"",
        "next: \"ket_tam_on\"",
    );
    let c = check_with(&text, &shipped_rulebook());
    // `leo_thang` is now unreachable, an error; drop it from the graph instead.
    assert!(codes(&c).contains(&Code::Unreachable));
    let start = text
        .find("        (\n            id: \"leo_thang\"")
        .expect("node");
    let end = start
        + text[start..]
            .find("        (\n            id: \"tim_hieu\"")
            .expect("next");
    let mut text = text;
    text.replace_range(start..end, "");
    let (c, v) = validity_of(&text, &shipped_rulebook());
    assert_eq!(v.branching.with_consequences, 0, "{:?}", v.branching);
    assert_eq!(v.branching.endings_reachable, 1);
    let problems = v.problems().join("\n");
    assert!(
        problems.contains("change the course at 0 of 5"),
        "{problems}"
    );
    assert!(problems.contains("1 different endings"), "{problems}");
    let w = codes(&c)
        .iter()
        .filter(|&&x| x == Code::NoConsequence)
        .count();
    assert_eq!(w, 5, "{:#?}", c.diagnostics);
}

/// Under the old calibration (every scored commitment ≥ 50 % in each session, major −10/−3) one
/// ordinary slip failed the call; the validity report says so.
#[test]
fn minor_slips_that_fail_the_call_are_reported() {
    let old = shipped_rulebook()
        .replace("weak_commitments_allowed: 2", "weak_commitments_allowed: 0")
        .replace(
            "major: (grade: 8, commitment: 2)",
            "major: (grade: 10, commitment: 3)",
        );
    assert_ne!(old, shipped_rulebook(), "the calibration lines moved");
    let (_, v) = validity_of(&fixture(), &old);
    assert!(v.minor_slips.rate() < 0.8, "{:?}", v.minor_slips);
    assert!(
        v.problems()
            .join("\n")
            .contains("one minor slip passes only")
    );
    let (_, now) = validity_of(&fixture(), &shipped_rulebook());
    assert!(now.minor_slips.rate() >= 0.8, "{:?}", now.minor_slips);
}

#[test]
fn a_passing_critical_slip_breaks_a_rule() {
    let (_, mut v) = validity_of(&fixture(), &shipped_rulebook());
    v.critical_slips.passed = 1;
    assert!(
        v.problems()
            .iter()
            .any(|p| p.contains("critical-slip sessions pass"))
    );
}

/// The calibrated grade: one ordinary mistake costs points but passes; two fail; any critical
/// violation fails with at most the cap.
#[test]
fn one_ordinary_mistake_costs_points_but_not_the_pass() {
    let (_, sc, rb) = load(&fixture(), &shipped_rulebook());
    let path = |ids: &[&str]| -> (u32, bool) {
        let choices: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        let (_, card) = replay(sc.clone(), rb.clone(), 5, &choices).expect("replays");
        (card.grade, card.passed)
    };
    let model = path(&[
        "chao",
        "xin_loi",
        "hoi_dia_chi",
        "chuyen_mang_luoi",
        "cam_on",
    ]);
    assert_eq!(model, (100, true));
    let one_major = path(&["chao", "xin_loi", "doan_bua", "chuyen_mang_luoi", "cam_on"]);
    assert!(one_major.1 && one_major.0 < 90, "{one_major:?}");
    let two_majors = path(&["chao", "xin_loi", "doan_bua", "goi_tong_dai", "cam_on"]);
    assert!(!two_majors.1, "{two_majors:?}");
    let one_critical = path(&["chao", "xin_loi", "dieu_kien", "chuyen_mang_luoi", "cam_on"]);
    assert!(!one_critical.1 && one_critical.0 <= rb.penalties.critical_cap);
    // A mistake recovered later: the customer escalates, an apology brings the call back.
    let recovered = path(&[
        "chao",
        "bao_ve",
        "xin_loi_muon",
        "hoi_dia_chi",
        "chuyen_mang_luoi",
        "cam_on",
    ]);
    assert!(recovered.1 && recovered.0 < 100, "{recovered:?}");
}

/// The naive bots pick by what is on the screen, in the order shown.
#[test]
fn naive_bots_pick_by_the_surface_of_the_options() {
    let (_, sc, rb) = load(&fixture(), &shipped_rulebook());
    for seed in [1, 2, 3] {
        // At the opening the echo bot repeats "sóng điện thoại ở nhà" from the customer's line.
        let echo = play(sc.clone(), rb.clone(), seed, Policy::Echo);
        assert_eq!(echo.debrief[0].choice, "goi_y");
        assert!(!echo.passed);
        // The longest option at the opening is the leading question, too.
        let longest = play(sc.clone(), rb.clone(), seed, Policy::Longest);
        assert_eq!(longest.debrief[0].choice, "goi_y");
        let shortest = play(sc.clone(), rb.clone(), seed, Policy::Shortest);
        let lens: Vec<usize> = shortest
            .debrief
            .iter()
            .map(|d| d.answer.vi.chars().count())
            .collect();
        assert!(!lens.is_empty());
        // Politest: the courteous promise and the courteous leading question tempt it.
        let polite = play(sc.clone(), rb.clone(), seed, Policy::Politest);
        assert!(!polite.passed, "{:?}", polite.debrief);
    }
    // `first` follows the shuffled order: over seeds it does not always pick the same option.
    let firsts: std::collections::HashSet<String> = (0..20)
        .map(|s| {
            play(sc.clone(), rb.clone(), s, Policy::First).debrief[0]
                .choice
                .clone()
        })
        .collect();
    assert!(firsts.len() >= 2, "{firsts:?}");
}

#[test]
fn sim_runs_the_naive_bots_and_explore_reports_validity() {
    let dir = root("tests/fixtures/validity");
    let dir = dir.to_str().expect("utf-8 path");
    for policy in ["longest", "shortest", "politest", "echo", "first"] {
        let o = run(
            &[
                "--scenarios",
                dir,
                "sim",
                "vt_hop_le",
                "--runs",
                "200",
                "--policy",
                policy,
                "--json",
            ],
            None,
        );
        assert_eq!(o.status.code(), Some(0), "{policy}");
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
        assert_eq!(v[0]["policy"], policy);
        assert!(
            v[0]["pass_rate"].as_f64().expect("rate") <= 5.0,
            "{policy}: {v}"
        );
    }
    let o = run(
        &["--scenarios", dir, "explore", "vt_hop_le", "--json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let val = &v["validity"];
    for bot in ["longest", "shortest", "politest", "echo", "first", "random"] {
        assert_eq!(val["naive"][bot]["runs"], 2000, "{bot}");
    }
    assert_eq!(val["slips"]["critical"]["pass_rate"], 0.0);
    assert_eq!(val["slips"]["minor"]["pass_rate"], 1.0);
    assert_eq!(val["cues"]["choice_points"], 6);
    assert_eq!(val["cues"]["model_longest_limit"], 4);
    assert_eq!(val["branching"]["endings_reachable"], 3);
    assert_eq!(val["problems"], serde_json::json!([]));
}

/// The model the politest option everywhere: the politest bot passes and the rule says so.
#[test]
fn a_model_answer_spotted_by_courtesy_is_reported() {
    let mut text = fixture();
    for id in [
        "\"chao\"",
        "\"xin_loi\"",
        "\"xin_loi_muon\"",
        "\"hoi_dia_chi\"",
        "\"chuyen_mang_luoi\"",
        "\"cam_on\"",
    ] {
        let pattern = format!("(id: {id}, vi: \"");
        let at = text.find(&pattern).expect(id) + pattern.len();
        text.insert_str(at, "Dạ vâng, em cảm ơn, xin phép ");
    }
    let (_, v) = validity_of(&text, &shipped_rulebook());
    assert!(naive(&v, Policy::Politest) > 0.9, "{:?}", v.naive);
    assert!(v.problems().join("\n").contains("`politest` bot"));
}

/// The model repeating the customer's words everywhere: the echo bot passes and the rule says so.
#[test]
fn a_model_answer_spotted_by_echoing_the_customer_is_reported() {
    let mut text = fixture();
    for (id, line) in [
        ("\"chao\"", "Alo tôi muốn hỏi về sóng điện thoại ở nhà tôi"),
        (
            "\"xin_loi\"",
            "Mấy hôm nay ở nhà tôi mất sóng gọi không được",
        ),
        (
            "\"xin_loi_muon\"",
            "Máy tôi mới mua cho tôi gặp quản lý của em",
        ),
        ("\"hoi_dia_chi\"", "Thế giờ em tính sao với tôi"),
        ("\"chuyen_mang_luoi\"", "Ừ vậy rồi sao nữa"),
        ("\"cam_on\"", "Được rồi tôi chờ em gọi lại"),
    ] {
        let pattern = format!("(id: {id}, vi: \"");
        let at = text.find(&pattern).expect(id) + pattern.len();
        text.insert_str(at, &format!("{line}: "));
    }
    let (_, v) = validity_of(&text, &shipped_rulebook());
    assert!(naive(&v, Policy::Echo) > 0.9, "{:?}", v.naive);
    assert!(v.problems().join("\n").contains("`echo` bot"));
}
