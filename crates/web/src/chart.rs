//! Charts drawn as SVG by the templates from the geometry worked out here: bars (adherence
//! week by week) and lines (pain, outcome scores over time). Every chart has a title, a
//! summary for screen readers and a table of the same numbers.

use crate::render::Text;

/// Width and height of the drawing, in SVG units.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 240.0;
/// Room for the axis labels.
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;

/// One value to plot, with its label on the x axis and in the table.
pub(crate) struct Point {
    pub(crate) label: String,
    pub(crate) value: f64,
    /// The value as written in the table ("80%", "6").
    pub(crate) shown: String,
}

/// A bar as drawn.
pub(crate) struct Bar {
    pub(crate) x: String,
    pub(crate) y: String,
    pub(crate) width: String,
    pub(crate) height: String,
}

/// A chart ready to draw.
pub(crate) struct Chart {
    /// Unique on the page, for the title and description ids.
    pub(crate) id: String,
    pub(crate) title: Text,
    pub(crate) summary: Text,
    /// The table's column headings: (x, value).
    pub(crate) columns: (Text, Text),
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) points: Vec<Point>,
    pub(crate) bars: Vec<Bar>,
    /// The line through the points, as an SVG path, for line charts.
    pub(crate) line: String,
    /// Where each point sits (x, y), for line charts.
    pub(crate) dots: Vec<(String, String)>,
    /// Interval lines on bars: (x, top y, bottom y).
    pub(crate) whiskers: Vec<(String, String, String)>,
    /// Gridlines: (y, label).
    pub(crate) ticks: Vec<(String, String)>,
    /// Labels under the x axis: (x, label, text anchor); a long line labels only its ends,
    /// and the first and last line labels sit inside the drawing.
    pub(crate) labels: Vec<(String, String, &'static str)>,
    pub(crate) left: f64,
    pub(crate) right: f64,
}

/// A coordinate or length as written in SVG.
pub(crate) fn num(value: f64) -> String {
    format!("{value:.1}")
}

/// A round top for an axis reaching `most`, and the step between its gridlines (1, 2 or 5
/// times a power of ten, about four to five gridlines).
pub(crate) fn nice_scale(most: f64) -> (f64, f64) {
    let most = most.max(1.0);
    let rough = most / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| most / s <= 5.0)
        .unwrap_or(10.0 * power)
        .max(1.0);
    ((most / step).ceil() * step, step)
}

/// Where a value from 0 to `max` sits on the y axis.
fn scale(max: f64) -> impl Fn(f64) -> f64 {
    let plot = HEIGHT - BOTTOM - TOP;
    move |value: f64| TOP + plot - (value.clamp(0.0, max) / max) * plot
}

fn frame(
    id: String,
    title: Text,
    summary: Text,
    columns: (Text, Text),
    points: Vec<Point>,
    max: f64,
    tick_every: f64,
) -> (Chart, impl Fn(f64) -> f64) {
    let y = scale(max);
    let mut ticks = Vec::new();
    let mut at = 0.0;
    while at <= max + f64::EPSILON {
        ticks.push((num(y(at)), format!("{at}")));
        at += tick_every;
    }
    let chart = Chart {
        id,
        title,
        summary,
        columns,
        width: WIDTH,
        height: HEIGHT,
        points,
        bars: Vec::new(),
        line: String::new(),
        dots: Vec::new(),
        whiskers: Vec::new(),
        ticks,
        labels: Vec::new(),
        left: LEFT,
        right: WIDTH - 8.0,
    };
    (chart, y)
}

/// A bar per point, from 0 to `max`.
pub(crate) fn bars(
    id: String,
    title: Text,
    summary: Text,
    columns: (Text, Text),
    points: Vec<Point>,
    max: f64,
    tick_every: f64,
) -> Chart {
    let (mut chart, y) = frame(id, title, summary, columns, points, max, tick_every);
    let count = chart.points.len().max(1) as f64;
    let slot = (WIDTH - LEFT - 8.0) / count;
    chart.labels = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                num(LEFT + slot * (i as f64 + 0.5)),
                p.label.clone(),
                "middle",
            )
        })
        .collect();
    chart.bars = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = LEFT + slot * i as f64 + slot * 0.15;
            let top = y(p.value);
            Bar {
                x: num(x),
                y: num(top),
                width: num(slot * 0.7),
                height: num(HEIGHT - BOTTOM - top),
            }
        })
        .collect();
    chart
}

/// A bar per point with its interval drawn as a line across the bar's top (`intervals`
/// holds `(low, high)` per point, in the points' units).
#[allow(clippy::too_many_arguments)]
pub(crate) fn bars_with_intervals(
    id: String,
    title: Text,
    summary: Text,
    columns: (Text, Text),
    points: Vec<Point>,
    intervals: &[Option<(f64, f64)>],
    max: f64,
    tick_every: f64,
) -> Chart {
    let mut chart = bars(id, title, summary, columns, points, max, tick_every);
    let y = scale(max);
    chart.whiskers = chart
        .labels
        .iter()
        .zip(intervals)
        .filter_map(|((x, _, _), interval)| {
            interval.map(|(low, high)| (x.clone(), num(y(high)), num(y(low))))
        })
        .collect();
    chart
}

/// A line through the points, from 0 to `max`.
pub(crate) fn line(
    id: String,
    title: Text,
    summary: Text,
    columns: (Text, Text),
    points: Vec<Point>,
    max: f64,
    tick_every: f64,
) -> Chart {
    let (mut chart, y) = frame(id, title, summary, columns, points, max, tick_every);
    let count = chart.points.len();
    let step = (WIDTH - LEFT - 24.0) / (count.saturating_sub(1).max(1)) as f64;
    chart.dots = chart
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| (num(LEFT + 12.0 + step * i as f64), num(y(p.value))))
        .collect();
    let last = count.saturating_sub(1);
    chart.labels = chart
        .points
        .iter()
        .zip(&chart.dots)
        .enumerate()
        .filter(|(i, _)| count <= 8 || *i == 0 || *i == last)
        .map(|(i, (p, (x, _)))| {
            let anchor = match i {
                0 if count > 1 => "start",
                i if i == last && count > 1 => "end",
                _ => "middle",
            };
            let x = match anchor {
                "start" => num(LEFT),
                "end" => num(WIDTH - 8.0),
                _ => x.clone(),
            };
            (x, p.label.clone(), anchor)
        })
        .collect();
    chart.line = chart
        .dots
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x} {y}", if i == 0 { "M" } else { " L" }))
        .collect();
    chart
}

#[cfg(test)]
mod tests {
    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(super::nice_scale(244.0), (250.0, 50.0));
        assert_eq!(super::nice_scale(16.0), (20.0, 5.0));
        assert_eq!(super::nice_scale(0.0), (1.0, 1.0));
        assert_eq!(super::nice_scale(100.0), (100.0, 20.0));
        assert_eq!(super::nice_scale(3.0), (3.0, 1.0));
    }
}
