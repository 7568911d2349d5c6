//! `report --format xapi`: one xAPI 1.0.3 statement per session, for the company LMS (an LRS).
//!
//! Actor: an `account` (homePage: the company's, name: the employee id). Verb: ADL `passed` or
//! `failed`. Object: an activity per scenario with Vietnamese and English names. Result: score
//! (scaled 0–1, raw, min, max), success, completion, duration (ISO 8601) and per-commitment
//! percents as an extension. Context: the session's registration UUID. Timestamp: when it finished.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::profile::{Records, StoredSession};
use crate::scenario::{Curriculum, Lang};

use super::{ReportError, to_text};
use crate::clock;
use crate::text::display_name;

/// The actor account's homePage when none is configured.
pub const DEFAULT_HOME_PAGE: &str = "https://www.mobifone.vn";

/// ADL verb IRIs.
const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
/// ADL activity type of a simulation.
const SIMULATION: &str = "http://adlnet.gov/expapi/activities/simulation";

/// Percent-encodes an IRI path segment (keeps RFC 3986 unreserved characters).
fn segment(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            o.push(char::from(b));
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

/// The statements, as JSON text (an array). `home_page` is the company's site (actor account
/// homePage, and the base of the activity and extension IRIs).
pub fn to_xapi(
    records: &Records,
    curriculum: &Curriculum,
    home_page: &str,
) -> Result<String, ReportError> {
    to_text(|out| write_xapi(records, curriculum, home_page, out))
}

/// Writes the statements to `out` one at a time (the same text as [`to_xapi`]): an export of
/// every session never holds all the statements in memory.
pub fn write_xapi<W: std::io::Write>(
    records: &Records,
    curriculum: &Curriculum,
    home_page: &str,
    mut out: W,
) -> Result<(), ReportError> {
    let home = home_page.trim_end_matches('/');
    let ctx = Shared {
        home,
        names: records
            .trainees
            .iter()
            .map(|t| (t.employee_id.as_str(), display_name(&t.name)))
            .collect(),
        titles: curriculum
            .scenarios
            .iter()
            .map(|sc| {
                (
                    sc.id.as_str(),
                    (sc.title.vi.as_str(), sc.title.get(Lang::En)),
                )
            })
            .collect(),
        activities: records
            .sessions
            .iter()
            .map(|s| {
                (
                    &*s.scenario,
                    format!("{home}/care-trainer/scenarios/{}", segment(&s.scenario)),
                )
            })
            .collect(),
        ext_scores: format!("{home}/care-trainer/xapi/extensions/commitment-percents"),
        ext_mode: format!("{home}/care-trainer/xapi/extensions/mode"),
        ext_seed: format!("{home}/care-trainer/xapi/extensions/seed"),
    };
    serde_json::to_writer_pretty(
        &mut out,
        &All {
            ctx: &ctx,
            sessions: &records.sessions,
        },
    )?;
    out.write_all(b"\n")
        .and_then(|()| out.flush())
        .map_err(serde_json::Error::io)?;
    Ok(())
}

/// What every statement shares.
struct Shared<'a> {
    home: &'a str,
    names: HashMap<&'a str, String>,
    titles: HashMap<&'a str, (&'a str, &'a str)>,
    activities: HashMap<&'a str, String>,
    ext_scores: String,
    ext_mode: String,
    ext_seed: String,
}

/// Every session's statement, serialised as an array while it is built.
struct All<'a> {
    ctx: &'a Shared<'a>,
    sessions: &'a [StoredSession],
}

impl Serialize for All<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Sessions played by a bot are no one's attempt: never sent to the LMS.
        serializer.collect_seq(
            self.sessions
                .iter()
                .filter(|s| !s.bot)
                .map(|s| self.ctx.statement(s)),
        )
    }
}

