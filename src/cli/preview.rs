//! `care-trainer preview`: play a scenario in the terminal. Choices are numbers read one per
//! line; a bad line asks again; end of input stops the session cleanly. The output depends only
//! on the scenario, the seed and the input, so it is byte-for-byte reproducible.

use std::io::{BufRead, Write};
use std::sync::Arc;

use crate::customer::MoodBand;
use crate::dialogue::{Event, Session};
use crate::scenario::{Curriculum, Lang, Scenario};
use crate::scoring::{Scorecard, score};
use crate::text::Ui;

pub(super) fn run(
    curriculum: &Curriculum,
    scenario: Arc<Scenario>,
    seed: u64,
    lang: Lang,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<Scorecard> {
    let rb = curriculum.rulebook.clone();
    let (mut session, opening) = Session::start(scenario.clone(), rb.clone(), seed);
    let c = session.customer().clone();
    writeln!(out, "=== {} ===", scenario.title.get(lang))?;
    writeln!(out, "{}", session.fill(&scenario.briefing).get(lang))?;
    writeln!(
        out,
        "{}: {} ({}, {} {}) · {} · {} · {}",
        Ui::new("Khách hàng", "Customer").get(lang),
        c.full_name,
        c.honorific.word(),
        c.age_years,
        Ui::new("tuổi", "years old").get(lang),
        c.plan.label().get(lang),
        c.segment.label().get(lang),
        c.province
    )?;
    if let Some(co) = &c.company {
        writeln!(
            out,
            "{}: {} · {} {}",
            Ui::new("Doanh nghiệp", "Company").get(lang),
            co.name,
            co.lines,
            Ui::new("thuê bao", "lines").get(lang)
        )?;
    }
    writeln!(
        out,
        "{}: {} {}",
        Ui::new("Gắn bó", "Tenure").get(lang),
        c.tenure_months,
        Ui::new("tháng", "months").get(lang)
    )?;
    show(&session, &opening, lang, out)?;
    let mut line = String::new();
    while !session.is_over() {
        let offered = session.offered();
        if offered.is_empty() {
            writeln!(
                out,
                "{}",
                Ui::new(
                    "(Không còn lựa chọn nào — phiên dừng lại.)",
                    "(No choice left — the session stops.)"
                )
                .get(lang)
            )?;
            break;
        }
        write!(
            out,
            "{} (1-{}): ",
            Ui::new("Chọn", "Choose").get(lang),
            offered.len()
        )?;
        out.flush()?;
        line.clear();
        let mut bytes = Vec::new();
        if input.read_until(b'\n', &mut bytes)? == 0 {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                Ui::new(
                    "(Hết dữ liệu vào — phiên dừng lại.)",
                    "(End of input — the session stops.)"
                )
                .get(lang)
            )?;
            break;
        }
        // A line that is not UTF-8 (a stray byte, another encoding) is asked again, like any
        // other unreadable answer: the turns played so far are kept.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            line.push_str(text);
        }
        let n = match line.trim().parse::<usize>() {
            Ok(n) if (1..=offered.len()).contains(&n) => n,
            _ => {
                writeln!(
                    out,
                    "{} 1 {} {}.",
                    Ui::new("Vui lòng nhập một số từ", "Please type a number from").get(lang),
                    Ui::new("đến", "to").get(lang),
                    offered.len()
                )?;
                continue;
            }
        };
        writeln!(out, "{n}")?;
        let events = session.choose_offered(n)?;
        show(&session, &events, lang, out)?;
    }
    let card = score(&session);
    writeln!(out)?;
    write!(out, "{}", card.render(&rb, lang))?;
    Ok(card)
}

fn show(
    session: &Session,
    events: &[Event],
    lang: Lang,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let sc = session.scenario();
    let rb = session.rulebook();
    for e in events {
        match e {
            Event::ChoiceMade { node, choice } => {
                let ch = &sc.node(*node).choices[*choice];
                writeln!(
                    out,
                    "{}: {}",
                    Ui::new("Bạn", "You").get(lang),
                    session.fill(&ch.text).get(lang)
                )?;
                writeln!(out, "  → {}", session.fill(&ch.feedback).get(lang))?;
            }
            Event::StepPerformed { step, in_order } => {
                let mark = if *in_order { "✓" } else { "~" };
                writeln!(
                    out,
                    "  {mark} {}: {}",
                    Ui::new("Bước", "Step").get(lang),
                    sc.step(*step).title.get(lang)
                )?;
            }
            Event::ViolationCommitted { violation } => {
                let k = rb.violation_kind(*violation);
                writeln!(
                    out,
                    "  ! {} [{}]: {}",
                    Ui::new("Vi phạm", "Violation").get(lang),
                    k.severity.label().get(lang),
                    k.title.get(lang)
                )?;
            }
            Event::MoodChanged { from, to } => {
                writeln!(
                    out,
                    "  {}: {} ({from} → {to})",
                    Ui::new("Tâm trạng", "Mood").get(lang),
                    MoodBand::of(*to).label().get(lang)
                )?;
            }
            Event::ClockAdvanced { to, .. } => {
                writeln!(
                    out,
                    "  {}: {to} {}",
                    Ui::new("Đồng hồ", "Clock").get(lang),
                    Ui::new("phút", "min").get(lang)
                )?;
            }
            Event::DeadlineMissed { limit } => {
                writeln!(
                    out,
                    "  ! {} {limit} {}",
                    Ui::new("Đã quá hạn xử lý", "Deadline missed:").get(lang),
                    Ui::new("phút", "minutes").get(lang)
                )?;
            }
            Event::ReasonRevealed { reason } => {
                let r = &sc.customer.reasons[usize::from(reason.0)];
                writeln!(
                    out,
                    "  {}: {}",
                    Ui::new("Lý do của khách", "Customer's reason").get(lang),
                    r.text.get(lang)
                )?;
            }
            Event::CustomerSaid { text, .. } => {
                writeln!(out)?;
                writeln!(
                    out,
                    "{}: «{}»",
                    Ui::new("Khách hàng", "Customer").get(lang),
                    text.get(lang)
                )?;
                if let Some(left) = session.minutes_left() {
                    writeln!(
                        out,
                        "  ⏱ {} {left} {}",
                        Ui::new("Còn", "Left:").get(lang),
                        Ui::new("phút trong hạn 2 giờ", "min of the 2-hour window").get(lang)
                    )?;
                }
            }
            Event::ChoicesOffered { node, choices } => {
                for (i, ci) in choices.iter().enumerate() {
                    writeln!(
                        out,
                        "  {}. {}",
                        i + 1,
                        session.fill(&sc.node(*node).choices[*ci].text).get(lang)
                    )?;
                }
            }
            Event::Ended { ending } => {
                let e = sc.ending(*ending);
                writeln!(out)?;
                writeln!(
                    out,
                    "*** {} — {}",
                    e.outcome.label().get(lang),
                    session.fill(&e.text).get(lang)
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_of_input_stops_cleanly_and_prints_debrief() {
        let cur = Curriculum::embedded().expect("embedded curriculum is valid");
        let sc = cur.scenarios[0].clone();
        let mut out = Vec::new();
        let card = run(&cur, sc, 3, Lang::Vi, &mut &b"x\n9\n"[..], &mut out).expect("preview runs");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("Vui lòng nhập một số"),
            "a bad line asks again"
        );
        assert!(text.contains("Hết dữ liệu vào"));
        assert!(text.contains("KẾT QUẢ"));
        assert!(!card.passed);
    }
}
