//! Charts as SVG, drawn on the server: no JavaScript, no chart library, nothing fetched. Each chart is an
//! accessible image (`role="img"` with a title and a description that states the numbers' gist); pages
//! put the same numbers in a table next to it, for screen readers and for print.
//!
//! Colours come from CSS classes (`chart-line`, `chart-band` …), never inline styles, so the strict
//! Content-Security-Policy holds.

use std::fmt::Write;

use crate::views::escape;

/// One point of a series: a label for the x axis and a value (a gap when `None`).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Short x label (e.g. "3 Dec" or "W4").
    pub label: String,
    /// The value.
    pub value: Option<f64>,
    /// Mark this point (e.g. a day with a check-in).
    pub marked: bool,
}

/// A chart's fixed settings.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Smallest value on the y axis.
    pub min: f64,
    /// Largest value on the y axis.
    pub max: f64,
    /// Gridlines every this many units.
    pub step: f64,
    /// A horizontal band to shade (e.g. the meaningful-change band), as `(from, to)`.
    pub band: Option<(f64, f64)>,
}

const W: f64 = 340.0;
const H: f64 = 190.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

fn y_of(v: f64, a: &Axis) -> f64 {
    let span = (a.max - a.min).max(f64::EPSILON);
    TOP + (H - TOP - BOTTOM) * (1.0 - (v.clamp(a.min, a.max) - a.min) / span)
}

fn x_of(i: usize, n: usize) -> f64 {
    let plot = W - LEFT - RIGHT;
    if n <= 1 { LEFT + plot / 2.0 } else { LEFT + plot * i as f64 / (n - 1) as f64 }
}

fn frame(id: &str, title: &str, desc: &str, a: &Axis, labels: &[String], centred: bool) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    if let Some((from, to)) = a.band {
        let (y1, y2) = (y_of(to, a), y_of(from, a));
        let _ = write!(
            s,
            r#"<rect class="chart-band" x="{LEFT}" y="{y1:.1}" width="{:.1}" height="{:.1}"/>"#,
            W - LEFT - RIGHT,
            (y2 - y1).max(0.0)
        );
    }
    let mut v = a.min;
    while v <= a.max + 1e-9 {
        let y = y_of(v, a);
        let _ = write!(
            s,
            r#"<line class="chart-grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="chart-label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 5.0,
            y + 4.0,
            kneeroot_core::answers::format_number(v)
        );
        v += a.step.max(f64::EPSILON);
    }
    // At most six x labels, evenly spaced, always including the last.
    let n = labels.len();
    let every = n.div_ceil(6).max(1);
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            // The first and last labels are anchored inwards so they are never cut at the edges.
            let anchor = if centred {
                "middle"
            } else if n > 1 && i == 0 {
                "start"
            } else if n > 1 && i + 1 == n {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                s,
                r#"<text class="chart-label" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                if centred { slot_centre(i, n) } else { x_of(i, n) },
                H - 10.0,
                escape(label)
            );
        }
    }
    s
}

/// The centre of slot `i` of `n` equal slots across the plot (bar charts).
fn slot_centre(i: usize, n: usize) -> f64 {
    let slot = (W - LEFT - RIGHT) / n.max(1) as f64;
    LEFT + slot * (i as f64 + 0.5)
}

/// A line chart of one series; gaps where values are missing; marked points drawn as dots.
pub fn line(id: &str, title: &str, desc: &str, axis: &Axis, points: &[Point]) -> String {
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let mut s = frame(id, title, desc, axis, &labels, false);
    let n = points.len();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, s: &mut String| {
        if run.len() > 1 {
            let _ = write!(s, r#"<polyline class="chart-line" points="{}"/>"#, run.join(" "));
        }
        run.clear();
    };
    for (i, p) in points.iter().enumerate() {
        match p.value {
            Some(v) => run.push(format!("{:.1},{:.1}", x_of(i, n), y_of(v, axis))),
            None => flush(&mut run, &mut s),
        }
    }
    flush(&mut run, &mut s);
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let _ =
                write!(s, r#"<circle class="chart-dot" cx="{:.1}" cy="{:.1}" r="3.5"/>"#, x_of(i, n), y_of(v, axis));
        }
    }
    s.push_str("</svg>");
    s
}

/// A bar chart (e.g. adherence per week, 0–100 %).
pub fn bars(id: &str, title: &str, desc: &str, axis: &Axis, points: &[Point]) -> String {
    let labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let mut s = frame(id, title, desc, axis, &labels, true);
    let n = points.len();
    let slot = (W - LEFT - RIGHT) / n.max(1) as f64;
    for (i, p) in points.iter().enumerate() {
        if let Some(v) = p.value {
            let top = y_of(v, axis);
            let base = y_of(axis.min, axis);
            let x = slot_centre(i, n) - slot * 0.3;
            let _ = write!(
                s,
                r#"<rect class="chart-bar" x="{x:.1}" y="{top:.1}" width="{:.1}" height="{:.1}"/>"#,
                slot * 0.6,
                (base - top).max(0.0)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(values: &[Option<f64>]) -> Vec<Point> {
        values.iter().enumerate().map(|(i, v)| Point { label: format!("d{i}"), value: *v, marked: true }).collect()
    }

    const PAIN: Axis = Axis { min: 0.0, max: 10.0, step: 2.0, band: None };

    #[test]
    fn a_line_chart_is_an_accessible_svg_without_inline_styles() {
        let svg =
            line("pain", "Pain <over> time", "Pain fell from 6 to 2.", &PAIN, &pts(&[Some(6.0), Some(4.0), Some(2.0)]));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=\"pain-t\">Pain &lt;over&gt; time</title>"));
        assert!(!svg.contains("style="));
        assert_eq!(svg.matches("<polyline").count(), 1);
        assert_eq!(svg.matches("chart-dot").count(), 3);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let svg = line("p", "t", "d", &PAIN, &pts(&[Some(6.0), Some(5.0), None, Some(3.0), Some(2.0)]));
        assert_eq!(svg.matches("<polyline").count(), 2);
    }

    #[test]
    fn values_map_to_the_axis_with_high_values_at_the_top() {
        assert!(y_of(10.0, &PAIN) < y_of(0.0, &PAIN));
        assert_eq!(y_of(12.0, &PAIN), y_of(10.0, &PAIN), "clamped");
    }

    #[test]
    fn a_band_is_drawn_when_asked() {
        let axis = Axis { min: 0.0, max: 100.0, step: 20.0, band: Some((50.0, 60.0)) };
        let svg = bars("a", "t", "d", &axis, &pts(&[Some(40.0), Some(80.0)]));
        assert!(svg.contains("chart-band"));
        assert_eq!(svg.matches("chart-bar").count(), 2);
    }
}
