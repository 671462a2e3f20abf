//! The map of the communes where sessions took place, shaded by participants, as
//! inline SVG with its legend and its table.
//!
//! The outlines come from `data/carte.tsv` (every commune of Île-de-France and
//! every département of metropolitan France; IGN Admin Express COG 2018, Licence
//! Ouverte), written by `tools/carte/generate.py`. The file is parsed the first
//! time a map is drawn, never at start-up. A commune without an outline there (a
//! commune outside Île-de-France, or created since 2018) is drawn as a point at the
//! middle of its département.

use crate::html::{PALETTE, escape};
use crate::territory;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

const CARTE_TSV: &str = include_str!("../../data/carte.tsv");

/// The credit the data's licence asks for, printed under the map.
pub const SOURCE: &str = "Fonds de carte : IGN – Admin Express COG 2018 ; INSEE – Code officiel géographique (via france-geojson), Licence Ouverte / Open Licence (Etalab). Contours simplifiés.";

/// A commune to place on the map, shaded by its participations (each person at
/// each session).
#[derive(Debug, Clone)]
pub struct Lieu {
    pub code: String,
    pub nom: String,
    pub participants: i64,
    pub sessions: i64,
    /// Hours of training, as written.
    pub heures: String,
}

/// An outline: rings of points in thousandths of a degree (longitude, latitude).
struct Shape {
    rings: Vec<Vec<(i32, i32)>>,
}

