//! The pathway as a diagram, drawn from the pathway file: how a referral arrives, the check for
//! warning signs (and where they lead), triage, every service the rules can send people to, and
//! what follows. Laid out here as boxes and arrows for an SVG; the page gives the same steps as
//! a list, its text alternative.

use crate::chart::num;

/// Width of the drawing, in SVG units.
const WIDTH: f64 = 640.0;
/// Height of a box: room for four lines.
const BOX: f64 = 64.0;
/// Gap between rows.
const GAP: f64 = 30.0;
/// Width of one character of box text, on average, for wrapping.
const CHAR: f64 = 7.4;

/// A box as drawn.
pub(crate) struct Node {
    pub(crate) x: String,
    pub(crate) y: String,
    pub(crate) width: String,
    pub(crate) height: String,
    /// `step`, `emergency`, `urgent` or `service`.
    pub(crate) kind: &'static str,
    /// The text's centre and its lines (x, first baseline, line height).
    pub(crate) text_x: String,
    pub(crate) text_y: String,
    pub(crate) lines: Vec<String>,
}

/// An arrow from one point to another.
pub(crate) struct Arrow {
    pub(crate) x1: String,
    pub(crate) y1: String,
    pub(crate) x2: String,
    pub(crate) y2: String,
}

/// The diagram ready to draw.
pub(crate) struct Diagram {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) nodes: Vec<Node>,
    pub(crate) arrows: Vec<Arrow>,
}

/// Splits `text` at spaces into lines of at most `width` characters (a longer word keeps its
/// own line).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn node(x: f64, y: f64, width: f64, kind: &'static str, text: &str) -> Node {
    // A little padding each side.
    let lines = wrap(text, ((width - 12.0) / CHAR) as usize);
    let first = y + BOX / 2.0 - (lines.len() as f64 - 1.0) * 8.0 + 5.0;
    Node {
        x: num(x),
        y: num(y),
        width: num(width),
        height: num(BOX),
        kind,
        text_x: num(x + width / 2.0),
        text_y: num(first),
        lines,
    }
}

fn arrow(x1: f64, y1: f64, x2: f64, y2: f64) -> Arrow {
    Arrow {
        x1: num(x1),
        y1: num(y1),
        x2: num(x2),
        y2: num(y2),
    }
}

/// Lays out the pathway: `before` steps (arrival, the check), the `warnings` the check can
/// lead to (emergency, urgent), `triage`, the `services`, three to a row, and the `after`
/// steps.
pub(crate) fn layout(
    before: &[String],
    warnings: &[(&'static str, String)],
    triage: &str,
    services: &[String],
    after: &[String],
) -> Diagram {
    let centre_w = 360.0;
    let centre_x = (WIDTH - centre_w) / 2.0;
    let mid = WIDTH / 2.0;
    let mut nodes = Vec::new();
    let mut arrows = Vec::new();
    let mut y = 8.0;
    let step = |nodes: &mut Vec<Node>, arrows: &mut Vec<Arrow>, y: &mut f64, text: &str| {
        if *y > 8.0 {
            arrows.push(arrow(mid, *y - GAP, mid, *y - 4.0));
        }
        nodes.push(node(centre_x, *y, centre_w, "step", text));
        *y += BOX + GAP;
    };
    for text in before {
        step(&mut nodes, &mut arrows, &mut y, text);
    }
    // Warning signs branch off to the sides of the check, at the same height as triage.
    let check_bottom = y - GAP;
    let side_w = 170.0;
    for (i, (kind, text)) in warnings.iter().enumerate() {
        let x = if i == 0 { 4.0 } else { WIDTH - side_w - 4.0 };
        nodes.push(node(x, y, side_w, kind, text));
        arrows.push(arrow(mid, check_bottom, x + side_w / 2.0, y - 4.0));
    }
    let triage_w = WIDTH - 2.0 * side_w - 40.0;
    nodes.push(node((WIDTH - triage_w) / 2.0, y, triage_w, "step", triage));
    arrows.push(arrow(mid, check_bottom, mid, y - 4.0));
    y += BOX + GAP;
    let triage_bottom = y - GAP;
    let per_row = 3usize;
    let cell = (WIDTH - 8.0) / per_row as f64;
    for (i, text) in services.iter().enumerate() {
        let row = (i / per_row) as f64;
        let col = (i % per_row) as f64;
        let x = 4.0 + col * cell;
        let top = y + row * (BOX + 12.0);
        nodes.push(node(x + 4.0, top, cell - 8.0, "service", text));
        if i < per_row {
            arrows.push(arrow(mid, triage_bottom, x + cell / 2.0, top - 4.0));
        }
    }
    let rows = services.len().div_ceil(per_row) as f64;
    y += rows * (BOX + 12.0) - 12.0 + GAP;
    for text in after {
        step(&mut nodes, &mut arrows, &mut y, text);
    }
    Diagram {
        width: WIDTH,
        height: y - GAP + 8.0,
        nodes,
        arrows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_and_service_has_a_box_and_long_words_wrap() {
        let s = |t: &str| t.to_owned();
        let diagram = layout(
            &[
                s("You refer yourself, by phone, or a professional refers you"),
                s("We check for warning signs"),
            ],
            &[
                (
                    "emergency",
                    s("Warning signs of an emergency: go to A&E or call 999 now"),
                ),
                ("urgent", s("A call today")),
            ],
            "A clinician decides who is best to see you",
            &[
                s("Physiotherapy"),
                s("Podiatry"),
                s("Pain management"),
                s("Rheumatology"),
            ],
            &[s("You choose a time"), s("Care"), s("Discharge")],
        );
        assert_eq!(diagram.nodes.len(), 2 + 2 + 1 + 4 + 3);
        assert!(diagram.nodes[0].lines.len() == 2, "wrapped");
        for node in &diagram.nodes {
            let width: f64 = node.width.parse().unwrap();
            assert!(node.lines.len() <= 4, "fits its box");
            for line in &node.lines {
                assert!(
                    line.chars().count() as f64 * CHAR <= width,
                    "{line} fits {width}"
                );
            }
        }
        assert!(diagram.height > 400.0);
        assert!(diagram.arrows.len() >= 9);
    }
}
