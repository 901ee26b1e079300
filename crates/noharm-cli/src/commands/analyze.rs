use noharm_engine::FindingStatus;
use noharm_engine::rule::TechnicalSeverity;
use noharm_report::{
    Report, TableOptions, json_report, render_csv, render_html, render_markdown, render_sarif,
    render_table,
};

use crate::cli::{AnalyzeArgs, AnalyzeFormat, FailOn};
use crate::commands::pipeline::analyse_and_rank;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &AnalyzeArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(ranked) = analyse_and_rank(
        &args.model,
        &args.packs,
        args.preview,
        args.policy.as_deref(),
        out,
    )?
    else {
        return Ok(Code::Usage);
    };
    let Some(model) = &ranked.loaded.model else {
        return Ok(Code::Usage);
    };
    let analysis = &ranked.analysis;
    let report = Report {
        model,
        sources: &ranked.loaded.sources,
        analysis,
        catalog: &ranked.catalog,
        ranked: Some(&ranked.ranked),
    };

    let text = match args.format {
        AnalyzeFormat::Table => render_table(
            &report,
            TableOptions {
                color: out.color() && args.output.is_none(),
                statements: !args.brief,
                all: args.all,
            },
        ),
        AnalyzeFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json_report(&report))
                .map_err(|error| Failure(format!("cannot serialise the report: {error}")))?;
            text.push('\n');
            text
        }
        AnalyzeFormat::Markdown => render_markdown(&report),
        AnalyzeFormat::Csv => render_csv(&report),
        AnalyzeFormat::Sarif => render_sarif(&report),
        AnalyzeFormat::Html => render_html(&report),
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
