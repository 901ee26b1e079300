//! The steps `analyze` and `tree` share: load packs and the model, find the
//! threats, rank them by patient harm.

use std::path::Path;

use noharm_engine::{AnalysisOptions, Catalog, analyze};
use noharm_model::Loaded;
use noharm_risk::{Policy, RankedFinding, rank_owned_findings};

use crate::cli::PackArgs;
use crate::commands::files::read_source;
use crate::commands::packs;
use crate::output::{Failure, Output};

/// A model analysed and ranked.
pub(crate) struct Ranked {
    pub(crate) loaded: Loaded,
    pub(crate) catalog: Catalog,
    /// The findings with their assessments, fix-first.
    pub(crate) ranked: Vec<RankedFinding>,
    /// Roles that sign a residual-risk acceptance at the system's tier.
    pub(crate) sign_off: Vec<String>,
}

/// Loads, analyses and ranks; `None` after printing why it could not.
pub(crate) fn analyse_and_rank(
    model_path: &Path,
    pack_args: &PackArgs,
    preview: bool,
    policy_path: Option<&Path>,
    out: &mut Output,
) -> Result<Option<Ranked>, Failure> {
    let Some(catalog) = packs::load(pack_args, out)? else {
        return Ok(None);
    };
    let Some(policy) = load_policy(policy_path, out)? else {
        return Ok(None);
    };
    let loaded = noharm_model::load(model_path);
    out.diagnostics_to_stderr(&loaded.diagnostics, &loaded.sources);
    let Some(model) = &loaded.model else {
        return Ok(None);
    };

    let options = AnalysisOptions {
        preview,
        ..AnalysisOptions::default()
    };
    let analysis = analyze(model, &catalog, options);
    out.diagnostics_to_stderr(&analysis.diagnostics, &loaded.sources);
    let ranked = rank_owned_findings(model, analysis.findings, &policy);
    let sign_off = policy
        .sign_off_roles(model.system.effective_risk_tier())
        .to_vec();
    Ok(Some(Ranked {
        loaded,
        catalog,
        ranked,
        sign_off,
    }))
}

/// The policy file, or the default policy; `None` after printing what is
/// wrong with the file.
fn load_policy(path: Option<&Path>, out: &mut Output) -> Result<Option<Policy>, Failure> {
    let Some(path) = path else {
        return Ok(Some(Policy::default()));
    };
    let (sources, file) = read_source(path)?;
    match noharm_risk::load_policy(&sources, file) {
        Ok(policy) => Ok(Some(policy)),
        Err(diagnostics) => {
            out.diagnostics_to_stderr(&diagnostics, &sources);
            Ok(None)
        }
    }
}
