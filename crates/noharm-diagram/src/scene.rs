//! What a diagram shows, taken from a model and its findings once, for every
//! output format.

use noharm_model::keywords::{BoundaryKind, Classification, ElementKind};
use noharm_model::{Flow, Model};
use noharm_risk::RankedFinding;
use noharm_syntax::Keyword;

use crate::overlay::{Overlay, overlays};
use crate::text::clean;

/// A diagram's content.
#[derive(Clone, Debug)]
pub(crate) struct Scene {
    /// The system's name.
    pub(crate) title: String,
    /// One per element, in model order.
    pub(crate) nodes: Vec<SceneNode>,
    /// One per boundary, in model order.
    pub(crate) clusters: Vec<SceneCluster>,
    /// One per flow, in model order.
    pub(crate) edges: Vec<SceneEdge>,
}

/// An element.
#[derive(Clone, Debug)]
pub(crate) struct SceneNode {
    /// Its id.
    pub(crate) id: String,
    /// Its display name.
    pub(crate) name: String,
    /// What kind of element.
    pub(crate) kind: ElementKind,
    /// Kind and lifecycle stage, for a caption.
    pub(crate) caption: String,
    /// Index of its boundary.
    pub(crate) cluster: Option<usize>,
    /// Its open findings.
    pub(crate) overlay: Overlay,
}

/// A trust boundary.
#[derive(Clone, Debug)]
pub(crate) struct SceneCluster {
    /// Its id.
    pub(crate) id: String,
    /// Its display name.
    pub(crate) name: String,
    /// What kind of boundary.
    pub(crate) kind: BoundaryKind,
    /// Kind, and the vendor for vendor boundaries, for a caption.
    pub(crate) caption: String,
    /// Index of the boundary it sits in.
    pub(crate) parent: Option<usize>,
}

/// A data flow.
#[derive(Clone, Debug)]
pub(crate) struct SceneEdge {
    /// Its id.
    pub(crate) id: String,
    /// Its display name.
    pub(crate) name: String,
    /// Its protocol.
    pub(crate) protocol: Option<String>,
    /// Index of the source element.
    pub(crate) from: usize,
    /// Index of the target element.
    pub(crate) to: usize,
    /// Whether it carries PHI.
    pub(crate) phi: bool,
    /// Its open findings.
    pub(crate) overlay: Overlay,
}

impl Scene {
    /// The scene of `model` with `findings` overlaid.
    pub(crate) fn new(model: &Model, findings: &[RankedFinding]) -> Scene {
        let by_subject = overlays(findings);
        let overlay = |id: &str| by_subject.get(id).copied().unwrap_or_default();
        let boundary_index = |id: &str| model.boundaries.iter().position(|b| b.id.as_str() == id);
        let element_index = |id: &str| model.elements.iter().position(|e| e.id.as_str() == id);

        let clusters = model
            .boundaries
            .iter()
            .map(|boundary| SceneCluster {
                id: clean(boundary.id.as_str()),
                name: clean(boundary.name.as_deref().unwrap_or(boundary.id.as_str())),
                kind: boundary.kind,
                caption: boundary_caption(boundary.kind, boundary.vendor.as_deref()),
                parent: boundary
                    .parent
                    .as_ref()
                    .and_then(|p| boundary_index(p.as_str())),
            })
            .collect();
        let nodes = model
            .elements
            .iter()
            .map(|element| SceneNode {
                id: clean(element.id.as_str()),
                name: clean(element.display_name()),
                kind: element.kind,
                caption: match element.stage {
                    Some(stage) => format!("{} · {}", kind_word(element.kind), stage.as_str()),
                    None => kind_word(element.kind).to_string(),
                },
                cluster: element
                    .boundary
                    .as_ref()
                    .and_then(|b| boundary_index(b.as_str())),
                overlay: overlay(element.id.as_str()),
            })
            .collect();
        let edges = model
            .flows
            .iter()
            .filter_map(|flow| {
                Some(SceneEdge {
                    id: clean(flow.id.as_str()),
                    name: clean(flow.display_name()),
                    protocol: flow.protocol.as_deref().map(clean),
                    from: element_index(flow.from.as_str())?,
                    to: element_index(flow.to.as_str())?,
                    phi: carries_phi(model, flow),
                    overlay: overlay(flow.id.as_str()),
                })
            })
            .collect();
        Scene {
            title: clean(&model.system.name),
            nodes,
            clusters,
            edges,
        }
    }

    /// Whether any flow carries PHI.
    pub(crate) fn has_phi(&self) -> bool {
        self.edges.iter().any(|edge| edge.phi)
    }
}

/// How an element kind is written in captions.
pub(crate) fn kind_word(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::Actor => "actor",
        ElementKind::External => "external system",
        ElementKind::Process => "process",
        ElementKind::Store => "data store",
        ElementKind::Model => "model",
    }
}

fn boundary_caption(kind: BoundaryKind, vendor: Option<&str>) -> String {
    match (kind, vendor) {
        (BoundaryKind::Vendor, Some(vendor)) => format!("vendor: {}", clean(vendor)),
        (_, Some(vendor)) => format!("{} boundary · vendor: {}", kind.as_str(), clean(vendor)),
        (_, None) => format!("{} boundary", kind.as_str()),
    }
}

fn carries_phi(model: &Model, flow: &Flow) -> bool {
    flow.data.iter().any(|id| {
        model
            .data_asset(id.as_str())
            .is_some_and(|asset| asset.classification == Classification::Phi)
    })
}
