//! `report --format html`: one self-contained page (no network, no script) with the cohort table,
//! a trend of grades over time, a commitment × trainee heatmap and per-trainee bars, all as inline
//! SVG. Every text from the store or the curriculum is HTML-escaped. Labels are Vietnamese.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;

use crate::profile::{Level, Mastery, Records, StoredSession, mastery_of, recommend_from};
use crate::scenario::Curriculum;

use super::by_trainee;
use crate::clock;
use crate::text::display_name;

/// Fill of a heatmap cell or bar with no data.
const NO_DATA: &str = "#d9d9d9";
/// Far below the pass mark (under [`LOW`]).
const RED: &str = "#c62828";
/// Below the pass mark.
const ORANGE: &str = "#ef8a3c";
/// Achieved.
const LIGHT_GREEN: &str = "#9ccc65";
/// Proficient.
const GREEN: &str = "#2e7d32";
/// Trend line.
const BLUE: &str = "#1565c0";
/// Values under this are shown red.
const LOW: f64 = 50.0;

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn colour(m: &Mastery) -> &'static str {
    match m.level {
        _ if m.sessions == 0 => NO_DATA,
        Level::Proficient => GREEN,
        Level::Achieved => LIGHT_GREEN,
        Level::NotYet if m.value < LOW => RED,
        Level::NotYet => ORANGE,
    }
}

/// The page. `generated_unix` is printed as the report's date; `filter` describes the selection.
pub fn to_html(
    records: &Records,
    curriculum: &Curriculum,
    generated_unix: i64,
    filter: &str,
) -> String {
    let rb = &curriculum.rulebook;
    // Sessions played by a bot are counted in the header and left out of every chart and table.
    let bots = records.sessions.iter().filter(|s| s.bot).count();
    let groups: Vec<_> = by_trainee(records)
        .into_iter()
        .map(|(t, sessions)| {
            (
                t,
                sessions.into_iter().filter(|s| !s.bot).collect::<Vec<_>>(),
            )
        })
        .collect();
    let people: Vec<&StoredSession> = records.sessions.iter().filter(|s| !s.bot).collect();
    let rows: Vec<TraineeRow<'_>> = groups
        .iter()
        .map(|(t, sessions)| {
            let mastery = mastery_of(sessions, rb);
            TraineeRow {
                employee_id: &t.employee_id,
                name: display_name(&t.name),
                cohort: t.cohort.as_deref().map(display_name).unwrap_or_default(),
                next: recommend_from(curriculum, sessions, mastery.clone()).map(|r| r.scenario),
                sessions: sessions.clone(),
                mastery,
            }
        })
        .collect();
    // About 4.7 kB per trainee (bars, heatmap row, table row): grown once, not copied as it grows.
    let mut o = String::with_capacity(8192 + rows.len() * 5 * 1024);
    o.push_str(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Báo cáo huấn luyện chăm sóc khách hàng — Care Trainer</title>\n<style>\n",
    );
    o.push_str(STYLE);
    o.push_str("</style>\n</head>\n<body>\n");
    o.push_str("<h1>Báo cáo huấn luyện chăm sóc khách hàng</h1>\n");
    let _ = writeln!(
        o,
        "<p class=\"meta\">Lập lúc {} (UTC) · {} học viên · {} phiên{} · Phạm vi: {}</p>",
        clock::date_time(generated_unix),
        rows.len(),
        people.len(),
        if bots > 0 {
            format!(" (không tính {bots} phiên máy tự chơi)")
        } else {
            String::new()
        },
        escape(filter)
    );
    legend(&mut o, rb.pass.per_commitment);
    cohort_table(&mut o, &rows, curriculum);
    trend(&mut o, &people, rb.pass.overall);
    heatmap(&mut o, &rows, curriculum);
    bars(&mut o, &rows, rb.pass.per_commitment);
    o.push_str("<footer>Care Trainer · mức thành thạo là trung bình có trọng số của điểm từng cam kết, phiên gần đây nặng hơn.</footer>\n</body>\n</html>\n");
    o
}

/// A number with one decimal (`{:.1}`), written through integer formatting: a report over
/// 10,000 trainees prints about a million chart coordinates, and the exact-decimal float
/// formatter was a tenth of its time. Halves round away from zero.
struct F1(f64);

impl fmt::Display for F1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fixed(f, self.0, 1)
    }
}

