//! Writing SVG: escaping, numbers, and the shapes and text blocks both the
//! data-flow diagram and the generic DAG renderer draw.

use std::fmt::Write;

use crate::layout::{Point, Rect};
use crate::text::{self, FONT_FAMILY, Font};

/// Escapes text for XML content and attribute values; control characters,
/// which XML does not allow, become spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal.
pub(crate) fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// A rectangle as the value of a `data-box` attribute: `x y w h`.
pub(crate) fn data_box(rect: &Rect) -> String {
    format!(
        "{} {} {} {}",
        num(rect.x),
        num(rect.y),
        num(rect.w),
        num(rect.h)
    )
}

/// How a box-shaped node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Square corners.
    Rectangle,
    /// Rounded corners.
    Rounded,
    /// Two parallel lines, open at the sides (a data store).
    Store,
    /// Pointed at both ends along the width.
    Hexagon,
}

impl Shape {
    /// How far the pointed ends of a hexagon `height` high reach in.
    pub(crate) fn point_depth(self, height: f64) -> f64 {
        match self {
            Shape::Hexagon => (height / 4.0).min(18.0),
            _ => 0.0,
        }
    }
}

/// Colours of one drawn thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paint<'a> {
    /// Fill colour.
    pub(crate) fill: &'a str,
    /// Outline colour.
    pub(crate) stroke: &'a str,
}

/// An SVG document being written.
#[derive(Debug, Default)]
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Starts a document `width` by `height` with an accessible title.
    pub(crate) fn new(width: f64, height: f64, title: &str) -> Svg {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{font}\" role=\"img\">",
            w = num(width),
            h = num(height),
            font = escape(FONT_FAMILY),
        );
        let _ = writeln!(out, "<title>{}</title>", escape(title));
        let _ = writeln!(
            out,
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            num(width),
            num(height)
        );
        Svg { out }
    }

    /// Appends raw markup (already escaped).
    pub(crate) fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.out.push('\n');
    }

    /// Opens a group with the given attributes (values are escaped here).
    pub(crate) fn open_group(&mut self, attributes: &[(&str, &str)]) {
        self.out.push_str("<g");
        for (name, value) in attributes {
            let _ = write!(self.out, " {name}=\"{}\"", escape(value));
        }
        self.out.push_str(">\n");
    }

    /// Closes a group.
    pub(crate) fn close_group(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// A tooltip for the enclosing group.
    pub(crate) fn tooltip(&mut self, text: &str) {
        let _ = writeln!(self.out, "<title>{}</title>", escape(text));
    }

    /// A node outline of `shape` filling `rect`.
    pub(crate) fn shape(&mut self, shape: Shape, rect: &Rect, paint: Paint<'_>, stroke_width: f64) {
        let (x, y, w, h) = (num(rect.x), num(rect.y), num(rect.w), num(rect.h));
        let (fill, stroke, sw) = (paint.fill, paint.stroke, num(stroke_width));
        match shape {
            Shape::Rectangle | Shape::Rounded => {
                let radius = if shape == Shape::Rounded { 12 } else { 0 };
                let _ = writeln!(
                    self.out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>"
                );
            }
            Shape::Store => {
                let _ = writeln!(
                    self.out,
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" fill=\"{fill}\" stroke=\"none\"/>"
                );
                for line_y in [rect.y, rect.bottom()] {
                    let _ = writeln!(
                        self.out,
                        "<line x1=\"{x}\" y1=\"{ly}\" x2=\"{x2}\" y2=\"{ly}\" stroke=\"{stroke}\" stroke-width=\"{sw2}\"/>",
                        ly = num(line_y),
                        x2 = num(rect.right()),
                        sw2 = num(stroke_width + 0.6),
                    );
                }
            }
            Shape::Hexagon => {
                let depth = shape.point_depth(rect.h);
                let middle = rect.y + rect.h / 2.0;
                let points = [
                    (rect.x, middle),
                    (rect.x + depth, rect.y),
                    (rect.right() - depth, rect.y),
                    (rect.right(), middle),
                    (rect.right() - depth, rect.bottom()),
                    (rect.x + depth, rect.bottom()),
                ]
                .iter()
                .map(|(px, py)| format!("{},{}", num(*px), num(*py)))
                .collect::<Vec<_>>()
                .join(" ");
                let _ = writeln!(
                    self.out,
                    "<polygon points=\"{points}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>"
                );
            }
        }
    }

    /// Lines of text, each with its font and colour, starting at `top`;
    /// `anchor` is `start`, `middle` or `end` at `x`.
    pub(crate) fn text_block(&mut self, x: f64, top: f64, anchor: &str, lines: &[TextLine]) {
        let mut line_top = top;
        for line in lines {
            let baseline = line_top + line.font.ascent();
            let weight = if line.font.bold {
                " font-weight=\"bold\""
            } else {
                ""
            };
            let _ = writeln!(
                self.out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight} fill=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                num(x),
                num(baseline),
                num(line.font.size),
                line.color,
                escape(&line.text),
            );
            line_top += line.font.line_height();
        }
    }

    /// A round badge with a short text, centred on `center`.
    pub(crate) fn badge(&mut self, center: Point, text: &str, fill: &str, color: &str) {
        let radius = badge_radius(text);
        let _ = writeln!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"#ffffff\" stroke-width=\"1.5\"/>",
            num(center.x),
            num(center.y),
            num(radius),
        );
        let _ = writeln!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"{color}\" text-anchor=\"middle\">{}</text>",
            num(center.x),
            num(center.y + BADGE_FONT.size * 0.36),
            num(BADGE_FONT.size),
            escape(text),
        );
    }

    /// An edge along `points` (alternating straight runs and curves that
    /// leave and enter along the rank axis), with an arrowhead `marker`.
    pub(crate) fn edge_path(&mut self, points: &[Point], horizontal: bool, style: &EdgeStyle<'_>) {
        let data = path_data(points, horizontal);
        let dash = if style.dashed {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = writeln!(
            self.out,
            "<path d=\"{data}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash} marker-end=\"url(#{})\"/>",
            style.color,
            num(style.width),
            style.marker,
        );
    }

    /// An arrowhead marker with id `id` in `color`.
    pub(crate) fn marker(&mut self, id: &str, color: &str) {
        let _ = writeln!(
            self.out,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>"
        );
    }

    /// Finishes the document.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// Size of badge text.
pub(crate) const BADGE_FONT: Font = Font::bold(10.0);
/// Least radius of a badge.
pub(crate) const BADGE_RADIUS: f64 = 8.5;

/// The radius of a badge saying `text`.
pub(crate) fn badge_radius(text: &str) -> f64 {
    BADGE_RADIUS.max(text::width(text, BADGE_FONT) / 2.0 + 3.0)
}

/// One line of a text block.
#[derive(Clone, Debug)]
pub(crate) struct TextLine {
    /// The text, unescaped.
    pub(crate) text: String,
    /// Its font.
    pub(crate) font: Font,
    /// Its colour.
    pub(crate) color: &'static str,
}

impl TextLine {
    /// Height of a block of lines.
    pub(crate) fn block_height(lines: &[TextLine]) -> f64 {
        lines.iter().map(|line| line.font.line_height()).sum()
    }

    /// Width of the widest line.
    pub(crate) fn block_width(lines: &[TextLine]) -> f64 {
        lines
            .iter()
            .map(|line| text::width(&line.text, line.font))
            .fold(0.0, f64::max)
    }
}

/// How an edge is stroked.
#[derive(Clone, Debug)]
pub(crate) struct EdgeStyle<'a> {
    /// Stroke colour.
    pub(crate) color: &'a str,
    /// Stroke width.
    pub(crate) width: f64,
    /// Dashed or solid.
    pub(crate) dashed: bool,
    /// Id of the arrowhead marker.
    pub(crate) marker: &'a str,
}

