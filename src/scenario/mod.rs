//! Scenarios: the RON file format ([`file`]), the validated model ([`model`]) and validation
//! ([`validate`]); and the [`Curriculum`], the
//! rulebook plus every scenario, with the copy embedded in the binary.

pub mod cues;
#[expect(
    missing_docs,
    reason = "each field is documented for trainers in docs/scenario-format.md"
)]
pub mod file;
pub mod model;
pub mod validate;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::rulebook::Rulebook;
use crate::text::diagnostic::{Code, Diagnostic, Locator};
use crate::text::load::{self, SourceFile};
pub use model::{Lang, Scenario, Segment, Situation, Text};

/// The file name of the rulebook inside a scenarios folder.
pub const RULEBOOK_FILE: &str = "rulebook.ron";

/// The curriculum embedded in the binary (a copy of `scenarios/`), as (file name, text).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_scenarios.rs"));

/// The rulebook and the scenarios, validated.
#[derive(Debug, Clone)]
pub struct Curriculum {
    /// The rulebook.
    pub rulebook: Arc<Rulebook>,
    /// The scenarios, sorted by id.
    pub scenarios: Vec<Arc<Scenario>>,
}

impl Curriculum {
    /// A scenario by id.
    pub fn scenario(&self, id: &str) -> Option<&Arc<Scenario>> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// The curriculum embedded in the binary. Its validity is proved by a test.
    pub fn embedded() -> Result<Curriculum, Vec<Diagnostic>> {
        let files = EMBEDDED
            .iter()
            .map(|(name, text)| SourceFile {
                path: format!("scenarios/{name}"),
                bytes: text.as_bytes().to_vec(),
            })
            .collect();
        Check::run(None, files).into_curriculum()
    }

    /// The scenarios folder a front end reads: the one given (`--scenarios`), else `./scenarios`
    /// when present, else none (the embedded curriculum).
    pub fn folder(given: Option<&Path>) -> Option<PathBuf> {
        match given {
            Some(p) => Some(p.to_path_buf()),
            None => Some(PathBuf::from("scenarios")).filter(|p| p.is_dir()),
        }
    }

    /// The curriculum a front end uses (DESIGN §8): the folder of [`Curriculum::folder`], or the
    /// embedded copy when there is none.
    pub fn resolve(given: Option<&Path>) -> Result<Curriculum, LoadError> {
        match Curriculum::folder(given) {
            Some(dir) if !dir.is_dir() => Err(LoadError::NoFolder(dir)),
            Some(dir) => Curriculum::load_dir(&dir).map_err(LoadError::Invalid),
            None => Curriculum::embedded().map_err(LoadError::Invalid),
        }
    }

    /// Loads a folder of `.ron` files (its `rulebook.ron` included).
    pub fn load_dir(dir: &Path) -> Result<Curriculum, Vec<Diagnostic>> {
        Check::paths(&[dir.to_path_buf()]).into_curriculum()
    }
}

/// Why [`Curriculum::resolve`] found no curriculum.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The scenarios folder given does not exist.
    #[error("scenarios folder `{}` does not exist", .0.display())]
    NoFolder(PathBuf),
    /// The curriculum has errors (the first five are named).
    #[error("{}", summarise(.0))]
    Invalid(Vec<Diagnostic>),
}

fn summarise(diags: &[Diagnostic]) -> String {
    let mut s = String::from("the curriculum has errors; run `care-trainer check` for details:\n");
    for d in diags.iter().take(5) {
        s.push_str(&format!(
            "  error[{}]: {} ({}:{}:{})\n",
            d.code.as_str(),
            d.message,
            d.file,
            d.line,
            d.column
        ));
    }
    s
}

/// The result of checking a set of files: what validated, and every problem.
#[derive(Debug, Default)]
pub struct Check {
    /// The rulebook, when it validated.
    pub rulebook: Option<Arc<Rulebook>>,
    /// The scenarios that validated.
    pub scenarios: Vec<Arc<Scenario>>,
    /// Every problem, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every file read, by path (for rendering source lines).
    pub sources: HashMap<String, String>,
}

impl Check {
    /// Checks files and folders. A `rulebook.ron` among them (or next to them) is the rulebook;
    /// without one, the embedded rulebook is used.
    pub fn paths(paths: &[PathBuf]) -> Check {
        let (files, mut read_diags) = load::read_paths(paths);
        let mut rulebook = None;
        if !files.iter().any(|f| is_rulebook(&f.path))
            && let Some(first) = paths.first()
        {
            let dir = if first.is_dir() {
                first.clone()
            } else {
                first.parent().map(Path::to_path_buf).unwrap_or_default()
            };
            let candidate = dir.join(RULEBOOK_FILE);
            if candidate.is_file() {
                let (mut found, d) = load::read_paths(&[candidate]);
                rulebook = found.pop();
                read_diags.extend(d);
            }
        }
        let mut c = Check::run(rulebook, files);
        c.diagnostics.splice(0..0, read_diags);
        c
    }

