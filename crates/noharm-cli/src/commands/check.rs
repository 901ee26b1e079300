use std::path::Path;

use noharm_model::{Loaded, load};
use noharm_syntax::{JsonDiagnostic, Keyword, to_json};
use serde::Serialize;

use crate::cli::{CheckArgs, DiagnosticFormat};
use crate::exit::Code;
use crate::output::{Failure, Output, Style};

pub(crate) fn run(args: &CheckArgs, out: &mut Output) -> Result<Code, Failure> {
    let results = args
        .models
        .iter()
        .map(|path| (path.as_path(), load(path)))
        .collect::<Vec<_>>();

    match args.format {
        DiagnosticFormat::Human => print_human(&results, args.quiet, out)?,
        DiagnosticFormat::Json => print_json(&results, out)?,
    }

    let n_errors: usize = results.iter().map(|(_, loaded)| loaded.n_errors()).sum();
    let n_warnings: usize = results.iter().map(|(_, loaded)| loaded.n_warnings()).sum();
    Ok(exit_code(n_errors, n_warnings, args.deny_warnings))
}

fn exit_code(n_errors: usize, n_warnings: usize, deny_warnings: bool) -> Code {
    if n_errors > 0 {
        Code::Usage
    } else if n_warnings > 0 && deny_warnings {
        Code::Findings
    } else {
        Code::Clean
    }
}

fn print_human(results: &[(&Path, Loaded)], quiet: bool, out: &mut Output) -> Result<(), Failure> {
    for (path, loaded) in results {
        out.diagnostics(&loaded.diagnostics, &loaded.sources)?;
        if quiet && loaded.diagnostics.is_empty() {
            continue;
        }
        let summary = summary_line(path, loaded, out);
        out.line(&summary)?;
    }
    Ok(())
}

fn summary_line(path: &Path, loaded: &Loaded, out: &Output) -> String {
    let (n_errors, n_warnings) = (loaded.n_errors(), loaded.n_warnings());
    let name = path.display();
    match &loaded.model {
        Some(model) => {
            let mark = if n_warnings == 0 {
                out.paint("ok", Style::Ok)
            } else {
                out.paint(&plural(n_warnings, "warning"), Style::Warning)
            };
            let details = format!(
                "system `{}`, {} tier, {}, {}, {}",
                model.system.id.value,
                model.system.effective_risk_tier().as_str(),
                plural(model.elements.len(), "element"),
                plural(model.flows.len(), "data flow"),
                plural(model.harms.len(), "harm"),
            );
            format!(
                "{name}: {mark} {}",
                out.paint(&format!("({details})"), Style::Dim)
            )
        }
        None => {
            let mut counts = vec![out.paint(&plural(n_errors, "error"), Style::Error)];
            if n_warnings > 0 {
                counts.push(out.paint(&plural(n_warnings, "warning"), Style::Warning));
            }
            format!("{name}: {}", counts.join(", "))
        }
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The `--format json` document. Fields are kept stable for scripts.
#[derive(Serialize)]
struct JsonReport {
    models: Vec<JsonModel>,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonModel {
    path: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    system: Option<JsonSystem>,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic>,
}

#[derive(Serialize)]
struct JsonSystem {
    id: String,
    risk_tier: &'static str,
    elements: usize,
    flows: usize,
    harms: usize,
}

fn print_json(results: &[(&Path, Loaded)], out: &mut Output) -> Result<(), Failure> {
    let models = results
        .iter()
        .map(|(path, loaded)| JsonModel {
            path: path.display().to_string(),
            valid: loaded.model.is_some(),
            system: loaded.model.as_ref().map(|model| JsonSystem {
                id: model.system.id.value.clone(),
                risk_tier: model.system.effective_risk_tier().as_str(),
                elements: model.elements.len(),
                flows: model.flows.len(),
                harms: model.harms.len(),
            }),
            errors: loaded.n_errors(),
            warnings: loaded.n_warnings(),
            diagnostics: loaded
                .diagnostics
                .iter()
                .map(|diagnostic| to_json(diagnostic, &loaded.sources))
                .collect(),
        })
        .collect::<Vec<_>>();
    let report = JsonReport {
        errors: models.iter().map(|model| model.errors).sum(),
        warnings: models.iter().map(|model| model.warnings).sum(),
        models,
    };

    let text = serde_json::to_string_pretty(&report)
        .map_err(|error| Failure(format!("cannot serialise the report: {error}")))?;
    out.line(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_documented_contract() {
        assert_eq!(exit_code(0, 0, false), Code::Clean);
        assert_eq!(exit_code(0, 3, false), Code::Clean);
        assert_eq!(exit_code(0, 3, true), Code::Findings);
        assert_eq!(exit_code(1, 0, true), Code::Usage);
        assert_eq!(exit_code(1, 5, false), Code::Usage);
    }
}
