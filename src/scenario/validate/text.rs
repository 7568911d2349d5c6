//! Trainee-facing texts: Vietnamese first, an English gloss, NFC, no internal words, known placeholders.

use super::*;
use crate::text::template::{self, PLACEHOLDERS, Piece};

/// Checks a text whose placeholders are filled (lines, choices, feedback, endings, briefing).
pub(super) fn check_text(cx: &mut Ctx<'_>, off: Option<usize>, what: &str, vi: &str, en: &str) {
    check_any_text(cx, off, what, vi, en, true);
}

/// Checks a text shown as written (titles, step titles, reasons): no placeholder is filled.
pub(super) fn check_label(cx: &mut Ctx<'_>, off: Option<usize>, what: &str, vi: &str, en: &str) {
    check_any_text(cx, off, what, vi, en, false);
}

pub(super) fn check_any_text(
    cx: &mut Ctx<'_>,
    off: Option<usize>,
    what: &str,
    vi: &str,
    en: &str,
    filled: bool,
) {
    if vi.trim().is_empty() {
        cx.push(
            Code::InvalidValue,
            off,
            format!("the Vietnamese {what} text is empty"),
            Some("every text needs Vietnamese first".into()),
        );
    }
    if en.trim().is_empty() {
        cx.push(
            Code::MissingEnglish,
            off,
            format!("the {what} text has no English gloss"),
            Some("add `en: \"…\"` next to `vi`".into()),
        );
    }
    for t in [vi, en] {
        if let Some(w) = crate::scenario::cues::internal_word(t) {
            let at = off.and_then(|o| cx.loc.find_quoted(t, o)).or(off);
            cx.push(
                Code::InternalWord,
                at,
                format!("the {what} text shows the trainee an internal word: `{w}`"),
                Some("name the rule in plain words (\"quy trình chuẩn\", \"cam kết đích thân xin lỗi\"); ids, codes and document names are for authors, in `//` comments".into()),
            );
        }
        if !is_nfc(t) {
            let at = off.and_then(|o| cx.loc.find_quoted(t, o)).or(off);
            cx.push(Code::NotNfc, at, format!("the {what} text is not in Unicode NFC"), Some("re-save the file with composed (NFC) Vietnamese characters; many editors have a Normalize command".into()));
        }
        check_placeholders(cx, off, t, what, filled);
    }
}

pub(super) fn check_placeholders(
    cx: &mut Ctx<'_>,
    off: Option<usize>,
    text: &str,
    what: &str,
    filled: bool,
) {
    for piece in template::pieces(text) {
        let name = match piece {
            Piece::Literal(_) => continue,
            Piece::Placeholder(name) => name,
            Piece::Unclosed(_) => {
                cx.push(
                    Code::UnknownPlaceholder,
                    off,
                    "a `{` is never closed".into(),
                    Some("write placeholders as {honorific}".into()),
                );
                return;
            }
        };
        let at = off
            .and_then(|o| cx.loc.find_raw(&format!("{{{name}}}"), o))
            .or(off);
        let always_empty = cx
            .empty
            .iter()
            .find(|(p, _)| *p == name)
            .map(|(_, why)| *why);
        if PLACEHOLDERS.contains(&name) && !filled {
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("placeholder `{{{name}}}` in a {what}, where placeholders are not filled"),
                Some(format!("a {what} is shown as written: write the words out; placeholders are filled in lines, choices, feedback, endings and the briefing")),
            );
        } else if let Some(why) = always_empty {
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("placeholder `{{{name}}}` is always empty here: {why}"),
                Some("write the words out, or use the placeholder in a scenario where it has a value".into()),
            );
        } else if !PLACEHOLDERS.contains(&name) {
            let help = suggest(name, PLACEHOLDERS.iter().copied())
                .or_else(|| Some(format!("known placeholders: {}", PLACEHOLDERS.join(", "))));
            cx.push(
                Code::UnknownPlaceholder,
                at,
                format!("unknown placeholder `{{{name}}}`"),
                help,
            );
        }
    }
}
