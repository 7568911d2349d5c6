//! The module layers of docs/ARCHITECTURE.md hold: a module names only modules of lower layers
//! (no import loop), the front ends never name each other, and no file or function in `src/` is
//! longer than the house allows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer; a module may use modules of strictly lower layers only.
const LAYERS: &[(&str, u32)] = &[
    ("text", 0),
    ("clock", 0),
    ("rulebook", 1),
    ("scenario", 2),
    ("customer", 3),
    ("dialogue", 4),
    ("scoring", 5),
    ("explore", 6),
    ("profile", 6),
    ("report", 7),
    ("web", 8),
    ("game", 8),
    ("cli", 9),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read src") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules a file's code names through `crate::…` (comments skipped; `crate::ui!`
/// is the text layer's macro).
fn named_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // `crate::{a, b::c}`: every first segment in the group.
                let inner = group.split('}').next().unwrap_or("");
                out.extend(
                    inner
                        .split(',')
                        .map(|p| p.trim().split("::").next().unwrap_or("").to_owned()),
                );
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(if name == "ui" {
                "text".to_owned()
            } else {
                name
            });
        }
    }
    out.retain(|m| !m.is_empty());
    out
}

fn layer(module: &str) -> Option<u32> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

#[test]
fn modules_only_name_lower_layers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seen_modules = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(src()).expect("under src");
        let Some(own) = rel.iter().next().and_then(|c| c.to_str()) else {
            continue;
        };
        let own = own.trim_end_matches(".rs");
        if own == "lib" || own == "main" {
            continue;
        }
        let own_layer = layer(own).unwrap_or_else(|| {
            panic!("module `{own}` has no layer in LAYERS and docs/ARCHITECTURE.md")
        });
        seen_modules.push(own.to_owned());
        let code = std::fs::read_to_string(f).expect("read");
        for used in named_modules(&code) {
            if used == own {
                continue;
            }
            let ok = layer(&used).is_some_and(|l| l < own_layer);
            if !ok {
                wrong
                    .entry(rel.display().to_string())
                    .or_default()
                    .push(used);
            }
        }
    }
    for (m, _) in LAYERS {
        assert!(
            seen_modules.iter().any(|s| s == m),
            "LAYERS names `{m}`, which is not in src/"
        );
    }
    assert!(
        wrong.is_empty(),
        "modules naming a module of the same or a higher layer: {wrong:#?}"
    );
}

#[test]
fn the_layer_check_sees_a_wrong_way_edge() {
    // The checker itself: a rulebook naming the scorer, or the game naming the CLI, is caught.
    assert_eq!(named_modules("use crate::scoring::Tally;"), ["scoring"]);
    assert_eq!(
        named_modules("let c = crate::cli::Cli::parse(); // crate::game"),
        ["cli"]
    );
    assert_eq!(
        named_modules("use crate::{scenario::Curriculum, text};"),
        ["scenario", "text"]
    );
    assert_eq!(named_modules("crate::ui! { A = \"a\" / \"a\"; }"), ["text"]);
    assert!(layer("rulebook") < layer("scoring"));
    assert!(layer("game") < layer("cli"), "the game never names the CLI");
}

/// Longest function allowed without a comment saying why (`// long:` on the line before `fn`).
const MAX_FN_LINES: usize = 120;
/// Longest file allowed in `src/`.
const MAX_FILE_LINES: usize = 800;

#[test]
fn files_and_functions_are_small() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for f in &files {
        let code = std::fs::read_to_string(f).expect("read");
        let rel = f
            .strip_prefix(src())
            .expect("under src")
            .display()
            .to_string();
        let lines: Vec<&str> = code.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            long.push(format!("{rel}: {} lines", lines.len()));
        }
        for (name, start, len) in functions(&lines) {
            let excused = start > 0
                && lines[..start]
                    .iter()
                    .rev()
                    .take_while(|l| {
                        let t = l.trim_start();
                        t.starts_with("//") || t.starts_with("#[")
                    })
                    .any(|l| l.trim_start().starts_with("// long:"));
            if len > MAX_FN_LINES && !excused {
                long.push(format!("{rel}:{}: fn {name} is {len} lines", start + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "too long (split it, or say why with `// long:`): {long:#?}"
    );
}

/// (name, first line index, line count) of each `fn` with a body, by brace matching from its
/// signature (braces in strings and comments are rare in signatures; bodies are counted whole).
fn functions(lines: &[&str]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        let t = t.strip_prefix("const ").unwrap_or(t);
        let Some(sig) = t.strip_prefix("fn ") else {
            continue;
        };
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let indent = l.len() - l.trim_start().len();
        // The body ends at the first later line that closes at the signature's indentation.
        let end = lines[i + 1..].iter().position(|x| {
            let xi = x.len() - x.trim_start().len();
            xi == indent && x.trim_start().starts_with('}')
        });
        if l.trim_end().ends_with(';') {
            continue;
        }
        if let Some(e) = end {
            out.push((name, i, e + 2));
        }
    }
    out
}

#[test]
fn the_length_check_measures_a_function() {
    let code = "fn a() {\n    let x = 1;\n}\n\n    pub fn b(\n        y: u8,\n    ) -> u8 {\n        y\n    }\n";
    let lines: Vec<&str> = code.lines().collect();
    assert_eq!(
        functions(&lines),
        vec![("a".to_owned(), 0, 3), ("b".to_owned(), 4, 5)]
    );
}
