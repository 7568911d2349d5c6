//! Validation: every diagnostic code, the shipped curriculum, and broken copies of it.

use std::path::PathBuf;

use care_trainer::scenario::{Check, Curriculum, EMBEDDED};
use care_trainer::text::diagnostic::{Code, Diagnostic};
use care_trainer::text::load::SourceFile;

use crate::support::{curriculum, root};

/// A small valid scenario; each code test breaks it in one way.
const MINI: &str = r#"Scenario(
    id: "mini",
    title: (vi: "Thử", en: "Test"),
    briefing: (vi: "Ngắn gọn.", en: "Short."),
    situation: Complaint,
    segment: Individual,
    customer: (reasons: [(id: "gia", text: (vi: "giá cao", en: "high price"))]),
    steps: [
        (id: "xin_loi", title: (vi: "Xin lỗi", en: "Apologise")),
        (id: "cam_on", title: (vi: "Cảm ơn", en: "Thank")),
    ],
    start: "mo_dau",
    nodes: [
        (
            id: "mo_dau",
            lines: [(vi: "Tôi không vui.", en: "I'm unhappy.")],
            choices: [
                (id: "xin_loi", vi: "Dạ, em xin lỗi {honorific} ạ.", en: "I'm sorry.", step: "xin_loi", model: true,
                 scores: {"CK7": 2}, feedback: (vi: "Đúng.", en: "Right."), next: "ket"),
                (id: "cai", vi: "Không phải lỗi bên em.", en: "Not our fault.", violations: ["khong_xin_loi"],
                 feedback: (vi: "Sai.", en: "Wrong."), next: "ket"),
            ],
        ),
        (
            id: "ket",
            lines: [(vi: "Thôi được.", en: "Fine.")],
            choices: [
                (id: "cam_on", vi: "Em cảm ơn {honorific} ạ.", en: "Thank you.", step: "cam_on", model: true,
                 scores: {"CK8": 2}, feedback: (vi: "Đúng.", en: "Right."), next: "xong"),
            ],
        ),
    ],
    endings: [(id: "xong", outcome: Resolved, score: 100, text: (vi: "Xong.", en: "Done."))],
)
"#;

fn check_text(name: &str, text: &[u8]) -> Check {
    Check::run(
        None,
        vec![SourceFile {
            path: format!("scenarios/{name}"),
            bytes: text.to_vec(),
        }],
    )
}

fn codes(c: &Check) -> Vec<Code> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// Asserts that breaking MINI with `from` → `to` yields `code` at a real position in the file.
fn assert_code(from: &str, to: &str, code: Code) -> Diagnostic {
    assert!(MINI.contains(from), "fixture does not contain {from:?}");
    let broken = MINI.replacen(from, to, 1);
    let c = check_text("mini.ron", broken.as_bytes());
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| {
            panic!(
                "expected {} for {from:?} → {to:?}, got {:#?}",
                code.as_str(),
                c.diagnostics
            )
        })
        .clone();
    assert_eq!(d.file, "scenarios/mini.ron");
    assert!(d.line >= 1 && d.column >= 1);
    d
}

#[test]
fn mini_fixture_is_valid() {
    let c = check_text("mini.ron", MINI.as_bytes());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_eq!(c.scenarios.len(), 1);
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = MINI.as_bytes().to_vec();
    let at = MINI.find("Tôi không").expect("fixture line");
    bytes.insert(at, 0xFF);
    let c = check_text("mini.ron", &bytes);
    assert_eq!(codes(&c), vec![Code::InvalidUtf8]);
    let d = &c.diagnostics[0];
    // `            lines: [(vi: "` is 26 characters: the bad byte is in column 27.
    assert_eq!((d.line, d.column), (16, 27));
}

#[test]
fn empty_file_is_reported_at_1_1() {
    let c = check_text("mini.ron", b"  \n");
    assert_eq!(codes(&c), vec![Code::EmptyFile]);
    assert_eq!((c.diagnostics[0].line, c.diagnostics[0].column), (1, 1));
}

#[test]
fn syntax_error_points_near_the_problem() {
    let d = assert_code(
        "id: \"ket\",\n            lines",
        "id: \"ket\"\n            lines",
        Code::Syntax,
    );
    let id_line = MINI[..MINI.find("id: \"ket\",").expect("ket")]
        .matches('\n')
        .count()
        + 1;
    assert!(
        d.line == id_line || d.line == id_line + 1,
        "line {} vs {id_line}",
        d.line
    );
}

#[test]
fn truncated_file_is_a_syntax_error_at_the_end() {
    let c = check_text("mini.ron", &MINI.as_bytes()[..MINI.len() / 2]);
    assert_eq!(codes(&c), vec![Code::Syntax]);
}