    /// Checks in-memory files. `rulebook` is used when no file among `files` is a rulebook;
    /// when neither exists the embedded rulebook is used.
    pub fn run(rulebook: Option<SourceFile>, files: Vec<SourceFile>) -> Check {
        let mut check = Check::default();
        let (rb_files, scenario_files): (Vec<SourceFile>, Vec<SourceFile>) =
            files.into_iter().partition(|f| is_rulebook(&f.path));
        let rb_is_checked_file = !rb_files.is_empty();
        let rb_source = rb_files.into_iter().next().or(rulebook).unwrap_or_else(|| {
            let text = EMBEDDED
                .iter()
                .find(|(n, _)| *n == RULEBOOK_FILE)
                .map_or("", |(_, t)| t);
            SourceFile {
                path: format!("scenarios/{RULEBOOK_FILE} (embedded)"),
                bytes: text.as_bytes().to_vec(),
            }
        });
        match load::decode(&rb_source.bytes, &rb_source.path) {
            Ok(src) => {
                let (rb, diags) = Rulebook::parse(src, &rb_source.path);
                check.rulebook = rb.map(Arc::new);
                check.diagnostics.extend(diags);
                check.sources.insert(rb_source.path.clone(), src.to_owned());
            }
            Err(d) => check.diagnostics.push(d),
        }
        let rulebook = check.rulebook.clone();
        let mut first_file_of: HashMap<String, String> = HashMap::new();
        for f in scenario_files {
            let src = match load::decode(&f.bytes, &f.path) {
                Ok(s) => s,
                Err(d) => {
                    check.diagnostics.push(d);
                    continue;
                }
            };
            check.sources.insert(f.path.clone(), src.to_owned());
            let raw: file::ScenarioFile = match load::parse_ron(src, &f.path) {
                Ok(r) => r,
                Err(d) => {
                    check.diagnostics.push(d);
                    continue;
                }
            };
            if let Some(first) = first_file_of.get(&raw.id) {
                let loc = Locator::new(src);
                let pos = loc
                    .find_field("id", &raw.id, 0)
                    .map_or((1, 1), |o| loc.line_col(o));
                check.diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateScenario,
                        &f.path,
                        pos,
                        format!("scenario id `{}` is already used by {first}", raw.id),
                    )
                    .with_help("give each scenario its own id (a copied file keeps the old id)"),
                );
                continue;
            }
            first_file_of.insert(raw.id.clone(), f.path.clone());
            let (scenario, diags) =
                validate::validate_scenario(raw, src, &f.path, rulebook.as_deref());
            check.diagnostics.extend(diags);
            if rulebook.is_none() {
                check.diagnostics.push(
                    Diagnostic::new(
                        Code::Rulebook,
                        &f.path,
                        (1, 1),
                        "this scenario was not fully checked: the rulebook has errors",
                    )
                    .with_help(format!("fix the errors in {} first", rb_source.path)),
                );
            }
            if let Some(s) = scenario {
                check.scenarios.push(Arc::new(s));
            }
        }
        // Only meaningful for a whole curriculum (a folder with its rulebook), not for one file.
        if let Some(rb) = &check.rulebook
            && rb_is_checked_file
            && !check.scenarios.is_empty()
        {
            for (ci, c) in rb.commitments.iter().enumerate() {
                let scored = check
                    .scenarios
                    .iter()
                    .any(|s| s.commitment_max.get(ci).is_some_and(|&m| m > 0));
                if !scored {
                    let loc = Locator::new(check.sources.get(&rb.file).map_or("", String::as_str));
                    let pos = loc
                        .find_field("id", &c.id, 0)
                        .map_or((1, 1), |o| loc.line_col(o));
                    check.diagnostics.push(
                        Diagnostic::new(
                            Code::CommitmentNeverScored,
                            &rb.file,
                            pos,
                            format!(
                                "no choice in the checked scenarios scores commitment {}",
                                c.id
                            ),
                        )
                        .with_help(format!(
                            "add `scores: {{\"{}\": 1}}` to the choices that show it",
                            c.id
                        )),
                    );
                }
            }
        }
        check.scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        check
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The curriculum, when there are no errors.
    pub fn into_curriculum(self) -> Result<Curriculum, Vec<Diagnostic>> {
        match (&self.rulebook, self.has_errors()) {
            (Some(rb), false) => Ok(Curriculum {
                rulebook: rb.clone(),
                scenarios: self.scenarios,
            }),
            _ => Err(self
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect()),
        }
    }
}

fn is_rulebook(path: &str) -> bool {
    Path::new(path)
        .file_name()
        .is_some_and(|n| n == RULEBOOK_FILE)
}
