//! Loading the knowledge base in force: the shipped files, with a folder laid over them if one is given.

use std::path::Path;

use anyhow::Context;
use kneeroot_core::Knowledge;
use kneeroot_core::knowledge::KbErrors;

use crate::commands::Failure;

/// Read every `*.toml` file of `dir` as an override.
pub fn read_overrides(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read the knowledge folder {}", dir.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read the knowledge folder {}", dir.display()))?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        out.push((name, text));
    }
    out.sort();
    Ok(out)
}

/// The knowledge base in force, or the errors that prevent it.
pub fn load(dir: Option<&Path>) -> Result<Knowledge, Failure> {
    let overrides = match dir {
        Some(d) => read_overrides(d).map_err(Failure::input)?,
        None => Vec::new(),
    };
    Knowledge::with_overrides(&overrides).map_err(|e: KbErrors| {
        Failure::input(anyhow::anyhow!("the knowledge base has errors (run `kneeroot kb check` for details):\n{e}"))
    })
}
