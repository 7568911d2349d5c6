//! Diagnostics: one problem found in a rulebook or scenario file, with a stable code, a position
//! (1-based line and column) and a hint, and their rustc-style rendering.

use std::fmt::Write as _;

/// How bad a problem is. Errors block loading; warnings never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be used as written.
    Error,
    /// The file works but should be improved.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Stable diagnostic codes. Tests assert codes, never wording; docs/scenario-format.md has one
/// section per code with a bad example and its fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The file is not valid UTF-8.
    InvalidUtf8,
    /// The file is empty.
    EmptyFile,
    /// RON syntax error (missing comma or parenthesis, unterminated string, truncated file…).
    Syntax,
    /// A value has the wrong type or a required field is missing.
    WrongType,
    /// A field name the format does not know.
    UnknownField,
    /// Nesting deeper than the format allows.
    TooDeep,
    /// The file could not be read.
    Unreadable,
    /// Two scenarios share an id.
    DuplicateScenario,
    /// Two nodes or endings share an id within a scenario.
    DuplicateNode,
    /// Two steps, choices, reasons, commitments or violations share an id.
    DuplicateId,
    /// A `next` or `start` names no node or ending.
    UnknownTarget,
    /// A choice or deadline names no script step.
    UnknownStep,
    /// A score names no commitment of the rulebook.
    UnknownCommitment,
    /// A choice names no violation kind of the rulebook.
    UnknownViolation,
    /// The `start` node does not exist.
    MissingStart,
    /// No path from the start reaches this node.
    Unreachable,
    /// A node that is not an ending where no choice can be offered.
    DeadEnd,
    /// A choice or line whose condition can never hold.
    NeverOffered,
    /// A required step that no choice on any path performs.
    StepNeverPerformed,
    /// A `{placeholder}` the template engine does not know.
    UnknownPlaceholder,
    /// A condition names a reason or flag that does not exist.
    UnknownReference,
    /// A value out of its allowed range (weights, percentages, scores, deadline outside a passive port-out).
    InvalidValue,
    /// A reachable node from which no ending can be reached (a loop with no way out).
    NoWayOut,
    /// A commitment that no choice scores.
    CommitmentNeverScored,
    /// Vietnamese text with no English gloss.
    MissingEnglish,
    /// Text not in Unicode NFC.
    NotNfc,
    /// The model answer is the longest (or shortest) option more often than chance allows.
    ModelLengthCue,
    /// A model answer much longer than the other options at its point.
    ModelMuchLonger,
    /// The model answer is the only polite option at its point.
    ModelOnlyPolite,
    /// Options that all lead to the same place, in a scenario whose choices rarely change the course.
    NoConsequence,
    /// An ending that no choice on any path leads to.
    EndingNeverReached,
    /// Trainee-facing text that shows an id, a code or a document name.
    InternalWord,
    /// No rulebook was found or it has errors.
    Rulebook,
}

impl Code {
    /// Every code, in order (for docs and tests).
    pub const ALL: [Code; 33] = [
        Code::InvalidUtf8,
        Code::EmptyFile,
        Code::Syntax,
        Code::WrongType,
        Code::UnknownField,
        Code::TooDeep,
        Code::Unreadable,
        Code::DuplicateScenario,
        Code::DuplicateNode,
        Code::DuplicateId,
        Code::UnknownTarget,
        Code::UnknownStep,
        Code::UnknownCommitment,
        Code::UnknownViolation,
        Code::MissingStart,
        Code::Unreachable,
        Code::DeadEnd,
        Code::NeverOffered,
        Code::StepNeverPerformed,
        Code::UnknownPlaceholder,
        Code::UnknownReference,
        Code::InvalidValue,
        Code::NoWayOut,
        Code::CommitmentNeverScored,
        Code::MissingEnglish,
        Code::NotNfc,
        Code::ModelLengthCue,
        Code::ModelMuchLonger,
        Code::ModelOnlyPolite,
        Code::NoConsequence,
        Code::EndingNeverReached,
        Code::InternalWord,
        Code::Rulebook,
    ];

