//! Turning bytes into raw file types, with every parse problem mapped to a [`Diagnostic`].
//!
//! This and the profile store are the only places in the core that touch the file system.

use std::path::{Path, PathBuf};

use ron::error::{Error as RonError, SpannedError};
use ron::extensions::Extensions;
use serde::de::DeserializeOwned;

use super::diagnostic::{Code, Diagnostic, did_you_mean};

/// Deepest nesting a file may use; far above any real scenario, far below a stack overflow.
pub const MAX_NESTING: usize = 64;

/// Decodes UTF-8, reporting the position of the first bad byte.
pub fn decode<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str, Diagnostic> {
    // A byte-order mark (Windows Notepad writes one) is not part of the text.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // The valid prefix is UTF-8 by definition.
            let prefix = String::from_utf8_lossy(good);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Diagnostic::new(
                Code::InvalidUtf8,
                file,
                (line, column),
                format!(
                    "the file is not valid UTF-8 (bad byte 0x{:02X})",
                    bytes[e.valid_up_to()]
                ),
            )
            .with_help(
                "save the file as UTF-8 (in most editors: File → Save with encoding → UTF-8)",
            ))
        }
    }
}

/// Parses RON text into a raw file type.
pub fn parse_ron<T: DeserializeOwned>(src: &str, file: &str) -> Result<T, Diagnostic> {
    if is_blank(src) {
        return Err(
            Diagnostic::new(Code::EmptyFile, file, (1, 1), "the file is empty")
                .with_help("start from the worked example in docs/scenario-format.md"),
        );
    }
    let options = ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME)
        .with_recursion_limit(MAX_NESTING);
    options
        .from_str::<T>(src)
        .map_err(|e| ron_diagnostic(&e, src, file))
}

/// Whether a text holds nothing but whitespace and `//` comments.
fn is_blank(src: &str) -> bool {
    src.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with("//")
    })
}

/// Trainer-facing names of the file types that appear in parser messages.
fn human(outer: &str) -> &str {
    match outer {
        "ScenarioFile" | "Scenario" => "the scenario",
        "ChoiceFile" => "a choice",
        "NodeFile" => "a node",
        "LineFile" => "a customer line",
        "StepFile" => "a step",
        "EndingFile" => "an ending",
        "ReasonFile" => "a reason",
        "CustomerFile" => "`customer`",
        "AgeWeightsFile" => "`ages`",
        "TextFile" => "a text (vi/en)",
        "BranchFile" => "a branch",
        "DeadlineFile" => "`deadline`",
        "SituationFile" => "`situation`",
        "SegmentFile" => "`segment`",
        "PortOutFile" => "`PortOut`",
        "OutcomeFile" => "`outcome`",
        "ConditionFile" => "a condition",
        "RulebookFile" | "Rulebook" => "the rulebook",
        other => other,
    }
}

