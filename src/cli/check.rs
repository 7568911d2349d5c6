//! `care-trainer check`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::CheckFormat;
use crate::scenario::Check;
use crate::text::diagnostic::Severity;

pub(super) fn run(paths: &[PathBuf], format: CheckFormat) -> anyhow::Result<ExitCode> {
    let paths: Vec<PathBuf> = if paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        paths.to_vec()
    };
    let check = Check::paths(&paths);
    let errors = check
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = check.diagnostics.len() - errors;
    match format {
        CheckFormat::Json => {
            let v = json!({
                "ok": errors == 0,
                "rulebook": {
                    "commitments": check.rulebook.as_ref().map(|r| r.commitments.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).unwrap_or_default(),
                },
                "scenarios": check.scenarios.iter().map(|s| json!({
                    "id": s.id,
                    "file": s.file,
                    "title_vi": s.title.vi,
                    "situation": s.situation.as_str(),
                    "segment": s.segment.as_str(),
                    "steps": s.steps.len(),
                    "nodes": s.nodes.len(),
                    "choices": s.choice_count(),
                })).collect::<Vec<_>>(),
                "diagnostics": check.diagnostics.iter().map(|d| json!({
                    "code": d.code.as_str(),
                    "severity": d.severity.as_str(),
                    "file": d.file,
                    "line": d.line,
                    "column": d.column,
                    "message": d.message,
                    "help": d.help,
                })).collect::<Vec<_>>(),
            });
            super::emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
        }
        CheckFormat::Text => {
            for d in &check.diagnostics {
                super::emit(&format!(
                    "{}\n",
                    d.render(check.sources.get(&d.file).map(String::as_str))
                ))?;
            }
            super::emit(&format!(
                "checked {} scenario(s) and {} rulebook: {errors} error(s), {warnings} warning(s)\n",
                check.scenarios.len(),
                if check.rulebook.is_some() {
                    "the"
                } else {
                    "no valid"
                }
            ))?;
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
