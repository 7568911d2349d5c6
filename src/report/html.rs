//! `report --format html`: one self-contained page (no network, no script) with the cohort table,
//! a trend of grades over time, a commitment × trainee heatmap and per-trainee bars, all as inline
//! SVG, rendered by `templates/report.html` (askama: every text from the store or the curriculum
//! is HTML-escaped by the template, none is put together by hand). Labels are Vietnamese.

use std::collections::BTreeMap;
use std::fmt;

use askama::Template;

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
/// Values under this are shown red.
const LOW: f64 = 50.0;

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
    let page = Report {
        generated: clock::date_time(generated_unix),
        sessions: people.len(),
        bots,
        filter,
        pass_commitment: rb.pass.per_commitment,
        rows: rows.iter().map(|r| table_row(r, curriculum)).collect(),
        trend: TrendChart::of_days(&people, rb.pass.overall),
        heat: Heatmap::of(&rows, curriculum),
        bars: rows
            .iter()
            .map(|r| Bars::of(r, rb.pass.per_commitment))
            .collect(),
    };
    // Every text from the store or the curriculum goes through the template's HTML escaping.
    page.render().unwrap_or_default()
}

#[derive(Template)]
#[template(path = "report.html")]
struct Report<'a> {
    generated: String,
    sessions: usize,
    bots: usize,
    filter: &'a str,
    pass_commitment: u32,
    rows: Vec<TableRow>,
    trend: TrendChart,
    heat: Heatmap,
    bars: Vec<Bars>,
}

/// A number with one decimal (`{:.1}`), written through integer formatting: a report over
/// 10,000 trainees prints about a million chart coordinates, and the exact-decimal float
/// formatter was a tenth of its time. Halves round away from zero.
#[derive(Clone, Copy)]
pub(crate) struct F1(pub(crate) f64);

impl fmt::Display for F1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fixed(f, self.0, 1)
    }
}

/// A number rounded to a whole (`{:.0}`), written like [`F1`].
#[derive(Clone, Copy)]
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

/// A row of the cohort table.
struct TableRow {
    id: String,
    name: String,
    cohort: String,
    count: usize,
    passed: usize,
    /// Last grade and its class (`pass`/`fail`).
    last: Option<(u32, &'static str)>,
    mean: String,
    /// Proficient, achieved, not yet.
    levels: (usize, usize, usize),
    next: String,
}

fn table_row(r: &TraineeRow<'_>, curriculum: &Curriculum) -> TableRow {
    let n = r.sessions.len();
    let count = |l: Level| r.mastery.iter().filter(|m| m.level == l).count();
    TableRow {
        id: r.employee_id.to_owned(),
        name: r.name.clone(),
        cohort: r.cohort.clone(),
        count: n,
        passed: r.sessions.iter().filter(|s| s.passed).count(),
        last: r
            .sessions
            .iter()
            .max_by_key(|s| (s.finished, s.id))
            .map(|s| (s.grade, if s.passed { "pass" } else { "fail" })),
        mean: if n == 0 {
            "—".into()
        } else {
            F0(r.sessions.iter().map(|s| f64::from(s.grade)).sum::<f64>() / n as f64).to_string()
        },
        levels: (
            count(Level::Proficient),
            count(Level::Achieved),
            count(Level::NotYet),
        ),
        next: r
            .next
            .as_deref()
            .map(|id| {
                curriculum
                    .scenario(id)
                    .map_or_else(|| id.to_owned(), |s| s.title.vi.clone())
            })
            .unwrap_or_else(|| "—".into()),
    }
}

/// A dot of the trend chart.
pub(crate) struct TrendPoint {
    pub(crate) x: F1,
    pub(crate) y: F1,
    pub(crate) title: String,
}

/// Grades over time as a line with dots and the pass mark dashed: the HTML report (mean per day)
/// and the dashboard's trainee page (each session) draw it with `templates/trend_chart.html`.
pub(crate) struct TrendChart {
    pub(crate) label: &'static str,
    pub(crate) w: f64,
    pub(crate) h: f64,
    pub(crate) left: f64,
    pub(crate) top: f64,
    pub(crate) plot_w: f64,
    pub(crate) plot_h: f64,
    pub(crate) right: f64,
    pub(crate) ticks: Vec<(F1, F1, u32)>,
    pub(crate) pass_y: F1,
    pub(crate) pass_label: String,
    pub(crate) pass_label_x: F1,
    pub(crate) pass_label_y: F1,
    pub(crate) points: Vec<TrendPoint>,
    pub(crate) line: String,
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) axis_y: f64,
    pub(crate) mid_x: f64,
    pub(crate) mid_y: f64,
    pub(crate) empty: &'static str,
}

impl TrendChart {
    /// A chart of `(x in 0..=1, grade 0–100, title)` points; `first` and `last` label the axis.
    pub(crate) fn new(
        points: &[(f64, f64, String)],
        pass: u32,
        first: String,
        last: String,
    ) -> TrendChart {
        let (w, h, left, top, plot_w, plot_h) = (760.0, 260.0, 44.0, 12.0, 690.0, 200.0);
        let y_of = |g: f64| top + plot_h - g / 100.0 * plot_h;
        let py = y_of(f64::from(pass));
        let dots: Vec<TrendPoint> = points
            .iter()
            .map(|(x, g, title)| TrendPoint {
                x: F1(left + x * plot_w),
                y: F1(y_of(*g)),
                title: title.clone(),
            })
            .collect();
        TrendChart {
            label: "Điểm theo thời gian",
            w,
            h,
            left,
            top,
            plot_w,
            plot_h,
            right: left + plot_w,
            ticks: [0, 25, 50, 75, 100]
                .into_iter()
                .map(|g| (F1(left - 6.0), F1(y_of(f64::from(g)) + 4.0), g))
                .collect(),
            pass_y: F1(py),
            pass_label: format!("ngưỡng đạt {pass}"),
            pass_label_x: F1(left + plot_w - 4.0),
            pass_label_y: F1(py - 4.0),
            line: dots
                .iter()
                .map(|p| format!("{},{}", p.x, p.y))
                .collect::<Vec<_>>()
                .join(" "),
            points: dots,
            first,
            last,
            axis_y: top + plot_h + 18.0,
            mid_x: left + plot_w / 2.0,
            mid_y: top + plot_h / 2.0,
            empty: "Chưa có phiên nào",
        }
    }