impl<'a> Shared<'a> {
    /// One session's statement.
    fn statement(&'a self, s: &'a StoredSession) -> Statement<'a> {
        let home = self.home;
        let (names, activities) = (&self.names, &self.activities);
        let (ext_scores, ext_mode, ext_seed) = (&self.ext_scores, &self.ext_mode, &self.ext_seed);
        let (vi, en) = self
            .titles
            .get(&*s.scenario)
            .copied()
            .unwrap_or((&*s.scenario, &*s.scenario));
        Statement {
            version: "1.0.3",
            actor: Actor {
                object_type: "Agent",
                name: names.get(&*s.employee_id).map(String::as_str),
                account: Account {
                    home_page: home,
                    name: &s.employee_id,
                },
            },
            verb: if s.passed {
                Verb {
                    id: PASSED,
                    display: Display {
                        en: "passed",
                        vi: "đạt",
                    },
                }
            } else {
                Verb {
                    id: FAILED,
                    display: Display {
                        en: "failed",
                        vi: "chưa đạt",
                    },
                }
            },
            object: Object {
                object_type: "Activity",
                id: activities.get(&*s.scenario).map_or("", String::as_str),
                definition: Definition {
                    name: Names { vi, en },
                    kind: SIMULATION,
                },
            },
            result: Outcome {
                score: Score {
                    scaled: f64::from(s.grade) / 100.0,
                    raw: s.grade,
                    min: 0,
                    max: 100,
                },
                success: s.passed,
                completion: s.outcome != crate::scenario::model::Outcome::Abandoned,
                duration: clock::iso_duration(s.finished - s.started),
                extensions: BTreeMap::from([(
                    ext_scores.as_str(),
                    s.commitments
                        .iter()
                        .map(|c| (&*c.id, c.percent))
                        .collect::<BTreeMap<_, _>>(),
                )]),
            },
            context: Context {
                registration: &s.registration,
                platform: "Care Trainer",
                language: "vi-VN",
                extensions: BTreeMap::from([
                    (ext_mode.as_str(), s.mode.as_str().to_owned()),
                    (ext_seed.as_str(), s.seed.to_string()),
                ]),
            },
            timestamp: clock::iso8601(s.finished),
        }
    }
}

// The statement's JSON shape (a file format: kept apart from the domain types).

#[derive(Serialize)]
struct Statement<'a> {
    version: &'static str,
    actor: Actor<'a>,
    verb: Verb,
    object: Object<'a>,
    result: Outcome<'a>,
    context: Context<'a>,
    timestamp: String,
}

#[derive(Serialize)]
struct Actor<'a> {
    #[serde(rename = "objectType")]
    object_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    account: Account<'a>,
}

#[derive(Serialize)]
struct Account<'a> {
    #[serde(rename = "homePage")]
    home_page: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Verb {
    id: &'static str,
    display: Display,
}

#[derive(Serialize)]
struct Display {
    #[serde(rename = "en-US")]
    en: &'static str,
    #[serde(rename = "vi-VN")]
    vi: &'static str,
}

#[derive(Serialize)]
struct Object<'a> {
    #[serde(rename = "objectType")]
    object_type: &'static str,
    id: &'a str,
    definition: Definition<'a>,
}

#[derive(Serialize)]
struct Definition<'a> {
    name: Names<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Names<'a> {
    #[serde(rename = "vi-VN")]
    vi: &'a str,
    #[serde(rename = "en-US")]
    en: &'a str,
}

#[derive(Serialize)]
struct Outcome<'a> {
    score: Score,
    success: bool,
    completion: bool,
    duration: String,
    extensions: BTreeMap<&'a str, BTreeMap<&'a str, Option<u32>>>,
}

#[derive(Serialize)]
struct Score {
    scaled: f64,
    raw: u32,
    min: u32,
    max: u32,
}

#[derive(Serialize)]
struct Context<'a> {
    registration: &'a str,
    platform: &'static str,
    language: &'static str,
    extensions: BTreeMap<&'a str, String>,
}
