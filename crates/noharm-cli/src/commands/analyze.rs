use noharm_engine::rule::TechnicalSeverity;
use noharm_engine::{AnalysisOptions, FindingStatus, analyze};
use noharm_report::{Report, TableOptions, json_report, render_table};

use crate::cli::{AnalyzeArgs, FailOn, ReportFormat};
use crate::commands::packs;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &AnalyzeArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(catalog) = packs::load(&args.packs, out)? else {
        return Ok(Code::Usage);
    };
    let loaded = noharm_model::load(&args.model);
    out.diagnostics_to_stderr(&loaded.diagnostics, &loaded.sources);
    let Some(model) = &loaded.model else {
        return Ok(Code::Usage);
    };

    let analysis = analyze(
        model,
        &catalog,
        AnalysisOptions {
            preview: args.preview,
        },
    );
    out.diagnostics_to_stderr(&analysis.diagnostics, &loaded.sources);
    let report = Report {
        model,
        sources: &loaded.sources,
        analysis: &analysis,
        catalog: &catalog,
    };

    let text = match args.format {
        ReportFormat::Table => render_table(
            &report,
            TableOptions {
                color: out.color() && args.output.is_none(),
                statements: !args.brief,
                all: args.all,
            },
        ),
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json_report(&report))
                .map_err(|error| Failure(format!("cannot serialise the report: {error}")))?;
            text.push('\n');
            text
        }
    };
    out.write_report(&text, args.output.as_deref())?;

    let gate_hit = args.fail_on.is_some_and(|threshold| {
        analysis.findings.iter().any(|finding| {
            finding.status == FindingStatus::Open && reaches(finding.severity, threshold)
        })
    });
    Ok(if gate_hit {
        Code::Findings
    } else {
        Code::Clean
    })
}

fn reaches(severity: TechnicalSeverity, threshold: FailOn) -> bool {
    let rank = match severity {
        TechnicalSeverity::Low => FailOn::Low,
        TechnicalSeverity::Medium => FailOn::Medium,
        TechnicalSeverity::High => FailOn::High,
        TechnicalSeverity::Critical => FailOn::Critical,
    };
    rank >= threshold
}
