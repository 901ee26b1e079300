//! Graphviz DOT: boundaries as nested clusters.

use std::fmt::Write;

use noharm_model::keywords::ElementKind;
use noharm_syntax::Keyword;

use crate::Direction;
use crate::overlay::Overlay;
use crate::scene::{Scene, SceneEdge, SceneNode};
use crate::style::{self, FLOW_COLOR, palette};
use crate::svg::escape as html_escape;

const FONT: &str = "Helvetica,Arial,sans-serif";

/// Renders `scene` as a DOT digraph.
pub(crate) fn render(scene: &Scene, direction: Direction) -> String {
    let rankdir = match direction {
        Direction::LeftToRight => "LR",
        Direction::TopToBottom => "TB",
    };
    let mut out = String::new();
    out.push_str("digraph noharm {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir={rankdir}, compound=true, newrank=true, fontname={font}, fontsize=13, labelloc=t, labeljust=l, nodesep=0.35, ranksep=0.7, label={label}];",
        font = quote(FONT),
        label = quote(&format!("{}\nData-flow diagram", scene.title)),
    );
    let _ = writeln!(
        out,
        "  node [fontname={font}, fontsize=11, shape=box, style=filled, fillcolor=\"#ffffff\", color=\"#37474f\", penwidth=1.2];",
        font = quote(FONT)
    );
    let _ = writeln!(
        out,
        "  edge [fontname={font}, fontsize=9, color=\"{FLOW_COLOR}\", fontcolor=\"#1f2933\", arrowsize=0.7];",
        font = quote(FONT)
    );
    for cluster in top_level(scene) {
        write_cluster(&mut out, scene, cluster, 1);
    }
    for (index, node) in scene.nodes.iter().enumerate() {
        if node.cluster.is_none() {
            write_node(&mut out, index, node, 1);
        }
    }
    for edge in &scene.edges {
        write_edge(&mut out, edge);
    }
    write_legend(&mut out);
    out.push_str("}\n");
    out
}

/// Boundaries with no parent.
pub(crate) fn top_level(scene: &Scene) -> Vec<usize> {
    (0..scene.clusters.len())
        .filter(|&index| scene.clusters[index].parent.is_none())
        .collect()
}

/// A DOT quoted string: backslashes and quotes escaped, control
/// characters replaced (callers write line breaks as `\n` themselves).
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn write_cluster(out: &mut String, scene: &Scene, index: usize, depth: usize) {
    if depth > scene.clusters.len() + 1 {
        return;
    }
    let cluster = &scene.clusters[index];
    let pad = indent(depth);
    let color = style::boundary_color(cluster.kind);
    let _ = writeln!(out, "{pad}subgraph cluster_b{index} {{");
    let _ = writeln!(
        out,
        "{pad}  label={}; tooltip={}; style=\"dashed,rounded\"; color=\"{color}\"; fontcolor=\"{color}\"; penwidth=1.3;",
        quote(&format!("{}\n{}", cluster.name, cluster.caption)),
        quote(&cluster.id),
    );
    for (node_index, node) in scene.nodes.iter().enumerate() {
        if node.cluster == Some(index) {
            write_node(out, node_index, node, depth + 1);
        }
    }
    for child in (0..scene.clusters.len()).filter(|&c| scene.clusters[c].parent == Some(index)) {
        write_cluster(out, scene, child, depth + 1);
    }
    let _ = writeln!(out, "{pad}}}");
}

/// The findings line under a name, if there are open findings.
pub(crate) fn findings_line(overlay: &Overlay) -> Option<String> {
    let best = overlay.best.filter(|_| overlay.open > 0)?;
    Some(format!("● {} open · {}", overlay.open, best.as_str()))
}

