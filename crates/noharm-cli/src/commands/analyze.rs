use noharm_engine::rule::TechnicalSeverity;
use noharm_engine::{Analysis, FindingStatus};
use noharm_report::{
    HtmlExtras, Report, TableOptions, json_report, render_csv, render_html_with, render_markdown,
    render_sarif, render_table,
};

use crate::cli::{AnalyzeArgs, AnalyzeFormat, FailOn};
use crate::commands::pipeline::{self, analyse_and_rank};
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &AnalyzeArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(pipeline::Ranked {
        loaded,
        catalog,
        ranked,
        sign_off,
    }) = analyse_and_rank(
        &args.model,
        &args.packs,
        args.preview,
        args.policy.as_deref(),
        out,
    )?
    else {
        return Ok(Code::Usage);
    };
    let Some(model) = &loaded.model else {
        return Ok(Code::Usage);
    };
    // The page embeds the data-flow diagram, drawn from the ranked findings.
    let diagram = (args.format == AnalyzeFormat::Html)
        .then(|| noharm_diagram::render(model, &ranked, noharm_diagram::Format::Svg));
    let trees = (args.format == AnalyzeFormat::Html).then(|| attack_tree_figures(model, &ranked));

    // Reports read findings and assessments side by side; splitting moves
    // them rather than copying portfolio-sized lists.
    let (findings, assessments): (Vec<_>, Vec<_>) = ranked
        .into_iter()
        .map(|r| (r.finding, r.assessment))
        .unzip();
    let analysis = Analysis {
        findings,
        diagnostics: Vec::new(),
    };
    let report = Report {
        model,
        sources: &loaded.sources,
        analysis: &analysis,
        catalog: &catalog,
        assessments: Some(&assessments),
        sign_off: &sign_off,
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
            out.write_json(&json_report(&report), args.output.as_deref())?;
            String::new()
        }
        AnalyzeFormat::Markdown => render_markdown(&report),
        AnalyzeFormat::Csv => render_csv(&report),
        AnalyzeFormat::Sarif => render_sarif(&report),
        AnalyzeFormat::Html => render_html_with(
            &report,
            HtmlExtras {
                data_flow_svg: diagram.as_deref(),
                attack_trees: trees.as_deref(),
            },
        ),
    };
    if args.format != AnalyzeFormat::Json {
        out.write_report(&text, args.output.as_deref())?;
    }

    let gate_hit = args.fail_on.is_some_and(|threshold| {
        analysis.findings.iter().any(|finding| {
            finding.status == FindingStatus::Open && reaches(finding.severity, threshold)
        })
    });

    // The process ends right after this: freeing a portfolio's hundreds of
    // thousands of small strings one by one would cost a fifth of the run,
    // and the operating system reclaims the memory at once anyway.
    std::mem::forget((analysis, assessments, text));
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

/// Every harm's attack tree as SVG, one after another, for the HTML page.
fn attack_tree_figures(
    model: &noharm_model::Model,
    ranked: &[noharm_risk::RankedFinding],
) -> String {
    let limits = noharm_trees::EvalLimits::default();
    noharm_trees::trees_from_findings(model, ranked)
        .iter()
        .map(|tree| {
            let analysis = noharm_trees::analyze(tree, &limits).ok();
            crate::commands::tree::tree_svg(tree, analysis.as_ref())
        })
        .collect::<Vec<_>>()
        .join("\n")
}
