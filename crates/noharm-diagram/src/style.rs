//! Colours: by finding priority, and by boundary kind.

use noharm_model::keywords::BoundaryKind;
use noharm_risk::Priority;

/// How something with findings of a priority is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Palette {
    /// Outline and edge colour.
    pub(crate) stroke: &'static str,
    /// Fill of a node.
    pub(crate) fill: &'static str,
    /// Fill of a count badge.
    pub(crate) badge: &'static str,
    /// Text on a count badge.
    pub(crate) badge_text: &'static str,
}

/// The colours for the best priority of open findings (`None`: no findings).
pub(crate) fn palette(priority: Option<Priority>) -> Palette {
    match priority {
        Some(Priority::P1) => Palette {
            stroke: "#c62828",
            fill: "#fde2e2",
            badge: "#c62828",
            badge_text: "#ffffff",
        },
        Some(Priority::P2) => Palette {
            stroke: "#e65100",
            fill: "#ffe9d2",
            badge: "#ef6c00",
            badge_text: "#ffffff",
        },
        Some(Priority::P3) => Palette {
            stroke: "#a68400",
            fill: "#fff6bf",
            badge: "#f2c400",
            badge_text: "#222222",
        },
        Some(Priority::P4) => Palette {
            stroke: "#757575",
            fill: "#ececec",
            badge: "#8a8a8a",
            badge_text: "#ffffff",
        },
        None => Palette {
            stroke: "#37474f",
            fill: "#ffffff",
            badge: "#37474f",
            badge_text: "#ffffff",
        },
    }
}

/// Colour of a flow without findings.
pub(crate) const FLOW_COLOR: &str = "#546e7a";

/// Text colours.
pub(crate) const TEXT: &str = "#1f2933";
/// Secondary text.
pub(crate) const MUTED: &str = "#5f6b76";
/// The PHI mark.
pub(crate) const PHI: &str = "#b00020";

/// Border colour of a trust boundary.
pub(crate) fn boundary_color(kind: BoundaryKind) -> &'static str {
    match kind {
        BoundaryKind::Vendor => "#8e24aa",
        BoundaryKind::Cloud => "#1565c0",
        BoundaryKind::Network => "#455a64",
        BoundaryKind::Organization => "#2e7d32",
        BoundaryKind::Process => "#6d4c41",
    }
}

/// Meaning of each priority, for legends.
pub(crate) fn priority_meaning(priority: Priority) -> &'static str {
    match priority {
        Priority::P1 => "fix now",
        Priority::P2 => "fix soon",
        Priority::P3 => "plan the fix",
        Priority::P4 => "track",
    }
}

/// All priorities, most urgent first.
pub(crate) const PRIORITIES: [Priority; 4] =
    [Priority::P1, Priority::P2, Priority::P3, Priority::P4];