/// A number rounded to a whole (`{:.0}`), written like [`F1`].
struct F0(f64);

impl fmt::Display for F0 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fixed(f, self.0, 0)
    }
}

/// Writes `v` with `decimals` (0 or 1) decimals.
fn fixed(f: &mut fmt::Formatter<'_>, v: f64, decimals: u32) -> fmt::Result {
    let scale = f64::from(10u32.pow(decimals));
    let scaled = (v * scale).round();
    if !scaled.is_finite() || scaled.abs() >= 1e15 {
        return write!(f, "{v:.*}", decimals as usize);
    }
    let scaled = scaled as i64;
    if scaled < 0 {
        f.write_str("-")?;
    }
    let (digits, scale) = (scaled.unsigned_abs(), scale as u64);
    let mut buf = itoa::Buffer::new();
    f.write_str(buf.format(digits / scale))?;
    if decimals > 0 {
        f.write_str(".")?;
        f.write_str(buf.format(digits % scale))?;
    }
    Ok(())
}

struct TraineeRow<'a> {
    employee_id: &'a str,
    name: String,
    cohort: String,
    sessions: Vec<&'a StoredSession>,
    mastery: Vec<Mastery>,
    next: Option<String>,
}

const STYLE: &str = "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;margin:24px;color:#212121;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #0d47a1;padding-bottom:4px}
.meta{color:#555;margin:0 0 12px}table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;max-width:22em;overflow-wrap:anywhere}th{background:#e3f2fd}
td.num{text-align:right}.pass{color:#1b5e20;font-weight:bold}.fail{color:#b71c1c;font-weight:bold}
.legend span{display:inline-block;margin-right:14px;font-size:13px}.legend i{display:inline-block;width:14px;height:14px;margin-right:4px;vertical-align:middle}
.trainee{display:inline-block;margin:0 16px 16px 0;vertical-align:top}.trainee h3{font-size:14px;margin:0 0 4px}
svg text{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif}footer{margin-top:32px;color:#777;font-size:12px}
";

fn legend(o: &mut String, pass: u32) {
    let _ = writeln!(
        o,
        "<p class=\"legend\"><span><i style=\"background:{GREEN}\"></i>thành thạo</span>\
         <span><i style=\"background:{LIGHT_GREEN}\"></i>đạt (≥ {pass})</span>\
         <span><i style=\"background:{ORANGE}\"></i>chưa đạt</span>\
         <span><i style=\"background:{RED}\"></i>chưa đạt (&lt; {LOW})</span>\
         <span><i style=\"background:{NO_DATA}\"></i>chưa có dữ liệu</span></p>"
    );
}

fn cohort_table(o: &mut String, rows: &[TraineeRow<'_>], curriculum: &Curriculum) {
    o.push_str("<h2>Tổng quan nhóm</h2>\n<table>\n<tr><th>Mã NV</th><th>Họ tên</th><th>Nhóm</th><th>Số phiên</th><th>Phiên đạt</th><th>Điểm gần nhất</th><th>Điểm TB</th><th>Thành thạo / Đạt / Chưa đạt</th><th>Gợi ý tiếp theo</th></tr>\n");
    for r in rows {
        let n = r.sessions.len();
        let passed = r.sessions.iter().filter(|s| s.passed).count();
        let last = r.sessions.iter().max_by_key(|s| (s.finished, s.id));
        let mean = if n == 0 {
            String::from("—")
        } else {
            F0(r.sessions.iter().map(|s| f64::from(s.grade)).sum::<f64>() / n as f64).to_string()
        };
        let count = |l: Level| r.mastery.iter().filter(|m| m.level == l).count();
        let next = r
            .next
            .as_deref()
            .map(|id| {
                curriculum
                    .scenario(id)
                    .map_or_else(|| id.to_owned(), |s| s.title.vi.clone())
            })
            .unwrap_or_else(|| "—".into());
        let last_cell = last.map_or_else(
            || "<td class=\"num\">—</td>".to_owned(),
            |s| {
                format!(
                    "<td class=\"num {}\">{}</td>",
                    if s.passed { "pass" } else { "fail" },
                    s.grade
                )
            },
        );
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{n}</td><td class=\"num\">{passed}</td>{last_cell}<td class=\"num\">{mean}</td><td>{} / {} / {}</td><td>{}</td></tr>",
            escape(r.employee_id),
            escape(&r.name),
            escape(&r.cohort),
            count(Level::Proficient),
            count(Level::Achieved),
            count(Level::NotYet),
            escape(&next)
        );
    }
    o.push_str("</table>\n");
}

/// Mean grade per day, as a line with dots, the pass mark dashed.
fn trend(o: &mut String, sessions: &[&StoredSession], pass: u32) {
    o.push_str("<h2>Xu hướng điểm theo thời gian</h2>\n");
    let mut days: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
    for s in sessions {
        let e = days.entry(s.finished.div_euclid(clock::DAY)).or_default();
        e.0 += u64::from(s.grade);
        e.1 += 1;
    }
    let (w, h, left, top, plot_w, plot_h) = (760.0, 260.0, 44.0, 12.0, 690.0, 200.0);
    let _ = writeln!(
        o,
        "<svg id=\"trend\" role=\"img\" aria-label=\"Điểm trung bình theo ngày\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let _ = writeln!(
        o,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"#fafafa\" stroke=\"#999\"/>"
    );
    let y_of = |g: f64| top + plot_h - g / 100.0 * plot_h;
    for g in [0, 25, 50, 75, 100] {
        let y = y_of(f64::from(g));
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{g}</text>",
            left - 6.0,
            F1(y + 4.0)
        );
    }
    let py = y_of(f64::from(pass));
    let _ = writeln!(
        o,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{RED}\" stroke-dasharray=\"6 4\"/><text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{RED}\" text-anchor=\"end\">ngưỡng đạt {pass}</text>",
        F1(py),
        left + plot_w,
        F1(py),
        left + plot_w - 4.0,
        F1(py - 4.0)
    );
    if let (Some((&first, _)), Some((&last, _))) = (days.first_key_value(), days.last_key_value()) {
        let span = (last - first).max(1) as f64;
        let x_of = |d: i64| {
            if first == last {
                left + plot_w / 2.0
            } else {
                left + (d - first) as f64 / span * plot_w
            }
        };
        let points: Vec<(f64, f64, f64, u64)> = days
            .iter()
            .map(|(&d, &(sum, n))| {
                let mean = sum as f64 / n.max(1) as f64;
                (x_of(d), y_of(mean), mean, n)
            })
            .collect();
        let line: Vec<String> = points
            .iter()
            .map(|(x, y, _, _)| format!("{},{}", F1(*x), F1(*y)))
            .collect();
        let _ = writeln!(
            o,
            "<polyline fill=\"none\" stroke=\"{BLUE}\" stroke-width=\"2.5\" points=\"{}\"/>",
            line.join(" ")
        );
        for (&d, (x, y, mean, n)) in days.keys().zip(&points) {
            let _ = writeln!(
                o,
                "<circle cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{BLUE}\"><title>{}: {} ({n} phiên)</title></circle>",
                F1(*x),
                F1(*y),
                clock::date(d * clock::DAY),
                F1(*mean)
            );
        }
        let _ = writeln!(
            o,
            "<text x=\"{left}\" y=\"{}\" font-size=\"11\">{}</text><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}</text>",
            top + plot_h + 18.0,
            clock::date(first * clock::DAY),
            left + plot_w,
            top + plot_h + 18.0,
            clock::date(last * clock::DAY)
        );
    } else {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"14\" text-anchor=\"middle\">Chưa có phiên nào</text>",
            left + plot_w / 2.0,
            top + plot_h / 2.0
        );
    }
    o.push_str("</svg>\n");
}

/// Rows: trainees; columns: commitments; colour: mastery level; text: mastery value.
fn heatmap(o: &mut String, rows: &[TraineeRow<'_>], curriculum: &Curriculum) {
    o.push_str("<h2>Bản đồ nhiệt: cam kết × học viên</h2>\n");
    let commitments = &curriculum.rulebook.commitments;
    let (label_w, cell_w, cell_h, head) = (220.0, 52.0, 20.0, 24.0);
    let w = label_w + cell_w * commitments.len() as f64 + 4.0;
    let h = head + cell_h * rows.len() as f64 + 4.0;
    let _ = writeln!(
        o,
        "<svg id=\"heatmap\" role=\"img\" aria-label=\"Mức thành thạo theo cam kết và học viên\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, c) in commitments.iter().enumerate() {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"16\" font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\">{}<title>{}</title></text>",
            F1(label_w + cell_w * i as f64 + cell_w / 2.0),
            escape(&c.id),
            escape(&c.title.vi)
        );
    }
    let ids: Vec<String> = commitments.iter().map(|c| escape(&c.id)).collect();
    for (r, row) in rows.iter().enumerate() {
        let y = head + cell_h * r as f64;
        let name = escape(&row.name);
        let label: String = format!("{} · {}", row.employee_id, row.name);
        let short: String = label.chars().take(32).collect();
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            F1(label_w - 6.0),
            F1(y + 14.0),
            escape(&short)
        );
        for (i, m) in row.mastery.iter().enumerate() {
            let x = label_w + cell_w * i as f64;
            let text = if m.sessions == 0 {
                String::from("—")
            } else {
                F0(m.value).to_string()
            };
            let fg = if matches!(colour(m), GREEN | RED) {
                "#fff"
            } else {
                "#212121"
            };
            let _ = writeln!(
                o,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} · {}: {} ({})</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"{fg}\">{text}</text>",
                F1(x),
                F1(y),
                F1(cell_w - 2.0),
                F1(cell_h - 2.0),
                colour(m),
                name,
                ids[i],
                text,
                m.level.label().vi,
                F1(x + cell_w / 2.0 - 1.0),
                F1(y + 14.0)
            );
        }
    }
    o.push_str("</svg>\n");
}

