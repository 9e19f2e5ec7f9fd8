//! Shared helpers for the language tests: finding the `.stan` programs in the repository.

use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "stan") {
            out.push(p);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.stan` file under `dir` (relative to the crate root), sorted, with its text.
pub fn programs_in(dir: &str) -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    collect(&root().join(dir), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let src =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (
                p.strip_prefix(root()).map(Path::to_path_buf).unwrap_or(p),
                src,
            )
        })
        .collect()
}

/// The folder of shipped models that use an ODE solver, which hazel does not support yet.
pub const NEEDS_ODE: &str = "models/posteriordb/needs_ode";

/// The programs that must be accepted: `tests/lang/good/` and everything under `models/`
/// except [`NEEDS_ODE`].
pub fn good_programs() -> Vec<(PathBuf, String)> {
    let mut all = programs_in("tests/lang/good");
    all.extend(
        programs_in("models")
            .into_iter()
            .filter(|(p, _)| !p.starts_with(NEEDS_ODE)),
    );
    all
}

/// The programs that must be refused, each with the text of its `.stderr` file.
#[allow(dead_code)]
pub fn bad_programs() -> Vec<(PathBuf, String, PathBuf)> {
    programs_in("tests/lang/bad")
        .into_iter()
        .map(|(p, src)| {
            let expected = p.with_extension("stderr");
            (p, src, expected)
        })
        .collect()
}
