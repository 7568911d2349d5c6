//! The leaf layer: what every other module reads and writes text with. Bilingual texts ([`Text`]
//! from files, [`Ui`] in the program), languages, diagnostics that point at file:line:col,
//! reading RON, the `{placeholder}` template scanner and display helpers. It uses nothing else of
//! the crate (docs/ARCHITECTURE.md).

pub mod diagnostic;
pub mod load;
pub mod template;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization as _;

/// Display language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Parses `vi` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A Vietnamese text with its English gloss, as a trainer wrote it in a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    /// Vietnamese.
    pub vi: String,
    /// English (may be empty; then Vietnamese is shown).
    pub en: String,
}

impl Text {
    /// A text from both languages.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in a language, falling back to Vietnamese when there is no English.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.vi,
        }
    }
}

impl From<TextFile> for Text {
    fn from(t: TextFile) -> Self {
        Text { vi: t.vi, en: t.en }
    }
}

impl From<Ui> for Text {
    fn from(t: Ui) -> Self {
        Text::new(t.vi, t.en)
    }
}

/// A Vietnamese text with its English gloss, exactly as written in a rulebook or scenario file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextFile {
    /// Vietnamese, shown first.
    pub vi: String,
    /// English gloss; a missing one is a warning, not an error.
    #[serde(default)]
    pub en: String,
}

/// A text of the program itself (labels, headings, messages) in both languages. Every
/// trainee-facing string the program writes is one of these, so none can lack its Vietnamese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ui {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Ui {
    /// A text from both languages.
    pub const fn new(vi: &'static str, en: &'static str) -> Ui {
        Ui { vi, en }
    }

    /// The text in a language.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// Declares [`Ui`] constants: `NAME = "tiếng Việt" / "English";`.
#[macro_export]
macro_rules! ui {
    ($($name:ident = $vi:literal / $en:literal;)*) => {
        $(
            #[doc = $en]
            pub const $name: $crate::text::Ui = $crate::text::Ui::new($vi, $en);
        )*
    };
}

/// A stable hex digest of file bytes (FNV-1a 64), identical on every machine.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The text with its first letter upper-case (`anh` → `Anh`, `ông` → `Ông`).
pub fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|f| f.to_uppercase().chain(cs).collect())
        .unwrap_or_default()
}

/// A name as displayed: NFC-normalised (the stored text is kept as given).
/// Control characters (ESC, tab, newline, NUL…) become a space, and bidirectional overrides
/// (U+202E reverses what follows) are dropped, so a name can neither colour a terminal, break a
/// table row nor show reversed.
pub fn display_name(s: &str) -> String {
    s.nfc()
        .filter(|&c| !is_bidi_control(c))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Unicode's explicit bidirectional formatting characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_show_composed_and_without_controls() {
        // "Nguyễn" written decomposed (e + combining marks) shows as the composed form.
        let nfd: String = "Nguyễn".nfd().collect();
        assert_ne!(nfd, "Nguyễn");
        assert_eq!(display_name(&nfd), "Nguyễn");
        assert_eq!(display_name("A\u{202E}B\tC\u{1b}"), "AB C ");
    }

    #[test]
    fn capitalises_vietnamese_first_letters() {
        assert_eq!(capitalise("ông"), "Ông");
        assert_eq!(capitalise("anh"), "Anh");
        assert_eq!(capitalise(""), "");
    }

    #[test]
    fn english_falls_back_to_vietnamese() {
        assert_eq!(Text::new("Xin chào", "").get(Lang::En), "Xin chào");
        assert_eq!(Ui::new("Xin chào", "Hello").get(Lang::En), "Hello");
    }
}