/// One small bar chart per trainee: mastery per commitment, the pass mark as a line.
fn bars(o: &mut String, rows: &[TraineeRow<'_>], pass: u32) {
    o.push_str("<h2>Mức thành thạo từng học viên</h2>\n<div class=\"trainees\">\n");
    let (label_w, bar_w, bar_h) = (44.0, 240.0, 16.0);
    for row in rows {
        let n = row.mastery.len() as f64;
        let w = label_w + bar_w + 40.0;
        let h = n * (bar_h + 4.0) + 4.0;
        let _ = writeln!(
            o,
            "<div class=\"trainee\"><h3>{} · {}</h3><svg class=\"bars\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" xmlns=\"http://www.w3.org/2000/svg\">",
            escape(row.employee_id),
            escape(&row.name)
        );
        for (i, m) in row.mastery.iter().enumerate() {
            let y = i as f64 * (bar_h + 4.0) + 2.0;
            let _ = writeln!(
                o,
                "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"{label_w}\" y=\"{}\" width=\"{bar_w}\" height=\"{bar_h}\" fill=\"#eeeeee\"/><rect x=\"{label_w}\" y=\"{}\" width=\"{}\" height=\"{bar_h}\" fill=\"{}\"><title>{}: {} ({})</title></rect><text x=\"{}\" y=\"{}\" font-size=\"11\">{}</text>",
                F1(y + 12.0),
                escape(&m.commitment),
                F1(y),
                F1(y),
                F1(m.value.clamp(0.0, 100.0) / 100.0 * bar_w),
                colour(m),
                escape(&m.title.vi),
                F0(m.value),
                m.level.label().vi,
                F1(label_w + bar_w + 4.0),
                F1(y + 12.0),
                F0(m.value)
            );
        }
        let px = label_w + f64::from(pass) / 100.0 * bar_w;
        let _ = writeln!(
            o,
            "<line x1=\"{px}\" y1=\"0\" x2=\"{px}\" y2=\"{h}\" stroke=\"#424242\" stroke-dasharray=\"3 3\"/></svg></div>",
            px = F1(px)
        );
    }
    o.push_str("</div>\n");
}

#[cfg(test)]
mod tests {
    use super::{F0, F1, escape};

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn fixed_decimals_match_the_float_formatter() {
        for v in [
            0.0, 3.04999, 99.96, 100.0, 12.0, 240.0, 0.04, 7.5, -2.26, 1234.56,
        ] {
            assert_eq!(F1(v).to_string(), format!("{v:.1}"), "{v}");
        }
        for v in [0.0, 49.4, 49.6, 100.0, 66.666] {
            assert_eq!(F0(v).to_string(), format!("{v:.0}"), "{v}");
        }
        // Halves round away from zero (the float formatter rounds them to even).
        assert_eq!(F0(84.5).to_string(), "85");
        assert_eq!(F1(f64::NAN).to_string(), "NaN");
    }
}
