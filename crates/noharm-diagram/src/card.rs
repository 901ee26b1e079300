//! A node's face: its shape, a wrapped name, a caption and an optional count
//! badge, measured so that everything fits inside the shape.

use crate::layout::{Point, Rect};
use crate::svg::{Paint, Shape, Svg, TextLine, badge_radius};
use crate::text::{self, Font};

/// Font of a node's name.
pub(crate) const NAME_FONT: Font = Font::bold(12.0);
/// Font of a node's caption.
pub(crate) const CAPTION_FONT: Font = Font::regular(10.0);
/// Widest a line of a node's name may be.
const MAX_TEXT_WIDTH: f64 = 150.0;
/// Most lines of a node's name.
const MAX_NAME_LINES: usize = 4;
const PAD_X: f64 = 12.0;
const PAD_Y: f64 = 8.0;
const MIN_WIDTH: f64 = 100.0;
const MIN_HEIGHT: f64 = 44.0;

/// Room kept for a badge at the top right.
fn badge_room(badge: Option<&Badge>) -> f64 {
    badge.map_or(0.0, |badge| 2.0 * badge_radius(&badge.text) + 6.0)
}

/// A count badge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Badge {
    /// What it says.
    pub(crate) text: String,
    /// Its colour.
    pub(crate) fill: String,
    /// Its text colour.
    pub(crate) color: String,
}

/// A measured node face.
#[derive(Clone, Debug)]
pub(crate) struct Card {
    lines: Vec<TextLine>,
    badge: Option<Badge>,
    shape: Shape,
    /// Width of the node.
    pub(crate) width: f64,
    /// Height of the node.
    pub(crate) height: f64,
}

impl Card {
    /// Measures a node with `name` (wrapped), an optional `caption` and an
    /// optional badge.
    pub(crate) fn new(
        name: &str,
        caption: Option<&str>,
        badge: Option<Badge>,
        shape: Shape,
    ) -> Card {
        let mut lines: Vec<TextLine> = text::wrap(name, NAME_FONT, MAX_TEXT_WIDTH, MAX_NAME_LINES)
            .into_iter()
            .map(|text| TextLine {
                text,
                font: NAME_FONT,
                color: crate::style::TEXT,
            })
            .collect();
        if let Some(caption) = caption.filter(|c| !c.is_empty()) {
            lines.extend(
                text::wrap(caption, CAPTION_FONT, MAX_TEXT_WIDTH, 2)
                    .into_iter()
                    .map(|text| TextLine {
                        text,
                        font: CAPTION_FONT,
                        color: crate::style::MUTED,
                    }),
            );
        }
        let badge_room = badge_room(badge.as_ref());
        let height = (TextLine::block_height(&lines) + 2.0 * PAD_Y)
            .max(MIN_HEIGHT)
            .ceil();
        let points = 2.0 * shape.point_depth(height);
        let width = (TextLine::block_width(&lines) + 2.0 * PAD_X + badge_room + points)
            .max(MIN_WIDTH)
            .ceil();
        Card {
            lines,
            badge,
            shape,
            width,
            height,
        }
    }

    /// Draws the node into `rect` (which has the card's size).
    pub(crate) fn draw(&self, svg: &mut Svg, rect: &Rect, paint: Paint<'_>, stroke_width: f64) {
        svg.shape(self.shape, rect, paint, stroke_width);
        let depth = self.shape.point_depth(rect.h);
        let badge_room = badge_room(self.badge.as_ref());
        let left = rect.x + depth + PAD_X;
        let right = rect.right() - depth - PAD_X - badge_room;
        let block = TextLine::block_height(&self.lines);
        let top = rect.y + (rect.h - block) / 2.0;
        svg.text_block((left + right) / 2.0, top, "middle", &self.lines);
        if let Some(badge) = &self.badge {
            let radius = badge_radius(&badge.text);
            let center = Point {
                x: rect.right() - depth - radius - 5.0,
                y: rect.y + radius + 4.0,
            };
            svg.badge(center, &badge.text, &badge.fill, &badge.color);
        }
    }
}
