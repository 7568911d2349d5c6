//! `report --format csv`: one row per session, UTF-8 with a byte-order mark (so Excel reads
//! Vietnamese), every text cell that a spreadsheet would take for a formula neutralised.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::profile::{Mode, Records};
use crate::rulebook::Rulebook;
use crate::scenario::Lang;
use crate::scenario::model::Outcome;
use crate::text::Ui;

use super::{ReportError, to_text};
use crate::clock;
use crate::text::display_name;

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

/// First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
/// Full-width forms (`＝＋－＠`) count too: spreadsheets in East Asian locales read them as the
/// ASCII ones.
const FORMULA_PREFIXES: [char; 10] = [
    '=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}',
];

/// A cell made safe for spreadsheets: NUL removed (it truncates cells in some readers), and one
/// that starts like a formula gets a leading `'`, which Excel and LibreOffice show as text and do
/// not evaluate.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let cell: Cow<'_, str> = if cell.contains('\0') {
        Cow::Owned(cell.replace('\0', ""))
    } else {
        Cow::Borrowed(cell)
    };
    if cell.starts_with(FORMULA_PREFIXES) {
        Cow::Owned(format!("'{cell}"))
    } else {
        cell
    }
}

/// The CSV as text (see [`write_csv`]).
pub fn to_csv(records: &Records, rulebook: &Rulebook, lang: Lang) -> Result<String, ReportError> {
    to_text(|out| write_csv(records, rulebook, lang, out))
}

/// Writes the CSV to `out` as it goes (a report over half a million sessions is never held in
/// memory twice): the byte-order mark, a header, then one row per session (employee id, name,
/// cohort, scenario, mode, finished, grade, pass, one column per commitment, critical
/// violations, outcome).
pub fn write_csv<W: std::io::Write>(
    records: &Records,
    rulebook: &Rulebook,
    lang: Lang,
    mut out: W,
) -> Result<(), ReportError> {
    out.write_all(BOM.as_bytes())
        .map_err(|e| ReportError::Csv(e.into()))?;
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    let mut header: Vec<String> = [
        Ui::new("Mã nhân viên", "Employee id").get(lang),
        Ui::new("Họ tên", "Name").get(lang),
        Ui::new("Nhóm", "Cohort").get(lang),
        Ui::new("Kịch bản", "Scenario").get(lang),
        Ui::new("Chế độ", "Mode").get(lang),
        Ui::new("Hoàn thành (UTC)", "Finished (UTC)").get(lang),
        Ui::new("Điểm", "Grade").get(lang),
        Ui::new("Kết quả", "Pass").get(lang),
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(rulebook.commitments.iter().map(|c| c.id.clone()));
    header.push(
        Ui::new("Vi phạm nghiêm trọng", "Critical violations")
            .get(lang)
            .to_owned(),
    );
    header.push(Ui::new("Kết cục", "Outcome").get(lang).to_owned());
    w.write_record(&header)?;
    // Per trainee once, not per session: display form (NFC) and neutralised.
    let who: HashMap<&str, [String; 3]> = records
        .trainees
        .iter()
        .map(|t| {
            (
                t.employee_id.as_str(),
                [
                    neutralise(&t.employee_id).into_owned(),
                    neutralise(&display_name(&t.name)).into_owned(),
                    t.cohort
                        .as_deref()
                        .map(|c| neutralise(&display_name(c)).into_owned())
                        .unwrap_or_default(),
                ],
            )
        })
        .collect();
    let mut outcomes: HashMap<Outcome, String> = HashMap::new();
    let (practice, assessment) = (
        Ui::new("luyện tập", "practice").get(lang),
        Ui::new("đánh giá", "assessment").get(lang),
    );
    let bot = Ui::new("máy tự chơi", "bot").get(lang);
    let (pass, fail) = (
        Ui::new("Đạt", "pass").get(lang),
        Ui::new("Chưa đạt", "fail").get(lang),
    );
    let mut num = String::new();
    let mut digits = itoa::Buffer::new();
    for s in &records.sessions {
        match who.get(&*s.employee_id) {
            Some(cells) => {
                for c in cells {
                    w.write_field(c)?;
                }
            }
            None => {
                w.write_field(neutralise(&s.employee_id).as_ref())?;
                w.write_field("")?;
                w.write_field("")?;
            }
        }
        w.write_field(neutralise(&s.scenario).as_ref())?;
        w.write_field(match s.mode {
            _ if s.bot => bot,
            Mode::Practice => practice,
            Mode::Assessment => assessment,
        })?;
        num.clear();
        clock::write_date_time(&mut num, s.finished);
        w.write_field(&num)?;
        w.write_field(digits.format(s.grade))?;
        w.write_field(if s.passed { pass } else { fail })?;
        for (i, c) in rulebook.commitments.iter().enumerate() {
            match s.percent_at(i, &c.id) {
                Some(p) => w.write_field(digits.format(p))?,
                None => w.write_field("")?,
            }
        }
        w.write_field(digits.format(s.critical))?;
        let outcome = outcomes
            .entry(s.outcome)
            .or_insert_with(|| neutralise(s.outcome.label().get(lang)).into_owned());
        w.write_field(outcome.as_str())?;
        w.write_record(None::<&[u8]>)?;
    }
    w.flush().map_err(|e| ReportError::Csv(e.into()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn full_width_formulas_and_nul_are_neutralised() {
        assert_eq!(neutralise("＝HYPERLINK(1)"), "'＝HYPERLINK(1)");
        assert_eq!(neutralise("a\0b"), "ab");
        assert_eq!(neutralise("\0=1"), "'=1");
    }

    #[test]
    fn formula_prefixes_are_neutralised() {
        for bad in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["Nguyễn Văn A", "1=1", "", "'already"] {
            assert_eq!(neutralise(ok), ok);
        }
    }
}
