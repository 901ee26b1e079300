use noharm_syntax::{FileId, Limits, SourceMap, parse_yaml};
use noharm_trees::{
    AttackTree, EvalLimits, Format, analyze, render_dot, render_text, report, trees_from_findings,
};

use crate::cli::{TreeArgs, TreeFormat};
use crate::commands::files::read_source;
use crate::commands::pipeline::analyse_and_rank;
use crate::exit::Code;
use crate::output::{Failure, Output};

pub(crate) fn run(args: &TreeArgs, out: &mut Output) -> Result<Code, Failure> {
    let Some(trees) = trees_for(args, out)? else {
        return Ok(Code::Usage);
    };
    let trees: Vec<AttackTree> = match &args.harm {
        Some(harm) => {
            let wanted = format!("harm-{harm}");
            let picked: Vec<AttackTree> = trees
                .into_iter()
                .filter(|tree| tree.id() == wanted)
                .collect();
            if picked.is_empty() {
                return Err(Failure(format!(
                    "no finding reaches the harm `{harm}`, so it has no attack tree"
                )));
            }
            picked
        }
        None => trees,
    };

    if args.format == TreeFormat::Svg && trees.len() > 1 {
        let harms: Vec<&str> = trees
            .iter()
            .map(|tree| tree.id().trim_start_matches("harm-"))
            .collect();
        return Err(Failure(format!(
            "an SVG file holds one tree; choose one with --harm ({})",
            harms.join(", ")
        )));
    }

    let limits = EvalLimits::default();
    let mut text = String::new();
    let mut documents = Vec::new();
    for tree in &trees {
        let analysis = match analyze(tree, &limits) {
            Ok(analysis) => Some(analysis),
            Err(error) => {
                out.line(&format!("{}: not evaluated: {error}", tree.id()))?;
                None
            }
        };
        match args.format {
            TreeFormat::Text => {
                text.push_str(&render_text(tree, analysis.as_ref()));
                text.push('\n');
            }
            TreeFormat::Dot => text.push_str(&render_dot(tree, analysis.as_ref())),
            TreeFormat::Svg => text.push_str(&tree_svg(tree, analysis.as_ref())),
            TreeFormat::Json => documents.push(report(tree, analysis.as_ref())),
        }
    }
    if args.format == TreeFormat::Json {
        text = serde_json::to_string_pretty(&documents)
            .map_err(|error| Failure(format!("cannot serialise the trees: {error}")))?;
        text.push('\n');
    }
    out.write_report(&text, args.output.as_deref())?;
    Ok(Code::Clean)
}

/// The trees generated from a model's findings, or read from a tree file
/// (noharm's own format, ADTool XML or deciduous YAML).
fn trees_for(args: &TreeArgs, out: &mut Output) -> Result<Option<Vec<AttackTree>>, Failure> {
    let path = &args.input;
    let (sources, file) = read_source(path)?;

    if is_model(&sources, file) {
        let Some(ranked) = analyse_and_rank(path, &args.packs, false, args.policy.as_deref(), out)?
        else {
            return Ok(None);
        };
        let Some(model) = &ranked.loaded.model else {
            return Ok(None);
        };
        return Ok(Some(trees_from_findings(model, &ranked.ranked)));
    }

    let format = Format::detect(&path.display().to_string(), sources.file(file).text());
    let loaded = noharm_trees::load(&sources, file, format);
    out.diagnostics_to_stderr(&loaded.diagnostics, &sources);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return Ok(None);
    }
    Ok(Some(loaded.trees))
}

/// Whether the file is a noharm model (its top level has `noharm:`), as
/// opposed to an attack tree.
fn is_model(sources: &SourceMap, file: FileId) -> bool {
    let Ok(root) = parse_yaml(sources.file(file), file, &Limits::default()) else {
        return false;
    };
    match &root.kind {
        noharm_syntax::NodeKind::Map(entries) => entries
            .iter()
            .any(|entry| entry.key.scalar_text() == Some("noharm")),
        _ => false,
    }
}

/// Draws an attack tree as SVG: gates as rounded boxes, steps as boxes with
/// their cost, skill and probability, the cheapest attack set in red, and
/// countermeasures as hexagons with dashed edges to what they block (green
/// when in place).
pub(crate) fn tree_svg(tree: &AttackTree, analysis: Option<&noharm_trees::Analysis>) -> String {
    use noharm_diagram::{DagEdge, DagNode, DagOptions, DagShape, Rgb, render_dag_svg};
    use noharm_trees::NodeKind;

    let cheapest: Vec<noharm_trees::NodeId> = analysis
        .and_then(|a| {
            a.min_cost
                .as_ref()
                .and_then(|best| a.attack_sets.get(best.set))
        })
        .map(|set| set.nodes.clone())
        .unwrap_or_default();

    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (index, node) in tree.nodes().iter().enumerate() {
        let mut drawn = DagNode::new(node.id.clone(), node.label.clone());
        match &node.kind {
            NodeKind::Step(step) => {
                drawn.note = Some(format!(
                    "cost {} · skill {} · {} h · p {}",
                    step.cost, step.skill, step.time, step.probability
                ));
                if cheapest.iter().any(|id| id.index() == index) {
                    drawn.fill = Some(Rgb(0xfd, 0xe2, 0xe1));
                    drawn.stroke = Some(Rgb(0xc0, 0x39, 0x2b));
                }
            }
            NodeKind::Gate { gate, children } => {
                drawn.shape = DagShape::Rounded;
                drawn.note = Some(gate.as_str().to_uppercase());
                let sequential = matches!(gate, noharm_trees::Gate::Sand);
                for (position, child) in children.iter().enumerate() {
                    let mut edge = DagEdge::new(node.id.clone(), tree.name(*child).to_string());
                    if sequential {
                        edge.label = Some(format!("{}", position + 1));
                    }
                    edges.push(edge);
                }
            }
        }
        nodes.push(drawn);
    }
    for countermeasure in tree.countermeasures() {
        let mut drawn = DagNode::new(
            format!("cm:{}", countermeasure.id),
            countermeasure.label.clone(),
        );
        drawn.shape = DagShape::Hexagon;
        drawn.note = Some(if countermeasure.applied {
            "in place".to_string()
        } else {
            "possible".to_string()
        });
        drawn.fill = Some(if countermeasure.applied {
            Rgb(0xd5, 0xf5, 0xe3)
        } else {
            Rgb(0xf2, 0xf3, 0xf4)
        });
        for blocked in &countermeasure.blocks {
            let mut edge = DagEdge::new(
                format!("cm:{}", countermeasure.id),
                tree.name(*blocked).to_string(),
            );
            edge.dashed = true;
            edges.push(edge);
        }
        nodes.push(drawn);
    }

    let summary = analysis
        .and_then(|a| a.min_cost.as_ref())
        .map_or_else(String::new, |best| {
            format!(" (cheapest attack costs {})", best.value)
        });
    let options = DagOptions {
        title: Some(format!("{}{summary}", tree.title())),
        ..DagOptions::default()
    };
    render_dag_svg(&nodes, &edges, &options)
}
