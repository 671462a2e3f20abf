//! Bar charts as inline SVG, each in a `<figure>` with its title, its values written
//! on the bars, and the same figures as a table that screen readers read (hidden on
//! screen and paper: the chart shows them already).
//!
//! Drawn by hand rather than with a plotting crate: a chart here is a few
//! rectangles and labels, and writing them directly keeps the markup small, the
//! text real text (found by a PDF reader and a screen reader) and the output
//! byte-stable for the tests.

use crate::html::{PALETTE, escape};
use std::fmt::Write as _;

/// One bar: its label, the quantity that sets its length, and the value as written.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub shown: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: i64, shown: impl Into<String>) -> Bar {
        Bar {
            label: label.into(),
            value,
            shown: shown.into(),
        }
    }
}

const WIDTH: f64 = 640.0;

/// Horizontal bars, one per line, labels on the left: for categories with long names
/// (publics, communes, funders, natures of charges). `colonne` heads the table's
/// value column; `couleur` indexes [`PALETTE`].
pub fn bars(titre: &str, colonne: &str, bars: &[Bar], couleur: usize) -> String {
    let row = 22.0;
    let (label_w, right) = (270.0, 90.0);
    let height = row * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let fill = PALETTE[couleur % PALETTE.len()];
    let mut svg = svg_open(titre, height);
    for (i, b) in bars.iter().enumerate() {
        let y = 4.0 + row * i as f64;
        let w = (WIDTH - label_w - right) * b.value.max(0) as f64 / max;
        let _ = write!(
            svg,
            "<text x=\"{:.0}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w:.0}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"valeur\">{}</text>",
            label_w - 8.0,
            y + 15.0,
            escape(&short(&b.label, 38)),
            y + 3.0,
            row - 6.0,
            label_w + w + 5.0,
            y + 15.0,
            escape(&b.shown),
        );
    }
    svg.push_str("</svg>");
    figure(titre, &svg, colonne, bars)
}

/// Vertical columns side by side, labels below: for the months of the year.
pub fn columns(titre: &str, colonne: &str, bars: &[Bar], couleur: usize) -> String {
    let (top, bottom, left) = (20.0, 24.0, 8.0);
    let height = 190.0;
    let plot = height - top - bottom;
    let slot = (WIDTH - 2.0 * left) / bars.len().max(1) as f64;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1) as f64;
    let fill = PALETTE[couleur % PALETTE.len()];
    let mut svg = svg_open(titre, height);
    let _ = write!(
        svg,
        "<line x1=\"{left}\" x2=\"{:.0}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#555\" stroke-width=\"1\"/>",
        WIDTH - left,
        top + plot,
        top + plot
    );
    for (i, b) in bars.iter().enumerate() {
        let x = left + slot * i as f64;
        let h = plot * b.value.max(0) as f64 / max;
        let mid = x + slot / 2.0;
        let _ = write!(
            svg,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{fill}\"/>\
             <text x=\"{mid:.1}\" y=\"{:.1}\" text-anchor=\"middle\" class=\"valeur\">{}</text>\
             <text x=\"{mid:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            x + slot * 0.15,
            top + plot - h,
            slot * 0.7,
            top + plot - h - 4.0,
            escape(&b.shown),
            height - 8.0,
            escape(&b.label),
        );
    }
    svg.push_str("</svg>");
    figure(titre, &svg, colonne, bars)
}

/// A label cut to fit beside its bar; the table keeps it whole.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!(
            "{}…",
            s.chars().take(max - 1).collect::<String>().trim_end()
        )
    }
}

fn svg_open(titre: &str, height: f64) -> String {
    format!(
        "<svg class=\"graphique\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        escape(titre)
    )
}

/// The figure: title, chart, and the table of its values.
fn figure(titre: &str, svg: &str, colonne: &str, bars: &[Bar]) -> String {
    let mut rows = String::new();
    for b in bars {
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td></tr>",
            escape(&b.label),
            escape(&b.shown)
        );
    }
    format!(
        "<figure class=\"graphique\"><figcaption>{t}</figcaption>{svg}\
         <table class=\"visuellement-cache\"><caption>{t}</caption>\
         <thead><tr><th scope=\"col\"></th><th scope=\"col\">{c}</th></tr></thead>\
         <tbody>{rows}</tbody></table></figure>\n",
        t = escape(titre),
        c = escape(colonne),
    )
}

/// The charts' own styles.
pub const CSS: &str = "
svg.graphique { width: 100%; height: auto; display: block; font-size: 12px; }
svg.graphique text { fill: #1a1a1a; }
svg.graphique text.valeur { font-weight: bold; }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_has_its_title_its_values_and_its_table() {
        let html = bars(
            "Publics",
            "personnes",
            &[
                Bar::new("Femmes", 439, "439"),
                Bar::new("QPV <1>", 252, "252"),
            ],
            0,
        );
        assert!(
            html.starts_with("<figure class=\"graphique\"><figcaption>Publics</figcaption><svg")
        );
        assert_eq!(html.matches("<rect").count(), 2);
        assert!(html.contains(">439</text>") && html.contains(">252</text>"));
        assert!(
            html.contains("<tr><th scope=\"row\">QPV &lt;1&gt;</th><td class=\"n\">252</td></tr>")
        );
        assert!(html.contains(PALETTE[0]));
        // The longest bar takes the whole width left for bars.
        assert!(html.contains("width=\"280.0\""), "{html}");
    }

    #[test]
    fn columns_scale_to_the_highest_and_survive_zeros() {
        let html = columns(
            "Sessions par mois",
            "sessions",
            &[Bar::new("janv.", 0, "0"), Bar::new("févr.", 10, "10")],
            1,
        );
        assert!(html.contains("height=\"146.0\""), "{html}");
        assert!(html.contains("height=\"0.0\""), "{html}");
        assert!(html.contains(PALETTE[1]));
        assert_eq!(columns("vide", "x", &[], 0).matches("<table").count(), 1);
    }
}
