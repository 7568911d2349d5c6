//! The `{placeholder}` templates of scenario texts: the one scanner that filling (dialogue),
//! checking (validate), measuring (cues) and the internal-word check all read templates with.

/// Placeholders a text may use; `{Honorific}` and `{Wrong_honorific}` are capitalised forms.
pub const PLACEHOLDERS: &[&str] = &[
    "honorific",
    "Honorific",
    "wrong_honorific",
    "Wrong_honorific",
    "name",
    "full_name",
    "reason",
    "competitor",
    "staff",
    "staff_phone",
    "company",
    "lines",
    "province",
    "minutes_left",
];

/// One piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text shown as written.
    Literal(&'a str),
    /// `{name}`: the name between the braces.
    Placeholder(&'a str),
    /// A `{` that is never closed, and everything after it (shown as written).
    Unclosed(&'a str),
}

/// The pieces of a template, in order.
pub fn pieces(template: &str) -> Pieces<'_> {
    Pieces { rest: template }
}

/// Iterator of [`pieces`].
#[derive(Debug, Clone)]
pub struct Pieces<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let Some(open) = self.rest.find('{') else {
            return Some(Piece::Literal(std::mem::take(&mut self.rest)));
        };
        if open > 0 {
            let lit = &self.rest[..open];
            self.rest = &self.rest[open..];
            return Some(Piece::Literal(lit));
        }
        let after = &self.rest[1..];
        match after.find('}') {
            Some(close) => {
                self.rest = &after[close + 1..];
                Some(Piece::Placeholder(&after[..close]))
            }
            None => Some(Piece::Unclosed(std::mem::take(&mut self.rest))),
        }
    }
}

/// The template's text with every placeholder left out (what remains as written).
pub fn literal_text(template: &str) -> String {
    pieces(template)
        .filter_map(|p| match p {
            Piece::Literal(s) | Piece::Unclosed(s) => Some(s),
            Piece::Placeholder(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_placeholders_and_an_unclosed_brace() {
        let got: Vec<_> = pieces("Dạ {honorific} {name}, em {staff} { còn").collect();
        assert_eq!(
            got,
            vec![
                Piece::Literal("Dạ "),
                Piece::Placeholder("honorific"),
                Piece::Literal(" "),
                Piece::Placeholder("name"),
                Piece::Literal(", em "),
                Piece::Placeholder("staff"),
                Piece::Literal(" "),
                Piece::Unclosed("{ còn"),
            ]
        );
        assert_eq!(literal_text("Gọi {staff_phone} ạ"), "Gọi  ạ");
        assert_eq!(pieces("").count(), 0);
    }
}
