//! `report --format xapi`: one xAPI 1.0.3 statement per session, for the company LMS (an LRS).
//!
//! Actor: an `account` (homePage: the company's, name: the employee id). Verb: ADL `passed` or
//! `failed`. Object: an activity per scenario with Vietnamese and English names. Result: score
//! (scaled 0–1, raw, min, max), success, completion, duration (ISO 8601) and per-commitment
//! percents as an extension. Context: the session's registration UUID. Timestamp: when it finished.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::profile::Records;
use crate::scenario::model::Outcome;
use crate::scenario::{Curriculum, Lang};

use super::{display_name, time};

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

/// The statements, as a JSON array. `home_page` is the company's site (actor account homePage,
/// and the base of the activity and extension IRIs).
pub fn to_xapi(records: &Records, curriculum: &Curriculum, home_page: &str) -> Value {
    let home = home_page.trim_end_matches('/');
    let names: HashMap<&str, &str> = records
        .trainees
        .iter()
        .map(|t| (t.employee_id.as_str(), t.name.as_str()))
        .collect();
    let ext_scores = format!("{home}/care-trainer/xapi/extensions/commitment-percents");
    let ext_mode = format!("{home}/care-trainer/xapi/extensions/mode");
    let ext_seed = format!("{home}/care-trainer/xapi/extensions/seed");
    let statements = records
        .sessions
        .iter()
        .map(|s| {
            let (vi, en) = curriculum.scenario(&s.scenario).map_or_else(
                || (s.scenario.clone(), s.scenario.clone()),
                |sc| (sc.title.vi.clone(), sc.title.get(Lang::En).to_owned()),
            );
            let percents: Map<String, Value> = s
                .commitments
                .iter()
                .map(|c| (c.id.clone(), json!(c.percent)))
                .collect();
            let mut actor = json!({
                "objectType": "Agent",
                "account": {"homePage": home, "name": s.employee_id},
            });
            if let Some(name) = names.get(s.employee_id.as_str()) {
                actor["name"] = json!(display_name(name));
            }
            json!({
                "version": "1.0.3",
                "actor": actor,
                "verb": if s.passed {
                    json!({"id": PASSED, "display": {"en-US": "passed", "vi-VN": "đạt"}})
                } else {
                    json!({"id": FAILED, "display": {"en-US": "failed", "vi-VN": "chưa đạt"}})
                },
                "object": {
                    "objectType": "Activity",
                    "id": format!("{home}/care-trainer/scenarios/{}", segment(&s.scenario)),
                    "definition": {
                        "name": {"vi-VN": vi, "en-US": en},
                        "type": SIMULATION,
                    },
                },
                "result": {
                    "score": {
                        "scaled": f64::from(s.grade) / 100.0,
                        "raw": s.grade,
                        "min": 0,
                        "max": 100,
                    },
                    "success": s.passed,
                    "completion": s.outcome != Outcome::Abandoned,
                    "duration": time::iso_duration(s.finished - s.started),
                    "extensions": {ext_scores.clone(): percents},
                },
                "context": {
                    "registration": s.registration,
                    "platform": "Care Trainer",
                    "language": "vi-VN",
                    "extensions": {ext_mode.clone(): s.mode.as_str(), ext_seed.clone(): s.seed.to_string()},
                },
                "timestamp": time::iso8601(s.finished),
            })
        })
        .collect();
    Value::Array(statements)
}