#[test]
fn wrong_type_and_missing_field() {
    assert_code("title: (vi: \"Thử\"", "title: (vi: 12", Code::WrongType);
    assert_code("    start: \"mo_dau\",\n", "", Code::WrongType);
    assert_code(
        "situation: Complaint",
        "situation: Complain",
        Code::WrongType,
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let d = assert_code("next: \"xong\"", "nxt: \"xong\"", Code::UnknownField);
    assert_eq!(d.help.as_deref(), Some("did you mean `next`?"));
}

#[test]
fn absurd_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "Scenario(id: \"x\", when: {}{})",
        "Not(".repeat(100_000),
        ")".repeat(100_000)
    );
    let c = check_text("deep.ron", deep.as_bytes());
    assert!(c.has_errors());
    assert!(
        codes(&c).contains(&Code::TooDeep) || codes(&c).contains(&Code::UnknownField),
        "{:?}",
        codes(&c)
    );
    let parens = "(".repeat(100_000);
    let c = check_text("parens.ron", parens.as_bytes());
    assert!(c.has_errors());
}

#[test]
fn deep_condition_is_too_deep() {
    let cond = format!("when: {}Always{},", "Not(".repeat(200), ")".repeat(200));
    assert_code(
        "step: \"cam_on\",",
        &format!("{cond} step: \"cam_on\","),
        Code::TooDeep,
    );
}

#[test]
fn duplicate_ids() {
    assert_code("id: \"ket\",\n", "id: \"mo_dau\",\n", Code::DuplicateNode);
    assert_code(
        "(id: \"cam_on\", title",
        "(id: \"xin_loi\", title",
        Code::DuplicateId,
    );
    let c = Check::run(
        None,
        vec![
            SourceFile {
                path: "scenarios/a.ron".into(),
                bytes: MINI.as_bytes().to_vec(),
            },
            SourceFile {
                path: "scenarios/b.ron".into(),
                bytes: MINI.as_bytes().to_vec(),
            },
        ],
    );
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DuplicateScenario)
        .expect("duplicate across files");
    assert_eq!(d.file, "scenarios/b.ron");
    assert_eq!((d.line, d.column), (2, 9));
}