fn ron_diagnostic(e: &SpannedError, src: &str, file: &str) -> Diagnostic {
    let mut pos = (e.span.start.line.max(1), e.span.start.col.max(1));
    let (code, message, help): (Code, String, Option<String>) = match &e.code {
        RonError::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            Code::UnknownField,
            format!(
                "unknown field `{found}`{}",
                outer
                    .as_deref()
                    .map(|o| format!(" in {}", human(o)))
                    .unwrap_or_default()
            ),
            Some(match did_you_mean(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        RonError::MissingStructField { field, outer } => (
            Code::WrongType,
            format!(
                "missing field `{field}`{}",
                outer
                    .as_deref()
                    .map(|o| format!(" in {}", human(o)))
                    .unwrap_or_default()
            ),
            Some(format!("add `{field}: …` to this item")),
        ),
        RonError::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            Code::WrongType,
            format!(
                "unknown value `{found}`{}",
                outer
                    .as_deref()
                    .map(|o| format!(" for {}", human(o)))
                    .unwrap_or_default()
            ),
            Some(match did_you_mean(found, expected.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("expected one of: {}", expected.join(", ")),
            }),
        ),
        RonError::InvalidValueForType { expected, found } => (
            Code::WrongType,
            format!("expected {expected} but found {found}"),
            Some(
                "check the value's type: text in double quotes, numbers without quotes".to_owned(),
            ),
        ),
        RonError::ExpectedString | RonError::ExpectedStringEnd => (
            Code::WrongType,
            "expected text in double quotes".to_owned(),
            Some("write text as \"…\"".to_owned()),
        ),
        RonError::ExpectedInteger
        | RonError::ExpectedBoolean
        | RonError::ExpectedArray
        | RonError::ExpectedMap => (
            Code::WrongType,
            e.code.to_string(),
            Some("check the value's type against docs/scenario-format.md".to_owned()),
        ),
        RonError::IntegerOutOfBounds => (
            Code::WrongType,
            "this number is out of range (negative, or too large)".to_owned(),
            Some(
                "use a whole number in the allowed range, e.g. difficulty 1–5, score 0–100"
                    .to_owned(),
            ),
        ),
        RonError::ExceededRecursionLimit => (
            Code::TooDeep,
            format!("nesting is deeper than {MAX_NESTING} levels"),
            Some(
                "flatten the condition, e.g. use All([...]) with several items instead of nesting"
                    .to_owned(),
            ),
        ),
        RonError::Eof => {
            let end = super::diagnostic::Locator::new(src).line_col(src.len());
            pos = end;
            (
                Code::Syntax,
                "the file ends too early".to_owned(),
                Some("the file may be truncated, or a `)`, `]` or `\"` is missing".to_owned()),
            )
        }
        RonError::ExpectedDifferentStructName { expected, found } => (
            Code::WrongType,
            format!("this file starts with `{found}(`, expected `{expected}(`"),
            Some(format!(
                "a scenario file starts with `Scenario(`; the rulebook with `Rulebook(` (expected `{expected}`)"
            )),
        ),
        RonError::Utf8Error(_) => (Code::InvalidUtf8, e.code.to_string(), None),
        RonError::Message(m) => (Code::WrongType, m.clone(), None),
        other => (
            Code::Syntax,
            other.to_string(),
            Some("check for a missing `,`, `(`, `)` or `\"` just before this point".to_owned()),
        ),
    };
    let d = Diagnostic::new(code, file, pos, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// One file read from disk (or embedded), before parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown in diagnostics.
    pub path: String,
    /// Raw bytes.
    pub bytes: Vec<u8>,
}

/// Reads `.ron` files: each path may be a file or a folder (not recursive).
/// Returns the files found, sorted by path, and diagnostics for unreadable paths.
pub fn read_paths(paths: &[PathBuf]) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "ron") && p.is_file())
                        .collect();
                    found.sort();
                    for p in found {
                        read_one(&p, &mut files, &mut diags);
                    }
                }
                Err(e) => diags.push(unreadable(&shown, &e)),
            }
        } else {
            read_one(path, &mut files, &mut diags);
        }
    }
    (files, diags)
}

/// Largest scenario or rulebook file read (the biggest shipped one is under 100 kB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

fn read_one(path: &Path, files: &mut Vec<SourceFile>, diags: &mut Vec<Diagnostic>) {
    use std::io::Read as _;
    let shown = path.display().to_string();
    // Only regular files: a FIFO would block for ever, a device never end.
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return diags.push(unreadable(&shown, &e)),
    };
    if !meta.is_file() {
        diags.push(
            Diagnostic::new(
                Code::Unreadable,
                &shown,
                (1, 1),
                "this path is not a regular file (a device, a pipe or a socket)",
            )
            .with_help("give the path of a .ron file or of a folder of them"),
        );
        return;
    }
    let too_big = || {
        Diagnostic::new(
            Code::Unreadable,
            &shown,
            (1, 1),
            format!(
                "the file is larger than {} MB, far more than any scenario",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("check that this is the right file; split a very large scenario")
    };
    if meta.len() > MAX_FILE_BYTES {
        return diags.push(too_big());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size can change between the check and the read: never read past the limit.
    match std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
    {
        Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => diags.push(too_big()),
        Ok(_) => files.push(SourceFile { path: shown, bytes }),
        Err(e) => diags.push(unreadable(&shown, &e)),
    }
}

fn unreadable(shown: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        Code::Unreadable,
        shown,
        (1, 1),
        format!("cannot read this path: {e}"),
    )
    .with_help("check that the path exists and is readable")
}