/// How far a curve leaves and enters along the rank axis before heading
/// straight for its end: short, so that edges crossing a gap fan out as
/// distinct diagonals instead of merging into one horizontal band.
const CURVE_LEAD: f64 = 14.0;

/// SVG path data for a route: straight from even to odd points, curves from
/// odd to even points that leave and enter along the rank axis.
fn path_data(points: &[Point], horizontal: bool) -> String {
    let mut data = String::new();
    for (index, point) in points.iter().enumerate() {
        if index == 0 {
            let _ = write!(data, "M{},{}", num(point.x), num(point.y));
            continue;
        }
        let previous = points[index - 1];
        if index % 2 == 1 {
            let _ = write!(data, " L{},{}", num(point.x), num(point.y));
        } else if horizontal {
            let lead = ((point.x - previous.x) / 2.0).clamp(-CURVE_LEAD, CURVE_LEAD);
            let _ = write!(
                data,
                " C{},{} {},{} {},{}",
                num(previous.x + lead),
                num(previous.y),
                num(point.x - lead),
                num(point.y),
                num(point.x),
                num(point.y)
            );
        } else {
            let lead = ((point.y - previous.y) / 2.0).clamp(-CURVE_LEAD, CURVE_LEAD);
            let _ = write!(
                data,
                " C{},{} {},{} {},{}",
                num(previous.x),
                num(previous.y + lead),
                num(point.x),
                num(point.y - lead),
                num(point.x),
                num(point.y)
            );
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<script>&\"'\u{1}"),
            "&lt;script&gt;&amp;&quot;&#39; "
        );
    }

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.04), "0");
    }

    #[test]
    fn paths_alternate_lines_and_curves() {
        let points = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 10.0, y: 0.0 },
            Point { x: 30.0, y: 20.0 },
            Point { x: 40.0, y: 20.0 },
        ];
        assert_eq!(
            path_data(&points, true),
            "M0,0 L10,0 C20,0 20,20 30,20 L40,20"
        );
    }
}