#[test]
fn unknown_references_with_hints() {
    let d = assert_code(
        "next: \"ket\"),\n                (id: \"cai\"",
        "next: \"kte\"),\n                (id: \"cai\"",
        Code::UnknownTarget,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `ket`?"));
    assert_code(
        "step: \"xin_loi\", model",
        "step: \"xin_loj\", model",
        Code::UnknownStep,
    );
    let d = assert_code("{\"CK7\": 2}", "{\"CK77\": 2}", Code::UnknownCommitment);
    assert!(d.help.is_some());
    assert_code(
        "[\"khong_xin_loi\"]",
        "[\"khong_xin_loii\"]",
        Code::UnknownViolation,
    );
    assert_code("start: \"mo_dau\"", "start: \"mo_dao\"", Code::MissingStart);
    assert_code(
        "step: \"xin_loi\", model",
        "when: Reason(\"gai\"), step: \"xin_loi\", model",
        Code::UnknownReference,
    );
    assert_code(
        "step: \"xin_loi\", model",
        "when: Flag(\"da_hua\"), step: \"xin_loi\", model",
        Code::UnknownReference,
    );
}

#[test]
fn graph_problems() {
    // The only way to `ket` removed: unreachable, and its step is never performed.
    let broken = MINI.replace("next: \"ket\"", "next: \"xong\"");
    let c = check_text("mini.ron", broken.as_bytes());
    assert!(codes(&c).contains(&Code::Unreachable), "{:?}", codes(&c));
    assert!(
        codes(&c).contains(&Code::StepNeverPerformed),
        "{:?}",
        codes(&c)
    );
    // A node whose only choice can never be offered is a dead end.
    let d = assert_code(
        "step: \"cam_on\",",
        "when: All([MoodAtLeast(80), MoodBelow(20)]), step: \"cam_on\",",
        Code::NeverOffered,
    );
    assert!(d.message.contains("cam_on"));
    // A line that can never be said is reported at that line, not at its node.
    let from = "lines: [(vi: \"Tôi không vui.\", en: \"I'm unhappy.\")]";
    let to = "lines: [(vi: \"Dạ.\", en: \"Yes.\"), (vi: \"Tôi không vui.\", en: \"I'm unhappy.\", when: All([MoodAtLeast(80), MoodBelow(20)]))]";
    let d = assert_code(from, to, Code::NeverOffered);
    assert!(d.message.contains("line 2 of node"), "{d:?}");
    let broken = MINI.replacen(from, to, 1);
    let line = broken.lines().nth(d.line - 1).unwrap_or("");
    assert_eq!(
        line.chars().skip(d.column - 1).take(16).collect::<String>(),
        "\"Tôi không vui.\"",
        "{d:?}"
    );
    let broken = MINI.replace(
        "step: \"cam_on\",",
        "when: Segment(Enterprise), step: \"cam_on\",",
    );
    assert!(codes(&check_text("mini.ron", broken.as_bytes())).contains(&Code::DeadEnd));
}

#[test]
fn placeholders_and_values() {
    let d = assert_code(
        "xin lỗi {honorific}",
        "xin lỗi {honorfic}",
        Code::UnknownPlaceholder,
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `honorific`?"));
    assert_code("score: 100", "score: 300", Code::InvalidValue);
    // Titles, step titles and reasons are shown as written: a placeholder there would reach the
    // trainee as `{honorific}`. The diagnostic points at the placeholder.
    for (from, to, what) in [
        ("(vi: \"Thử\",", "(vi: \"Thử với {honorific}\",", "title"),
        (
            "(vi: \"Xin lỗi\",",
            "(vi: \"Xin lỗi {name}\",",
            "step title",
        ),
        (
            "(vi: \"giá cao\",",
            "(vi: \"giá cao với {company}\",",
            "reason",
        ),
    ] {
        let d = assert_code(from, to, Code::UnknownPlaceholder);
        assert!(
            d.message
                .contains(&format!("in a {what}, where placeholders are not filled")),
            "{d:?}"
        );
        let line = MINI
            .replacen(from, to, 1)
            .lines()
            .nth(d.line - 1)
            .unwrap_or("")
            .to_owned();
        assert_eq!(line.chars().nth(d.column - 1), Some('{'), "{line} {d:?}");
    }
    // Placeholders that are always empty in this scenario: an individual has no company, and
    // without a deadline there are no minutes left.
    for (name, why) in [
        ("company", "segment: Individual"),
        ("lines", "segment: Individual"),
        ("minutes_left", "no `deadline`"),
    ] {
        let d = assert_code(
            "Tôi không vui.",
            &format!("Tôi không vui với {{{name}}}."),
            Code::UnknownPlaceholder,
        );
        assert!(
            d.message.contains("always empty") && d.message.contains(why),
            "{d:?}"
        );
    }
    // The same placeholders are fine where they have a value.
    let enterprise = MINI
        .replacen("segment: Individual", "segment: Enterprise", 1)
        .replacen(
            "Tôi không vui.",
            "Tôi không vui với {company}, {lines} thuê bao.",
            1,
        );
    let c = check_text("mini.ron", enterprise.as_bytes());
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert_code(
        "situation: Complaint,",
        "situation: Complaint, deadline: (step: \"xin_loi\"),",
        Code::InvalidValue,
    );
}

#[test]
fn warnings_do_not_block() {
    let c = check_text(
        "mini.ron",
        MINI.replace("en: \"Thank you.\", ", "").as_bytes(),
    );
    assert!(codes(&c).contains(&Code::MissingEnglish));
    let nfd = MINI.replace("Thôi được.", "Tho\u{302}i đươ\u{31b}\u{323}c.");
    let c = check_text("mini.ron", nfd.as_bytes());
    assert!(codes(&c).contains(&Code::NotNfc));
    assert!(!c.has_errors());
    // MINI scores only CK7 and CK8: checked as a curriculum (with its rulebook), the others are
    // reported as never scored; checked alone, that warning would be noise.
    assert!(!codes(&c).contains(&Code::CommitmentNeverScored));
    let rulebook = std::fs::read(root("scenarios/rulebook.ron")).expect("rulebook");
    let c = Check::run(
        None,
        vec![
            SourceFile {
                path: "scenarios/rulebook.ron".into(),
                bytes: rulebook,
            },
            SourceFile {
                path: "scenarios/mini.ron".into(),
                bytes: MINI.as_bytes().to_vec(),
            },
        ],
    );
    assert!(codes(&c).contains(&Code::CommitmentNeverScored));
    assert!(!c.has_errors());
}

#[test]
fn a_broken_rulebook_is_reported_on_each_scenario() {
    let rulebook = std::fs::read_to_string(root("scenarios/rulebook.ron")).expect("rulebook");
    let broken = rulebook.replace("weights: (commitments: 55", "weights: (commitments: 65");
    let c = Check::run(
        None,
        vec![
            SourceFile {
                path: "scenarios/rulebook.ron".into(),
                bytes: broken.into_bytes(),
            },
            SourceFile {
                path: "scenarios/mini.ron".into(),
                bytes: MINI.as_bytes().to_vec(),
            },
        ],
    );
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == Code::InvalidValue && d.file == "scenarios/rulebook.ron")
    );
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.code == Code::Rulebook && d.file == "scenarios/mini.ron")
    );
}

