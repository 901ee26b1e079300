use noharm_diagram::{Format, render};

use crate::cli::{DiagramArgs, DiagramFormat};
use crate::commands::pipeline::analyse_and_rank;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &DiagramArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(ranked) = analyse_and_rank(&args.model, &args.packs, false, None, out)? else {
        return Ok(Code::Usage);
    };
    let Some(model) = &ranked.loaded.model else {
        return Ok(Code::Usage);
    };
    let format = match args.format {
        DiagramFormat::Svg => Format::Svg,
        DiagramFormat::Dot => Format::Dot,
        DiagramFormat::Mermaid => Format::Mermaid,
    };
    // The findings overlay can be left out for a plain architecture view.
    let findings = if args.no_findings {
        &[][..]
    } else {
        &ranked.ranked[..]
    };
    let text = render(model, findings, format);
    out.write_report(&text, args.output.as_deref())?;
    Ok(Code::Clean)
}
