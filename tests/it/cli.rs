//! The real binary: exit codes, JSON shapes, reproducibility.

use serde_json::Value;

use crate::support::{run, stdout};

#[test]
fn check_shipped_scenarios_exits_0_and_json_lists_them() {
    let o = run(&["check", "scenarios"], None);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(&["check", "scenarios", "--format", "json"], None);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["ok"], Value::Bool(true));
    assert_eq!(
        v["rulebook"]["commitments"].as_array().map(Vec::len),
        Some(8)
    );
    let scenarios = v["scenarios"].as_array().expect("scenarios");
    assert!(scenarios.len() >= 9);
    for s in scenarios {
        for key in [
            "id",
            "file",
            "title_vi",
            "situation",
            "segment",
            "steps",
            "nodes",
            "choices",
        ] {
            assert!(!s[key].is_null(), "missing {key}");
        }
    }
    let situations: std::collections::HashSet<&str> = scenarios
        .iter()
        .filter_map(|s| s["situation"].as_str())
        .collect();
    assert_eq!(situations.len(), 4, "{situations:?}");
}

#[test]
fn check_broken_file_exits_1_and_names_file_line_col() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        crate::support::root("scenarios/rulebook.ron"),
        dir.path().join("rulebook.ron"),
    )
    .expect("copy");
    let text = std::fs::read_to_string(crate::support::root("scenarios/th2_da_biet_van_de.ron"))
        .expect("read");
    std::fs::write(
        dir.path().join("hong.ron"),
        text.replacen("next: \"xin_loi\"", "next: \"xin_loix\"", 1),
    )
    .expect("write");
    let path = dir.path().to_string_lossy().into_owned();
    let o = run(&["check", &path], None);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[S0104]"), "{out}");
    assert!(
        out.contains(&format!("--> {}/hong.ron:", dir.path().display())),
        "{out}"
    );
    assert!(out.contains("= help: did you mean `xin_loi`?"), "{out}");
    assert!(out.contains('^'), "marker under the source line: {out}");
    let o = run(&["check", &path, "--format", "json"], None);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["ok"], Value::Bool(false));
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "S0104");
    assert!(d["line"].as_u64().is_some_and(|l| l > 1));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        run(&["check", "--format", "xml"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["sim", "--policy", "random"], None).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
}

#[test]
fn preview_is_reproducible_and_handles_bad_lines() {
    let input = b"1\nabc\n7\n1\n2\n1\n1\n1\n1\n1\n1\n1\n";
    let a = run(
        &["preview", "th2_da_biet_van_de", "--seed", "5"],
        Some(input),
    );
    let b = run(
        &["preview", "th2_da_biet_van_de", "--seed", "5"],
        Some(input),
    );
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    assert_eq!(a.stdout, b.stdout);
    let out = stdout(&a);
    assert!(out.contains("Vui lòng nhập một số"), "{out}");
    assert!(out.contains("KẾT QUẢ"));
    let en = stdout(&run(
        &[
            "preview",
            "th2_da_biet_van_de",
            "--seed",
            "5",
            "--lang",
            "en",
        ],
        Some(input),
    ));
    assert!(en.contains("DEBRIEF"));
    let other = run(
        &["preview", "th2_da_biet_van_de", "--seed", "6"],
        Some(input),
    );
    assert_ne!(a.stdout, other.stdout, "another seed is another customer");
}

#[test]
fn preview_unknown_scenario_suggests() {
    let o = run(&["preview", "th2_da_biet_van_dee"], Some(b""));
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `th2_da_biet_van_de`?"));
}

#[test]
fn sim_is_reproducible() {
    let args = ["sim", "--runs", "300", "--policy", "random", "--seed", "9"];
    let a = run(&args, None);
    let b = run(&args, None);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    assert!(stdout(&a).contains("p50"));
    let j = run(
        &[
            "sim",
            "th2_da_biet_van_de",
            "--runs",
            "100",
            "--policy",
            "best",
            "--json",
        ],
        None,
    );
    let v: Value = serde_json::from_str(&stdout(&j)).expect("json");
    assert_eq!(v[0]["scenario"], "th2_da_biet_van_de");
    assert_eq!(v[0]["pass_rate"].as_f64(), Some(100.0));
}

#[test]
fn explore_and_graph_outputs() {
    let o = run(&["explore", "th2_da_biet_van_de", "--json"], None);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    for key in [
        "scenario",
        "paths",
        "endings",
        "dead_ends",
        "best",
        "worst",
        "commitments",
    ] {
        assert!(!v[key].is_null(), "missing {key}");
    }
    assert_eq!(v["best"]["passed"], Value::Bool(true));
    assert_eq!(v["worst"]["passed"], Value::Bool(false));
    assert!(v["commitments"]["CK7"]["max"].as_u64().is_some());
    let dot = stdout(&run(&["graph", "th2_da_biet_van_de"], None));
    assert!(dot.starts_with("digraph") && dot.contains("darkgreen"));
    let mermaid = stdout(&run(
        &["graph", "th2_da_biet_van_de", "--format", "mermaid"],
        None,
    ));
    assert!(mermaid.starts_with("flowchart LR") && mermaid.contains("linkStyle"));
    let g: Value = serde_json::from_str(&stdout(&run(
        &["graph", "th2_da_biet_van_de", "--format", "json"],
        None,
    )))
    .expect("json");
    let edge = &g["edges"][0];
    assert!(
        edge["scores"].is_object() && edge["violations"].is_array() && !edge["model"].is_null()
    );
}