#[test]
fn comment_only_file_is_empty_and_messages_use_trainer_words() {
    assert_eq!(
        codes(&check_text(
            "mini.ron",
            b"// only a comment

"
        )),
        vec![Code::EmptyFile]
    );
    let d = assert_code("next: \"xong\"", "nxt: \"xong\"", Code::UnknownField);
    assert_eq!(d.message, "unknown field `nxt` in a choice");
    let d = assert_code(
        "situation: Complaint",
        "situation: Complain",
        Code::WrongType,
    );
    assert!(d.message.contains("for `situation`"), "{}", d.message);
    let d = assert_code("score: 100", "score: -1", Code::WrongType);
    assert!(d.help.is_some_and(|h| !h.contains("missing")));
}

#[test]
fn unreadable_path_is_reported() {
    let c = Check::paths(&[PathBuf::from("/nonexistent/ct.ron")]);
    assert_eq!(codes(&c), vec![Code::Unreadable]);
}

#[test]
fn every_code_has_a_documented_section() {
    let doc =
        std::fs::read_to_string(root("docs/scenario-format.md")).expect("docs/scenario-format.md");
    for code in Code::ALL {
        assert!(
            doc.contains(&format!("### {}", code.as_str())),
            "no section for {}",
            code.as_str()
        );
    }
}

#[test]
fn shipped_curriculum_is_valid_and_complete() {
    let cur = curriculum();
    assert!(
        cur.scenarios.len() >= 9,
        "only {} scenarios",
        cur.scenarios.len()
    );
    use care_trainer::scenario::{Segment, Situation};
    for s in [
        Situation::NoComplaint,
        Situation::Complaint,
        Situation::PortOutPassive,
        Situation::PortOutActive,
    ] {
        assert!(
            cur.scenarios.iter().any(|x| x.situation == s),
            "no {s:?} scenario"
        );
    }
    for s in [Segment::Individual, Segment::Enterprise] {
        assert!(
            cur.scenarios.iter().any(|x| x.segment == s),
            "no {s:?} scenario"
        );
    }
    assert_eq!(cur.rulebook.commitments.len(), 8);
}

#[test]
fn embedded_curriculum_equals_the_files() {
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(root("scenarios"))
        .expect("scenarios/")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ron"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).expect("read"),
            )
        })
        .collect();
    on_disk.sort();
    let embedded: Vec<(String, String)> = EMBEDDED
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    assert_eq!(embedded, on_disk);
    let cur = Curriculum::embedded().expect("embedded curriculum is valid");
    assert_eq!(cur.scenarios.len(), curriculum().scenarios.len());
}

/// Every way the issue lists of breaking a shipped scenario: `check` reports an error in that
/// file, with a position, and never panics.
#[test]
fn broken_copies_of_every_shipped_scenario_are_reported() {
    let rulebook = std::fs::read(root("scenarios/rulebook.ron")).expect("rulebook");
    let cur = curriculum();
    for sc in &cur.scenarios {
        let text = std::fs::read_to_string(root(&sc.file)).expect("scenario text");
        let name = "broken.ron";
        let next_at = text.find("next: \"").expect("a next") + 7;
        let close = text.rfind(')').expect("a parenthesis");
        let first_string = text.find("vi: \"").expect("a vi text") + 4;
        let string_end = first_string + 1 + text[first_string + 1..].find('"').expect("string end");
        let mutations: Vec<(&str, Vec<u8>)> = vec![
            ("truncated", text.as_bytes()[..text.len() * 2 / 3].to_vec()),
            (
                "unknown field",
                text.replacen("start:", "sttart: \"x\", start:", 1)
                    .into_bytes(),
            ),
            (
                "misspelt next",
                format!("{}zz{}", &text[..next_at], &text[next_at..]).into_bytes(),
            ),
            ("invalid utf-8", {
                let mut b = text.clone().into_bytes();
                b.insert(text.len() / 2, 0xC3);
                b.insert(text.len() / 2 + 1, 0x28);
                b
            }),
            (
                "closing paren removed",
                format!("{}{}", &text[..close], &text[close + 1..]).into_bytes(),
            ),
            ("emptied", Vec::new()),
            (
                "string replaced by a number",
                format!("{}42{}", &text[..first_string], &text[string_end + 1..]).into_bytes(),
            ),
            ("nested parentheses", "(".repeat(100_000).into_bytes()),
        ];
        for (what, bytes) in mutations {
            let c = Check::run(
                None,
                vec![
                    SourceFile {
                        path: "scenarios/rulebook.ron".into(),
                        bytes: rulebook.clone(),
                    },
                    SourceFile {
                        path: format!("scenarios/{name}"),
                        bytes,
                    },
                ],
            );
            let d = c
                .diagnostics
                .iter()
                .find(|d| d.is_error() && d.file == format!("scenarios/{name}"))
                .unwrap_or_else(|| {
                    panic!(
                        "{}: {what}: no error in the broken file: {:#?}",
                        sc.id, c.diagnostics
                    )
                });
            assert!(d.line >= 1 && d.column >= 1, "{}: {what}", sc.id);
        }
        // The file duplicated under another name.
        let c = Check::run(
            None,
            vec![
                SourceFile {
                    path: "scenarios/rulebook.ron".into(),
                    bytes: rulebook.clone(),
                },
                SourceFile {
                    path: "scenarios/a.ron".into(),
                    bytes: text.clone().into_bytes(),
                },
                SourceFile {
                    path: "scenarios/copy.ron".into(),
                    bytes: text.clone().into_bytes(),
                },
            ],
        );
        assert!(
            c.diagnostics
                .iter()
                .any(|d| d.code == Code::DuplicateScenario && d.file == "scenarios/copy.ron"),
            "{}",
            sc.id
        );
    }
}