    /// The mean grade per day of `sessions`.
    fn of_days(sessions: &[&StoredSession], pass: u32) -> TrendChart {
        let mut days: BTreeMap<i64, (u64, u64)> = BTreeMap::new();
        for s in sessions {
            let e = days.entry(s.finished.div_euclid(clock::DAY)).or_default();
            e.0 += u64::from(s.grade);
            e.1 += 1;
        }
        let (Some((&first, _)), Some((&last, _))) = (days.first_key_value(), days.last_key_value())
        else {
            return TrendChart::new(&[], pass, String::new(), String::new());
        };
        let span = (last - first).max(1) as f64;
        let points: Vec<(f64, f64, String)> = days
            .iter()
            .map(|(&d, &(sum, n))| {
                let mean = sum as f64 / n.max(1) as f64;
                let x = if first == last {
                    0.5
                } else {
                    (d - first) as f64 / span
                };
                let title = format!("{}: {} ({n} phiên)", clock::date(d * clock::DAY), F1(mean));
                (x, mean, title)
            })
            .collect();
        TrendChart::new(
            &points,
            pass,
            clock::date(first * clock::DAY),
            clock::date(last * clock::DAY),
        )
    }
}

struct HeatCell {
    x: F1,
    text_x: F1,
    fill: &'static str,
    fg: &'static str,
    text: String,
    title: String,
}

struct HeatRow {
    y: F1,
    text_y: F1,
    label: String,
    cells: Vec<HeatCell>,
}

/// Rows: trainees; columns: commitments; colour: mastery level; text: mastery value.
struct Heatmap {
    w: f64,
    h: f64,
    cell_w: F1,
    cell_h: F1,
    label_x: F1,
    columns: Vec<(F1, String, String)>,
    rows: Vec<HeatRow>,
}

impl Heatmap {
    fn of(rows: &[TraineeRow<'_>], curriculum: &Curriculum) -> Heatmap {
        let commitments = &curriculum.rulebook.commitments;
        let (label_w, cell_w, cell_h, head) = (220.0, 52.0, 20.0, 24.0);
        Heatmap {
            w: label_w + cell_w * commitments.len() as f64 + 4.0,
            h: head + cell_h * rows.len() as f64 + 4.0,
            cell_w: F1(cell_w - 2.0),
            cell_h: F1(cell_h - 2.0),
            label_x: F1(label_w - 6.0),
            columns: commitments
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        F1(label_w + cell_w * i as f64 + cell_w / 2.0),
                        c.id.clone(),
                        c.title.vi.clone(),
                    )
                })
                .collect(),
            rows: rows
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    let y = head + cell_h * r as f64;
                    let label = format!("{} · {}", row.employee_id, row.name);
                    HeatRow {
                        y: F1(y),
                        text_y: F1(y + 14.0),
                        label: label.chars().take(32).collect(),
                        cells: row
                            .mastery
                            .iter()
                            .enumerate()
                            .map(|(i, m)| {
                                let x = label_w + cell_w * i as f64;
                                let text = if m.sessions == 0 {
                                    String::from("—")
                                } else {
                                    F0(m.value).to_string()
                                };
                                HeatCell {
                                    x: F1(x),
                                    text_x: F1(x + cell_w / 2.0 - 1.0),
                                    fill: colour(m),
                                    fg: if matches!(colour(m), GREEN | RED) {
                                        "#fff"
                                    } else {
                                        "#212121"
                                    },
                                    title: format!(
                                        "{} · {}: {text} ({})",
                                        row.name,
                                        m.commitment,
                                        m.level.label().vi
                                    ),
                                    text,
                                }
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

struct BarRow {
    id: String,
    y: F1,
    text_y: F1,
    width: F1,
    fill: &'static str,
    title: String,
    value: F0,
}

/// One small bar chart per trainee: mastery per commitment, the pass mark as a line.
struct Bars {
    title: String,
    w: f64,
    h: f64,
    pass_x: F1,
    rows: Vec<BarRow>,
}

impl Bars {
    fn of(row: &TraineeRow<'_>, pass: u32) -> Bars {
        let (label_w, bar_w, bar_h) = (44.0, 240.0, 16.0);
        let h = row.mastery.len() as f64 * (bar_h + 4.0) + 4.0;
        Bars {
            title: format!("{} · {}", row.employee_id, row.name),
            w: label_w + bar_w + 40.0,
            h,
            pass_x: F1(label_w + f64::from(pass) / 100.0 * bar_w),
            rows: row
                .mastery
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let y = i as f64 * (bar_h + 4.0) + 2.0;
                    BarRow {
                        id: m.commitment.clone(),
                        y: F1(y),
                        text_y: F1(y + 12.0),
                        width: F1(m.value.clamp(0.0, 100.0) / 100.0 * bar_w),
                        fill: colour(m),
                        title: format!("{}: {} ({})", m.title.vi, F0(m.value), m.level.label().vi),
                        value: F0(m.value),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{F0, F1};

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
