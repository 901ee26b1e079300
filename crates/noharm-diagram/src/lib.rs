//! Data-flow diagrams of noharm models, with findings overlaid.
//!
//! [`render`] draws a [`Model`] with its ranked findings in one of three
//! [`Format`]s:
//!
//! - **SVG**, laid out by this crate's own layered (Sugiyama-style) layout
//!   with nested clusters: no Graphviz or browser is needed. Trust
//!   boundaries are dashed boxes (with the vendor named on vendor
//!   boundaries), elements take their usual data-flow-diagram shapes
//!   (actors and external systems rectangles, processes rounded, stores two
//!   parallel lines, models hexagons), flows are labelled arrows with their
//!   protocol, PHI flows are thick and marked, and every element and flow
//!   is coloured by the most urgent open finding on it (P1 red, P2 orange,
//!   P3 yellow, P4 grey) with a badge counting its open findings. A legend
//!   explains all of it.
//! - **Graphviz DOT**, with boundaries as nested `cluster` subgraphs, for
//!   people who want to lay it out with `dot` themselves.
//! - **Mermaid** flowchart, with boundaries as nested subgraphs, for
//!   Markdown documents and wikis.
//!
//! All model text is escaped for each format, so hostile names cannot inject
//! markup. [`render_dag_svg`] exposes the same layout for any tree or DAG
//! (attack trees, harm chains).
//!
//! The SVG carries `data-*` attributes that tools and tests can read: each
//! element is a `<g class="node">` with `data-id`, `data-kind`,
//! `data-boundary`, `data-priority` and `data-box` (`x y width height`);
//! each boundary a `<g class="boundary">` with `data-id`, `data-parent` and
//! `data-box`; each flow a `<g class="flow">` with `data-id`, `data-from`,
//! `data-to`, `data-phi` and `data-priority`; labels are
//! `<g class="flow-label">` and `<g class="boundary-title">` with `data-box`.

mod card;
mod dag;
mod dfd;
mod dot;
mod layout;
mod legend;
mod mermaid;
mod overlay;
mod scene;
mod style;
mod svg;
mod text;

use std::fmt;
use std::str::FromStr;

use noharm_model::Model;
use noharm_risk::RankedFinding;

pub use dag::{DagEdge, DagNode, DagOptions, DagShape, Rgb, render_dag_svg};

/// An output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A standalone SVG document, laid out by this crate.
    Svg,
    /// Graphviz DOT source.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 3] = [Format::Svg, Format::Dot, Format::Mermaid];

    /// The name used on the command line: `svg`, `dot` or `mermaid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Dot => "dot",
            Format::Mermaid => "mermaid",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Dot => "dot",
            Format::Mermaid => "mmd",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not `svg`, `dot` or `mermaid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown diagram format `{}`: expected svg, dot or mermaid",
            self.0
        )
    }
}

impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(name: &str) -> Result<Format, UnknownFormat> {
        match name.to_ascii_lowercase().as_str() {
            "svg" => Ok(Format::Svg),
            "dot" | "gv" | "graphviz" => Ok(Format::Dot),
            "mermaid" | "mmd" => Ok(Format::Mermaid),
            _ => Err(UnknownFormat(name.to_string())),
        }
    }
}

/// Which way a layered drawing runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Edges point rightwards where they can.
    LeftToRight,
    /// Edges point downwards where they can.
    #[default]
    TopToBottom,
}

/// Choices for [`render_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Which way flows run. `None` (the default) lets the SVG renderer lay
    /// the diagram out both ways and keep the one that fits a landscape
    /// screen better; DOT and Mermaid then run left to right.
    pub direction: Option<Direction>,
}

/// Draws the data-flow diagram of `model` in `format`, with `findings`
/// overlaid, with default [`Options`].
///
/// Only open findings count: each element and flow is coloured by the most
/// urgent priority among the open findings whose subject it is, and badged
/// with how many there are. Pass an empty slice for a plain diagram.
pub fn render(model: &Model, findings: &[RankedFinding], format: Format) -> String {
    render_with(model, findings, format, &Options::default())
}

/// Draws the data-flow diagram of `model` in `format`, with `findings`
/// overlaid, as `options` say.
pub fn render_with(
    model: &Model,
    findings: &[RankedFinding],
    format: Format,
    options: &Options,
) -> String {
    let scene = scene::Scene::new(model, findings);
    let direction = options.direction;
    let fixed = direction.unwrap_or(Direction::LeftToRight);
    match format {
        Format::Svg => dfd::render(&scene, direction),
        Format::Dot => dot::render(&scene, fixed),
        Format::Mermaid => mermaid::render(&scene, fixed),
    }
}