/// Scenarios written by trainers from docs/scenario-format.md alone (a check of the doc) pass
/// `check` and are balanced.
#[test]
fn fixtures_written_from_the_doc_pass() {
    let dir = root("tests/fixtures/ok");
    let c = Check::paths(std::slice::from_ref(&dir));
    assert!(!c.has_errors(), "{:#?}", c.diagnostics);
    assert!(!c.scenarios.is_empty(), "no fixture in {}", dir.display());
    let rb = c.rulebook.clone().expect("rulebook");
    for sc in &c.scenarios {
        let e = care_trainer::explore::explore(sc, &rb);
        assert!(
            e.best.passed && !e.worst.passed && e.dead_ends.is_empty(),
            "{}",
            sc.id
        );
    }
}

/// Ids, codes and document names in trainee-facing text are W0209, pointing at the text.
#[test]
fn internal_words_in_trainee_text_are_reported() {
    for (from, to) in [
        (
            "feedback: (vi: \"Sai.\"",
            "feedback: (vi: \"Sai theo Playbook.\"",
        ),
        (
            "feedback: (vi: \"Sai.\"",
            "feedback: (vi: \"Sai (S2-03, CK7).\"",
        ),
        (
            "(vi: \"Thôi được.\"",
            "(vi: \"Thôi được, ghi khong_xin_loi.\"",
        ),
    ] {
        let d = assert_code(from, to, Code::InternalWord);
        assert_eq!(
            d.severity,
            care_trainer::text::diagnostic::Severity::Warning
        );
    }
    // A placeholder is not an id: `{staff_phone}` is filled before the trainee sees it.
    let ok = MINI.replacen(
        "\"Em cảm ơn {honorific} ạ.\"",
        "\"Em cảm ơn {honorific} ạ, số của em là {staff_phone}.\"",
        1,
    );
    assert_ne!(ok, MINI);
    let c = check_text("mini.ron", ok.as_bytes());
    assert!(
        !codes(&c).contains(&Code::InternalWord),
        "{:#?}",
        c.diagnostics
    );
}

/// A choice citing a porting condition the rulebook does not have is S0114 with a suggestion.
#[test]
fn an_unknown_porting_condition_is_reported() {
    let d = assert_code(
        "violations: [\"khong_xin_loi\"],",
        "violations: [\"khong_xin_loi\"], cites: [\"du_90_ngayy\"],",
        Code::UnknownReference,
    );
    assert!(d.message.contains("du_90_ngayy"), "{}", d.message);
    assert!(d.help.is_some_and(|h| h.contains("du_90_ngay")));
}

/// docs/playbook-coverage.md stays true: every playbook entry once, every cited id exists and is
/// graded (scripts/check_coverage.py; Python 3 is on every machine this project runs on).
#[test]
fn playbook_coverage_document_matches_the_scenarios() {
    let o = std::process::Command::new("python3")
        .arg(root("scripts/check_coverage.py"))
        .output();
    let Ok(o) = o else {
        eprintln!("skipped: no python3");
        return;
    };
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("OK: 110 entries"), "{out}");
}