fn write_node(out: &mut String, index: usize, node: &SceneNode, depth: usize) {
    let pad = indent(depth);
    let best = node.overlay.best.filter(|_| node.overlay.open > 0);
    let colors = palette(best);
    let penwidth = if best.is_some() { 2.0 } else { 1.2 };
    let mut lines = vec![node.name.clone(), node.caption.clone()];
    lines.extend(findings_line(&node.overlay));
    if node.kind == ElementKind::Store {
        let body = lines
            .iter()
            .map(|line| html_escape(line))
            .collect::<Vec<_>>()
            .join("<br/>");
        let _ = writeln!(
            out,
            "{pad}n{index} [shape=plain, style=\"\", tooltip={}, label=<<table border=\"0\" cellborder=\"{}\" cellspacing=\"0\" cellpadding=\"7\" color=\"{}\" bgcolor=\"{}\"><tr><td sides=\"TB\">{body}</td></tr></table>>];",
            quote(&node.id),
            if best.is_some() { 2 } else { 1 },
            colors.stroke,
            colors.fill,
        );
        return;
    }
    let shape = match node.kind {
        ElementKind::Process => "shape=box, style=\"rounded,filled\"",
        ElementKind::Model => "shape=hexagon, style=filled",
        _ => "shape=box, style=filled",
    };
    let _ = writeln!(
        out,
        "{pad}n{index} [{shape}, label={}, tooltip={}, fillcolor=\"{}\", color=\"{}\", penwidth={penwidth}];",
        quote(&lines.join("\n")),
        quote(&node.id),
        colors.fill,
        colors.stroke,
    );
}

/// A flow's label lines: name, protocol and PHI, findings.
pub(crate) fn flow_label_lines(edge: &SceneEdge) -> Vec<String> {
    let mut lines = vec![edge.name.clone()];
    match (&edge.protocol, edge.phi) {
        (Some(protocol), true) => lines.push(format!("{protocol} · PHI")),
        (Some(protocol), false) => lines.push(protocol.clone()),
        (None, true) => lines.push("PHI".to_string()),
        (None, false) => {}
    }
    lines.extend(findings_line(&edge.overlay));
    lines
}

fn write_edge(out: &mut String, edge: &SceneEdge) {
    let best = edge.overlay.best.filter(|_| edge.overlay.open > 0);
    let color = if best.is_some() {
        palette(best).stroke
    } else {
        FLOW_COLOR
    };
    let penwidth = if edge.phi { 3.0 } else { 1.2 };
    let _ = writeln!(
        out,
        "  n{} -> n{} [label={}, tooltip={}, color=\"{color}\", penwidth={penwidth}];",
        edge.from,
        edge.to,
        quote(&flow_label_lines(edge).join("\n")),
        quote(&edge.id),
    );
}

fn write_legend(out: &mut String) {
    let mut rows = String::new();
    for priority in style::PRIORITIES {
        let colors = palette(Some(priority));
        let _ = write!(
            rows,
            "<tr><td bgcolor=\"{}\" color=\"{}\" border=\"2\">{}</td><td align=\"left\">{}</td></tr>",
            colors.fill,
            colors.stroke,
            priority.as_str(),
            style::priority_meaning(priority),
        );
    }
    out.push_str("  subgraph cluster_legend {\n");
    out.push_str(
        "    label=\"Legend\"; style=\"rounded\"; color=\"#cfd8dc\"; fontcolor=\"#1f2933\";\n",
    );
    let _ = writeln!(
        out,
        "    legend [shape=plain, style=\"\", label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"3\"><tr><td colspan=\"2\" align=\"left\"><b>Colour: most urgent open finding</b></td></tr>{rows}<tr><td>● n</td><td align=\"left\">open findings</td></tr><tr><td>thick edge</td><td align=\"left\">carries PHI</td></tr><tr><td>box</td><td align=\"left\">actor or external system</td></tr><tr><td>rounded box</td><td align=\"left\">process</td></tr><tr><td>two lines</td><td align=\"left\">data store</td></tr><tr><td>hexagon</td><td align=\"left\">model</td></tr><tr><td>dashed box</td><td align=\"left\">trust boundary</td></tr></table>>];"
    );
    out.push_str("  }\n");
}
