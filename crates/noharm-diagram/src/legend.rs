//! The legend under a data-flow diagram: shapes, finding colours and
//! badges, flow styles.

use noharm_risk::Priority;
use noharm_syntax::Keyword;

use crate::layout::{Point, Rect};
use crate::style::{self, FLOW_COLOR, MUTED, TEXT, palette};
use crate::svg::{EdgeStyle, Paint, Shape, Svg, TextLine, data_box, num};
use crate::text::{self, Font};

const HEADING_FONT: Font = Font::bold(10.5);
const ENTRY_FONT: Font = Font::regular(10.5);
const SWATCH_WIDTH: f64 = 30.0;
const SWATCH_HEIGHT: f64 = 16.0;
const ROW_HEIGHT: f64 = 24.0;
const PAD: f64 = 10.0;
const ENTRY_GAP: f64 = 18.0;

/// What a legend entry shows.
#[derive(Clone, Copy, Debug)]
enum Swatch {
    Shape(Shape),
    Boundary,
    Priority(Priority),
    Badge,
    Flow { width: f64, color: &'static str },
}

#[derive(Clone, Debug)]
struct Entry {
    swatch: Swatch,
    text: String,
}

/// A measured legend.
#[derive(Clone, Debug)]
pub(crate) struct Legend {
    rows: Vec<(String, Vec<Entry>)>,
    heading_width: f64,
    /// Width of the legend box.
    pub(crate) width: f64,
    /// Height of the legend box.
    pub(crate) height: f64,
}

impl Legend {
    /// The legend; the PHI entry says whether any flow carries PHI.
    pub(crate) fn new(has_phi: bool) -> Legend {
        let entry = |swatch, text: &str| Entry {
            swatch,
            text: text.to_string(),
        };
        let elements = vec![
            entry(Swatch::Shape(Shape::Rectangle), "actor or external system"),
            entry(Swatch::Shape(Shape::Rounded), "process"),
            entry(Swatch::Shape(Shape::Store), "data store"),
            entry(Swatch::Shape(Shape::Hexagon), "model"),
            entry(Swatch::Boundary, "trust boundary"),
        ];
        let mut findings: Vec<Entry> = style::PRIORITIES
            .iter()
            .map(|&p| {
                entry(
                    Swatch::Priority(p),
                    &format!("{} {}", p.as_str(), style::priority_meaning(p)),
                )
            })
            .collect();
        findings.push(entry(Swatch::Badge, "number of open findings"));
        let phi_text = if has_phi {
            "carries PHI"
        } else {
            "carries PHI (none here)"
        };
        let flows = vec![
            entry(
                Swatch::Flow {
                    width: 1.4,
                    color: FLOW_COLOR,
                },
                "data flow",
            ),
            entry(
                Swatch::Flow {
                    width: 3.2,
                    color: FLOW_COLOR,
                },
                phi_text,
            ),
        ];
        let rows = vec![
            ("Elements".to_string(), elements),
            ("Open findings, most urgent".to_string(), findings),
            ("Data flows".to_string(), flows),
        ];
        let heading_width = rows
            .iter()
            .map(|(heading, _)| text::width(heading, HEADING_FONT))
            .fold(0.0, f64::max)
            + 14.0;
        let widest_row = rows
            .iter()
            .map(|(_, entries)| row_width(entries))
            .fold(0.0, f64::max);
        Legend {
            width: (2.0 * PAD + heading_width + widest_row).ceil(),
            height: 2.0 * PAD + ROW_HEIGHT * rows.len() as f64,
            rows,
            heading_width,
        }
    }

    /// Draws the legend with its top left corner at `at`.
    pub(crate) fn draw(&self, svg: &mut Svg, at: Point) {
        let frame = Rect {
            x: at.x,
            y: at.y,
            w: self.width,
            h: self.height,
        };
        svg.open_group(&[("class", "legend"), ("data-box", &data_box(&frame))]);
        svg.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"#fafafa\" stroke=\"#cfd8dc\"/>",
            num(frame.x),
            num(frame.y),
            num(frame.w),
            num(frame.h)
        ));
        for (index, (heading, entries)) in self.rows.iter().enumerate() {
            let row_top = at.y + PAD + ROW_HEIGHT * index as f64;
            let middle = row_top + ROW_HEIGHT / 2.0;
            let text_top = middle - ENTRY_FONT.line_height() / 2.0;
            svg.text_block(
                at.x + PAD,
                text_top,
                "start",
                &[line(heading, HEADING_FONT, TEXT)],
            );
            let mut x = at.x + PAD + self.heading_width;
            for entry in entries {
                draw_swatch(svg, entry.swatch, x, middle);
                let text_x = x + SWATCH_WIDTH + 6.0;
                svg.text_block(
                    text_x,
                    text_top,
                    "start",
                    &[line(&entry.text, ENTRY_FONT, MUTED)],
                );
                x = text_x + text::width(&entry.text, ENTRY_FONT) + ENTRY_GAP;
            }
        }
        svg.close_group();
    }
}

fn line(text: &str, font: Font, color: &'static str) -> TextLine {
    TextLine {
        text: text.to_string(),
        font,
        color,
    }
}

fn row_width(entries: &[Entry]) -> f64 {
    entries
        .iter()
        .map(|entry| SWATCH_WIDTH + 6.0 + text::width(&entry.text, ENTRY_FONT) + ENTRY_GAP)
        .sum::<f64>()
        - ENTRY_GAP
}

fn draw_swatch(svg: &mut Svg, swatch: Swatch, x: f64, middle: f64) {
    let rect = Rect {
        x,
        y: middle - SWATCH_HEIGHT / 2.0,
        w: SWATCH_WIDTH,
        h: SWATCH_HEIGHT,
    };
    let plain = palette(None);
    match swatch {
        Swatch::Shape(shape) => svg.shape(
            shape,
            &rect,
            Paint {
                fill: plain.fill,
                stroke: plain.stroke,
            },
            1.2,
        ),
        Swatch::Boundary => svg.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\" stroke-dasharray=\"5 3\"/>",
            num(rect.x),
            num(rect.y),
            num(rect.w),
            num(rect.h),
            style::boundary_color(noharm_model::keywords::BoundaryKind::Network)
        )),
        Swatch::Priority(priority) => {
            let colors = palette(Some(priority));
            svg.shape(
                Shape::Rounded,
                &rect,
                Paint {
                    fill: colors.fill,
                    stroke: colors.stroke,
                },
                2.0,
            );
        }
        Swatch::Badge => {
            let colors = palette(Some(Priority::P2));
            svg.badge(
                Point {
                    x: x + SWATCH_WIDTH / 2.0,
                    y: middle,
                },
                "n",
                colors.badge,
                colors.badge_text,
            );
        }
        Swatch::Flow { width, color } => {
            let points = [
                Point { x, y: middle },
                Point {
                    x: x + SWATCH_WIDTH,
                    y: middle,
                },
            ];
            svg.edge_path(
                &points,
                true,
                &EdgeStyle {
                    color,
                    width,
                    dashed: false,
                    marker: "noharm-arrow",
                },
            );
        }
    }
}
