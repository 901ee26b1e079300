//! Mermaid flowchart: boundaries as nested subgraphs.

use std::fmt::Write;

use noharm_model::keywords::ElementKind;
use noharm_syntax::Keyword;

use crate::Direction;
use crate::dot::{findings_line, flow_label_lines, top_level};
use crate::scene::{Scene, SceneNode};
use crate::style::{self, FLOW_COLOR, palette};

/// Renders `scene` as a Mermaid flowchart.
pub(crate) fn render(scene: &Scene, direction: Direction) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "---\ntitle: \"{}\"\n---",
        text(&format!("{} · data-flow diagram", scene.title))
    );
    out.push_str(match direction {
        Direction::LeftToRight => "flowchart LR\n",
        Direction::TopToBottom => "flowchart TB\n",
    });
    for cluster in top_level(scene) {
        write_subgraph(&mut out, scene, cluster, 1);
    }
    for (index, node) in scene.nodes.iter().enumerate() {
        if node.cluster.is_none() {
            write_node(&mut out, index, node, 1);
        }
    }
    write_flows(&mut out, scene);
    write_legend(&mut out);
    write_styles(&mut out, scene);
    out
}

/// Text for inside a quoted Mermaid label: characters with a meaning in
/// Mermaid or HTML become entity codes (`#quot;` and the like); control
/// characters become spaces.
pub(crate) fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Lines joined with Mermaid line breaks, each escaped.
fn lines(lines: &[String]) -> String {
    lines
        .iter()
        .map(|line| text(line))
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn indent(depth: usize) -> String {
    "    ".repeat(depth)
}

fn write_subgraph(out: &mut String, scene: &Scene, index: usize, depth: usize) {
    if depth > scene.clusters.len() + 1 {
        return;
    }
    let cluster = &scene.clusters[index];
    let pad = indent(depth);
    let _ = writeln!(
        out,
        "{pad}subgraph b{index}[\"{}\"]",
        lines(&[cluster.name.clone(), cluster.caption.clone()])
    );
    for (node_index, node) in scene.nodes.iter().enumerate() {
        if node.cluster == Some(index) {
            write_node(out, node_index, node, depth + 1);
        }
    }
    for child in (0..scene.clusters.len()).filter(|&c| scene.clusters[c].parent == Some(index)) {
        write_subgraph(out, scene, child, depth + 1);
    }
    let _ = writeln!(out, "{pad}end");
}

fn write_node(out: &mut String, index: usize, node: &SceneNode, depth: usize) {
    let mut label = vec![node.name.clone(), node.caption.clone()];
    label.extend(findings_line(&node.overlay));
    let label = lines(&label);
    let (open, close) = match node.kind {
        ElementKind::Actor | ElementKind::External => ("[", "]"),
        ElementKind::Process => ("(", ")"),
        ElementKind::Store => ("[(", ")]"),
        ElementKind::Model => ("{{", "}}"),
    };
    let _ = writeln!(out, "{}n{index}{open}\"{label}\"{close}", indent(depth));
}

fn write_flows(out: &mut String, scene: &Scene) {
    for edge in &scene.edges {
        let arrow = if edge.phi { "==>" } else { "-->" };
        let _ = writeln!(
            out,
            "    n{} {arrow}|\"{}\"| n{}",
            edge.from,
            lines(&flow_label_lines(edge)),
            edge.to
        );
    }
}

fn write_legend(out: &mut String) {
    out.push_str("    subgraph legend[\"Legend: colour is the most urgent open finding\"]\n");
    for priority in style::PRIORITIES {
        let _ = writeln!(
            out,
            "        legend_{id}[\"{label} {meaning}\"]",
            id = priority.as_str().to_lowercase(),
            label = priority.as_str(),
            meaning = style::priority_meaning(priority),
        );
    }
    out.push_str("        legend_phi[\"thick arrow: carries PHI\"]\n");
    out.push_str("        legend_shapes[\"box: actor or external system<br/>rounded: process<br/>cylinder: data store<br/>hexagon: model\"]\n");
    out.push_str("    end\n");
}

fn write_styles(out: &mut String, scene: &Scene) {
    for priority in style::PRIORITIES {
        let colors = palette(Some(priority));
        let id = priority.as_str().to_lowercase();
        let _ = writeln!(
            out,
            "    classDef {id} fill:{},stroke:{},stroke-width:2px",
            colors.fill, colors.stroke
        );
        let mut members: Vec<String> = scene
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, node)| node.overlay.open > 0 && node.overlay.best == Some(priority))
            .map(|(index, _)| format!("n{index}"))
            .collect();
        members.push(format!("legend_{id}"));
        let _ = writeln!(out, "    class {} {id}", members.join(","));
    }
    for (index, cluster) in scene.clusters.iter().enumerate() {
        let color = style::boundary_color(cluster.kind);
        let _ = writeln!(
            out,
            "    style b{index} fill:none,stroke:{color},stroke-width:1.5px,stroke-dasharray:6 4"
        );
    }
    for (index, edge) in scene.edges.iter().enumerate() {
        let best = edge.overlay.best.filter(|_| edge.overlay.open > 0);
        let color = if best.is_some() {
            palette(best).stroke
        } else {
            FLOW_COLOR
        };
        let width = if edge.phi { 3.5 } else { 1.5 };
        let _ = writeln!(
            out,
            "    linkStyle {index} stroke:{color},stroke-width:{width}px"
        );
    }
}