    /// The stable code string, e.g. `S0104`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "S0001",
            Code::EmptyFile => "S0002",
            Code::Syntax => "S0003",
            Code::WrongType => "S0004",
            Code::UnknownField => "S0005",
            Code::TooDeep => "S0006",
            Code::Unreadable => "S0007",
            Code::DuplicateScenario => "S0101",
            Code::DuplicateNode => "S0102",
            Code::DuplicateId => "S0103",
            Code::UnknownTarget => "S0104",
            Code::UnknownStep => "S0105",
            Code::UnknownCommitment => "S0106",
            Code::UnknownViolation => "S0107",
            Code::MissingStart => "S0108",
            Code::Unreachable => "S0109",
            Code::DeadEnd => "S0110",
            Code::NeverOffered => "S0111",
            Code::StepNeverPerformed => "S0112",
            Code::UnknownPlaceholder => "S0113",
            Code::UnknownReference => "S0114",
            Code::InvalidValue => "S0115",
            Code::NoWayOut => "S0116",
            Code::CommitmentNeverScored => "W0201",
            Code::MissingEnglish => "W0202",
            Code::NotNfc => "W0203",
            Code::ModelLengthCue => "W0204",
            Code::ModelMuchLonger => "W0205",
            Code::ModelOnlyPolite => "W0206",
            Code::NoConsequence => "W0207",
            Code::EndingNeverReached => "W0208",
            Code::InternalWord => "W0209",
            Code::Rulebook => "R0301",
        }
    }

    /// The severity a code always has.
    pub fn severity(self) -> Severity {
        match self {
            Code::CommitmentNeverScored
            | Code::MissingEnglish
            | Code::NotNfc
            | Code::ModelLengthCue
            | Code::ModelMuchLonger
            | Code::ModelOnlyPolite
            | Code::NoConsequence
            | Code::EndingNeverReached
            | Code::InternalWord => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Error or warning (fixed by the code).
    pub severity: Severity,
    /// The file as given (e.g. `scenarios/mnp_bi_dong.ron`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic at a position.
    pub fn new(
        code: Code,
        file: &str,
        (line, column): (usize, usize),
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic blocks loading.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders rustc-style, with the source line and a marker when `source` is given.
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code.as_str(),
            self.message
        );
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {}:{}:{}", self.file, self.line, self.column);
        if let Some(text) = source.and_then(|s| s.lines().nth(self.line.saturating_sub(1))) {
            let shown: String = text.chars().take(160).collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {}", self.line, shown);
            let lead: String = text
                .chars()
                .take(self.column.saturating_sub(1).min(160))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {lead}^");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        let _ = writeln!(
            out,
            "{pad} = note: see docs/scenario-format.md#{}",
            self.code.as_str().to_lowercase()
        );
        out
    }
}

/// Maps byte offsets of a source text to 1-based (line, column) and finds ids in it.
pub struct Locator<'a> {
    src: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    /// Indexes `src`.
    pub fn new(src: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Locator { src, line_starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .src
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// Offset of `key: "value"` (any whitespace around the colon) at or after `from`.
    pub fn find_field(&self, key: &str, value: &str, from: usize) -> Option<usize> {
        let quoted = format!("\"{value}\"");
        let mut at = from.min(self.src.len());
        while let Some(rel) = self.src.get(at..)?.find(&quoted) {
            let pos = at + rel;
            let before = self.src[..pos].trim_end();
            if let Some(b) = before.strip_suffix(':')
                && b.trim_end().ends_with(key)
            {
                return Some(pos);
            }
            at = pos + quoted.len();
        }
        None
    }

    /// Offset of `needle` at or after `from`.
    pub fn find_raw(&self, needle: &str, from: usize) -> Option<usize> {
        self.src
            .get(from.min(self.src.len())..)?
            .find(needle)
            .map(|r| from + r)
    }

    /// Offset of `"value"` at or after `from`.
    pub fn find_quoted(&self, value: &str, from: usize) -> Option<usize> {
        let quoted = format!("\"{value}\"");
        self.src
            .get(from.min(self.src.len())..)?
            .find(&quoted)
            .map(|r| from + r)
    }

    /// Offset of `key:` at or after `from`.
    pub fn find_key(&self, key: &str, from: usize) -> Option<usize> {
        let mut at = from.min(self.src.len());
        while let Some(rel) = self.src.get(at..)?.find(key) {
            let pos = at + rel;
            let after = self.src[pos + key.len()..].trim_start();
            let ok_before = self.src[..pos]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            if ok_before && after.starts_with(':') {
                return Some(pos);
            }
            at = pos + key.len();
        }
        None
    }
}

/// The closest candidate to `word`, if close enough to suggest.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let loc = Locator::new("ab\nđẹp \"x\"\n");
        let off = loc.find_quoted("x", 0).unwrap();
        assert_eq!(loc.line_col(off), (2, 5));
        assert_eq!(loc.line_col(0), (1, 1));
    }

    #[test]
    fn find_field_requires_the_key() {
        let loc = Locator::new("next: \"a\", id: \"a\"");
        assert_eq!(loc.find_field("id", "a", 0), Some(15));
    }

    #[test]
    fn suggestion_picks_closest() {
        assert_eq!(
            did_you_mean("hoi_ly_d", ["chao_hoi", "hoi_ly_do"]),
            Some("hoi_ly_do")
        );
        assert_eq!(did_you_mean("zzz", ["chao_hoi"]), None);
    }
}
