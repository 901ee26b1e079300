//! Renders model files to diagrams, with the built-in rule packs' findings
//! overlaid: `cargo run -p noharm-diagram --example render -- OUT_DIR MODEL...`
//! writes `OUT_DIR/NAME.svg`, `.dot` and `.mmd` for each model
//! (`NOHARM_DIRECTION=lr` or `tb` fixes the direction).

#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use noharm_diagram::{Direction, Format, Options, render_with};
use noharm_engine::{AnalysisOptions, analyze, builtin_catalog};
use noharm_risk::{Policy, RankedFinding, rank_findings};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out_dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: render OUT_DIR MODEL...");
        return ExitCode::from(2);
    };
    let mut failed = false;
    for model_path in args {
        if let Err(message) = render_one(Path::new(&model_path), &out_dir) {
            eprintln!("{model_path}: {message}");
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn render_one(path: &Path, out_dir: &Path) -> Result<(), String> {
    let loaded = noharm_model::load(path);
    let errors = loaded.n_errors();
    let model = loaded.model.ok_or_else(|| format!("{errors} errors"))?;
    let findings = findings(&model);
    let stem = path
        .file_stem()
        .map_or("model".into(), |s| s.to_string_lossy().into_owned());
    for format in Format::ALL {
        let target = out_dir.join(format!("{stem}.{}", format.extension()));
        std::fs::write(&target, render_with(&model, &findings, format, &options()))
            .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    }
    eprintln!("{stem}: {} findings", findings.len());
    Ok(())
}

/// `NOHARM_DIRECTION=lr` or `tb` fixes the direction; otherwise automatic.
fn options() -> Options {
    let direction = match std::env::var("NOHARM_DIRECTION").as_deref() {
        Ok("lr") => Some(Direction::LeftToRight),
        Ok("tb") => Some(Direction::TopToBottom),
        _ => None,
    };
    Options { direction }
}

fn findings(model: &noharm_model::Model) -> Vec<RankedFinding> {
    let Some(catalog) = builtin_catalog().catalog else {
        return Vec::new();
    };
    let analysis = analyze(model, &catalog, AnalysisOptions::default());
    rank_findings(model, &analysis, &Policy::default())
}