impl Shape {
    fn bbox(&self) -> (i32, i32, i32, i32) {
        let mut b = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
        for &(x, y) in self.rings.iter().flatten() {
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
        b
    }

    /// The centre of its largest ring (the generator writes it first).
    fn centre(&self) -> (f64, f64) {
        let ring = &self.rings[0];
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for (i, &(x0, y0)) in ring.iter().enumerate() {
            let (x1, y1) = ring[(i + 1) % ring.len()];
            let cross = f64::from(x0) * f64::from(y1) - f64::from(x1) * f64::from(y0);
            a += cross;
            cx += f64::from(x0 + x1) * cross;
            cy += f64::from(y0 + y1) * cross;
        }
        if a.abs() < f64::EPSILON {
            let (x, y) = ring[0];
            return (f64::from(x), f64::from(y));
        }
        (cx / (3.0 * a), cy / (3.0 * a))
    }
}

struct Carte {
    departements: Vec<(&'static str, Shape)>,
    communes: HashMap<&'static str, Shape>,
}

fn carte() -> &'static Carte {
    static CARTE: OnceLock<Carte> = OnceLock::new();
    CARTE.get_or_init(|| parse(CARTE_TSV))
}

/// The bundled file is the generator's output: a malformed line is a build defect,
/// and is skipped rather than stopping a report.
fn parse(text: &'static str) -> Carte {
    let mut carte = Carte {
        departements: Vec::new(),
        communes: HashMap::new(),
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut cols = line.split('\t');
        let (Some(kind), Some(code), Some(_nom), Some(rings)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            continue;
        };
        let rings: Vec<Vec<(i32, i32)>> = rings.split('|').filter_map(ring).collect();
        if rings.is_empty() {
            continue;
        }
        let shape = Shape { rings };
        match kind {
            "D" => carte.departements.push((code, shape)),
            _ => {
                carte.communes.insert(code, shape);
            }
        }
    }
    carte
}

/// `x,y dx,dy dx,dy …` back to points.
fn ring(text: &str) -> Option<Vec<(i32, i32)>> {
    let mut points = Vec::new();
    let (mut x, mut y) = (0, 0);
    for pair in text.split(' ') {
        let (a, b) = pair.split_once(',')?;
        x += a.parse::<i32>().ok()?;
        y += b.parse::<i32>().ok()?;
        points.push((x, y));
    }
    (points.len() >= 3).then_some(points)
}

const WIDTH: f64 = 640.0;
/// The map's share of the width; the names stand in a column on its right, each
/// joined to its commune by a line, so that neighbouring small communes stay legible.
const MAP_WIDTH: f64 = 430.0;
/// Vertical room of one name in that column.
const LABEL_STEP: f64 = 24.0;
const MAX_HEIGHT: f64 = 540.0;

/// Shading classes: upper bounds of participants, and opacity of the palette's first
/// colour (one hue, light to dark, readable whatever the colour vision).
fn classes(max: i64) -> Vec<(i64, i64, f64)> {
    let step = nice((max.max(1) + 3) / 4);
    let n = (max.max(1) + step - 1) / step;
    (0..n)
        .map(|i| (i * step + 1, (i + 1) * step, (i + 1) as f64 / n as f64))
        .collect()
}

/// 1, 2, 5 × a power of ten, at least `n`.
fn nice(n: i64) -> i64 {
    let mut p = 1;
    loop {
        for m in [1, 2, 5] {
            if m * p >= n {
                return m * p;
            }
        }
        p *= 10;
    }
}

/// The map, its legend, its credit and its table, in a `<figure>`.
pub fn map(titre: &str, lieux: &[Lieu]) -> String {
    let carte = carte();
    let dep_of = |code: &str| territory::commune(code).map(|c| c.departement);
    // The départements where sessions took place set the frame.
    let mut deps: Vec<&str> = lieux.iter().filter_map(|l| dep_of(&l.code)).collect();
    deps.sort_unstable();
    deps.dedup();
    let frame: Vec<&Shape> = carte
        .departements
        .iter()
        .filter(|(code, _)| deps.contains(code))
        .map(|(_, s)| s)
        .collect();
    let mut bbox = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for s in &frame {
        let b = s.bbox();
        bbox = (
            bbox.0.min(b.0),
            bbox.1.min(b.1),
            bbox.2.max(b.2),
            bbox.3.max(b.3),
        );
    }
    let mut table = String::new();
    for l in lieux {
        let _ = write!(
            table,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&l.nom),
            escape(dep_of(&l.code).unwrap_or("")),
            l.participants,
            l.sessions,
            escape(&l.heures),
        );
    }
    let table = format!(
        "<table class=\"carte-table\"><caption class=\"visuellement-cache\">{}</caption>\
         <thead><tr><th scope=\"col\">commune</th><th scope=\"col\">département</th>\
         <th class=\"n\" scope=\"col\">participations</th><th class=\"n\" scope=\"col\">sessions</th>\
         <th class=\"n\" scope=\"col\">heures</th></tr></thead><tbody>{table}</tbody></table>",
        escape(titre)
    );
    if frame.is_empty() {
        return format!(
            "<figure class=\"carte\"><figcaption>{}</figcaption>{table}</figure>\n",
            escape(titre)
        );
    }
    // Equirectangular, shrunk across by the cosine of the middle latitude: true
    // enough at the scale of a few départements.
    let margin = 8.0;
    let lat_mid = f64::from(bbox.1 + bbox.3) / 2.0 / 1000.0;
    let kx = lat_mid.to_radians().cos();
    let (w, h) = (f64::from(bbox.2 - bbox.0) * kx, f64::from(bbox.3 - bbox.1));
    let scale = ((MAP_WIDTH - 2.0 * margin) / w).min((MAX_HEIGHT - 2.0 * margin) / h);
    let height = (h * scale + 2.0 * margin).ceil();
    let px = |x: f64, y: f64| {
        (
            margin + (x - f64::from(bbox.0)) * kx * scale,
            margin + (f64::from(bbox.3) - y) * scale,
        )
    };
    let path = |s: &Shape| {
        let mut d = String::new();
        for ring in &s.rings {
            for (i, &(x, y)) in ring.iter().enumerate() {
                let (a, b) = px(f64::from(x), f64::from(y));
                let _ = write!(d, "{}{a:.1} {b:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        d
    };
    let inside = |s: &Shape| {
        let b = s.bbox();
        b.0 < bbox.2 && b.2 > bbox.0 && b.1 < bbox.3 && b.3 > bbox.1
    };
    let mut svg = format!(
        "<svg class=\"carte\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-label=\"{}\">",
        escape(titre)
    );
    svg.push_str("<g fill=\"#f4f4f4\" stroke=\"#d0d0d0\" stroke-width=\"0.5\">");
    for (code, s) in carte.communes.iter().filter(|(_, s)| inside(s)) {
        if deps.iter().any(|d| code.starts_with(d)) {
            let _ = write!(svg, "<path d=\"{}\"/>", path(s));
        }
    }
    svg.push_str("</g>");
    let max = lieux.iter().map(|l| l.participants).max().unwrap_or(1);
    let classes = classes(max);
    let opacity = |n: i64| {
        classes
            .iter()
            .find(|(_, hi, _)| n <= *hi)
            .map_or(1.0, |c| c.2)
    };
    // (centre on the map, name, participations) of each commune drawn.
    let mut placed: Vec<((f64, f64), &str, i64)> = Vec::new();
    for l in lieux {
        let shape = carte.communes.get(l.code.as_str());
        let centre = match shape {
            Some(s) => {
                let _ = write!(
                    svg,
                    "<path d=\"{}\" fill=\"{}\" fill-opacity=\"{:.2}\" stroke=\"#333\" stroke-width=\"0.8\"/>",
                    path(s),
                    PALETTE[0],
                    opacity(l.participants)
                );
                s.centre()
            }
            // No outline: a point in the middle of the département.
            None => match dep_of(&l.code).and_then(|d| frame_of(carte, d)) {
                Some(s) => {
                    let (x, y) = s.centre();
                    let (a, b) = px(x, y);
                    let _ = write!(
                        svg,
                        "<circle cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"6\" fill=\"{}\" fill-opacity=\"{:.2}\" stroke=\"#333\"/>",
                        PALETTE[0],
                        opacity(l.participants)
                    );
                    (x, y)
                }
                None => continue,
            },
        };
        placed.push((px(centre.0, centre.1), &l.nom, l.participants));
    }
    svg.push_str("<g fill=\"none\" stroke=\"#444\" stroke-width=\"1.6\">");
    for s in &frame {
        let _ = write!(svg, "<path d=\"{}\"/>", path(s));
    }
    svg.push_str("</g>");
    svg.push_str(&labels(&mut placed, height));
    svg.push_str("</svg>");
    let mut legend = String::from("<div class=\"legende\">Participations : ");
    for (lo, hi, op) in &classes {
        let _ = write!(
            legend,
            "<span class=\"classe\"><svg viewBox=\"0 0 14 14\" width=\"14\" height=\"14\" aria-hidden=\"true\"><rect width=\"14\" height=\"14\" fill=\"{}\" fill-opacity=\"{op:.2}\" stroke=\"#333\"/></svg> {lo} à {hi}</span> ",
            PALETTE[0]
        );
    }
    legend.push_str("</div>");
    format!(
        "<figure class=\"carte\"><figcaption>{}</figcaption>{svg}{legend}<p class=\"note\">{}</p>{table}</figure>\n",
        escape(titre),
        escape(SOURCE)
    )
}

/// The names in a column right of the map, in the order of their communes from top
/// to bottom, spread so that none overlaps the next, each with a leader line.
fn labels(placed: &mut [((f64, f64), &str, i64)], height: f64) -> String {
    placed.sort_by(|a, b| a.0.1.total_cmp(&b.0.1));
    let mut ys: Vec<f64> = Vec::with_capacity(placed.len());
    for (i, ((_, y), _, _)) in placed.iter().enumerate() {
        let min = if i == 0 { 12.0 } else { ys[i - 1] + LABEL_STEP };
        ys.push(y.max(min));
    }
    // Pushed past the bottom: pull the column back up, keeping the spacing.
    let mut bottom = height - 12.0;
    for y in ys.iter_mut().rev() {
        if *y > bottom {
            *y = bottom;
        }
        bottom = *y - LABEL_STEP;
    }
    let x = MAP_WIDTH + 40.0;
    let mut out = String::new();
    for (((cx, cy), nom, n), y) in placed.iter().zip(&ys) {
        let _ = write!(
            out,
            "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"2\" fill=\"#111\"/>\
             <polyline points=\"{cx:.1},{cy:.1} {:.1},{y:.1} {:.1},{y:.1}\" fill=\"none\" stroke=\"#555\" stroke-width=\"0.7\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" class=\"etiquette\">{} <tspan class=\"valeur\">{n}</tspan></text>",
            x - 14.0,
            x - 4.0,
            y + 3.5,
            escape(&short_name(nom)),
        );
    }
    out
}

fn frame_of<'a>(carte: &'a Carte, dep: &str) -> Option<&'a Shape> {
    carte
        .departements
        .iter()
        .find(|(code, _)| *code == dep)
        .map(|(_, s)| s)
}

/// A name short enough to sit inside its commune: `Le Kremlin-Bicêtre` stays,
/// `Paris 18e Arrondissement` becomes `Paris 18e`.
fn short_name(nom: &str) -> String {
    nom.replace(" Arrondissement", "")
}

/// The map's own styles.
pub const CSS: &str = "
svg.carte { width: 100%; height: auto; display: block; }
svg.carte text.etiquette { font-size: 12px; fill: #111; }
svg.carte .valeur { font-weight: bold; }
.legende { font-size: 9pt; margin: 1.5mm 0; }
.legende .classe { margin-right: 3mm; white-space: nowrap; }
.legende svg { vertical-align: -2px; }
";

#[cfg(test)]
mod tests {
    use super::*;

    fn lieu(code: &str, nom: &str, participants: i64) -> Lieu {
        Lieu {
            code: code.into(),
            nom: nom.into(),
            participants,
            sessions: 1,
            heures: "3".into(),
        }
    }

    #[test]
    fn the_bundled_outlines_cover_ile_de_france_and_the_departements() {
        let c = carte();
        assert_eq!(c.departements.len(), 96);
        assert!(c.communes.len() > 1200, "{}", c.communes.len());
        assert!(c.communes.contains_key("75056"));
        // Le Kremlin-Bicêtre is near 2.36° E, 48.81° N.
        let (x, y) = c.communes["94043"].centre();
        assert!(
            (2340.0..2380.0).contains(&x) && (48790.0..48830.0).contains(&y),
            "{x} {y}"
        );
    }

    #[test]
    fn communes_are_shaded_labelled_and_tabled_and_a_point_stands_for_a_missing_outline() {
        let html = map(
            "Carte",
            &[
                lieu("94043", "Le Kremlin-Bicêtre", 120),
                lieu("93063", "Romainville", 40),
                // Toulouse: no outline bundled, a point in Haute-Garonne.
                lieu("31555", "Toulouse", 15),
            ],
        );
        assert_eq!(
            html.matches("fill-opacity=\"1.00\" stroke=\"#333\" stroke-width")
                .count(),
            1
        );
        assert_eq!(html.matches("r=\"6\"").count(), 1);
        assert_eq!(html.matches("<polyline").count(), 3);
        assert!(
            html.contains(">Le Kremlin-Bicêtre <tspan class=\"valeur\">120</tspan></text>"),
            "{html}"
        );
        assert!(html.contains("<th scope=\"row\">Toulouse</th><td>31</td><td class=\"n\">15</td>"));
        assert!(
            html.contains("1 à 50") && html.contains("101 à 150") && !html.contains("151"),
            "{html}"
        );
        assert!(html.contains("Licence Ouverte"));
        assert!(!html.contains("http"));
    }

    #[test]
    fn classes_are_round() {
        assert_eq!(nice(38), 50);
        assert_eq!(nice(7), 10);
        assert_eq!(classes(400)[3].1, 400);
        assert_eq!(classes(120).len(), 3);
        assert_eq!(classes(0), vec![(1, 1, 1.0)]);
    }
}
