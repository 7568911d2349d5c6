//! HR views of the profile store: [`to_csv`] (Excel), [`to_html`] (one self-contained page with
//! inline SVG charts), [`to_xapi`] (xAPI 1.0.3 statements for the LMS) and [`verify()`] (re-derives
//! every stored score from its seed and choice log).
//!
//! Every function here is pure: it takes the [`Records`] read from the store, the curriculum and
//! any time it prints, and returns text. No clock, no IO.

mod csv;
mod html;
pub mod items;
mod verify;
mod xapi;

use std::collections::HashMap;

use thiserror::Error;

use crate::profile::{Records, StoredSession, Trainee};

pub use self::csv::{neutralise, to_csv, write_csv};
pub(crate) use html::TrendChart;
pub use html::to_html;
pub use verify::{Cause, Mismatch, Subject, verify};
pub use xapi::{DEFAULT_HOME_PAGE, to_xapi, write_xapi};

/// Why a report could not be made.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The CSV writer failed.
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] ::csv::Error),
    /// The JSON writer failed.
    #[error("cannot write the JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// What a streaming report writer writes, as text (the `to_*` forms of the `write_*` ones).
fn to_text(
    write: impl FnOnce(&mut Vec<u8>) -> Result<(), ReportError>,
) -> Result<String, ReportError> {
    let mut bytes = Vec::new();
    write(&mut bytes)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Each trainee with their sessions (in the order of `records.sessions`).
pub fn by_trainee(records: &Records) -> Vec<(&Trainee, Vec<&StoredSession>)> {
    let mut of: HashMap<&str, Vec<&StoredSession>> = HashMap::new();
    for s in &records.sessions {
        of.entry(&*s.employee_id).or_default().push(s);
    }
    records
        .trainees
        .iter()
        .map(|t| (t, of.remove(t.employee_id.as_str()).unwrap_or_default()))
        .collect()
}
