//! Self-contained HTML documents to print on A4: the frame every document
//! shares (escaping, page skeleton, print stylesheet, palette). Each document
//! (the compte rendu financier, the annual report) has its own module beside
//! this one and fills the body; nothing here computes a figure.
//!
//! The documents load nothing from outside: no script, no web font, no link;
//! styles are inline in the `<head>` and charts are inline SVG.

pub mod carte;
pub mod charts;
pub mod compte_rendu;
pub mod markdown;
pub mod rapport;

use std::fmt::Write as _;

/// A colour-blind-safe palette (Okabe & Ito, 2008), in the order charts use it.
pub const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];

/// Text made safe for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The stylesheet every document starts from: readable on a screen, A4 on
/// paper, sections that ask for it start on a new page, tables that do not
/// split a row across pages.
pub const BASE_CSS: &str = r#"
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
:root { --encre: #1a1a1a; --trait: #9a9a9a; --fond: #f3f3f3; --accent: #0072B2; }
* { box-sizing: border-box; }
html { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       font-size: 10.5pt; line-height: 1.45; color: var(--encre); }
body { margin: 0 auto; max-width: 178mm; padding: 12mm 0; }
h1 { font-size: 20pt; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 8mm 0 3mm; border-bottom: 1.5pt solid var(--accent); }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; }
p { margin: 0 0 2.5mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
th, td { border: 0.5pt solid var(--trait); padding: 1mm 1.5mm; vertical-align: top; }
th { background: var(--fond); text-align: left; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr { break-inside: avoid; }
figure { margin: 3mm 0 5mm; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1.5mm; }
.nouvelle-page { break-before: page; }
.garder { break-inside: avoid; }
.note { font-size: 9pt; color: #444; }
.visuellement-cache { position: absolute; width: 1px; height: 1px; overflow: hidden;
                      clip: rect(0 0 0 0); white-space: nowrap; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
"#;

/// One whole document: `<!DOCTYPE html>` to `</html>`, in French, with the
/// base stylesheet, then `css` (the document's own rules), then `body`.
pub fn page(title: &str, css: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + BASE_CSS.len() + css.len() + 256);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        escape(title)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b>"L'Haÿ" & co</b>"#),
            "&lt;b&gt;&quot;L&#39;Haÿ&quot; &amp; co&lt;/b&gt;"
        );
    }

    #[test]
    fn page_is_french_self_contained_and_escapes_its_title() {
        let html = page("Compte rendu <2017>", "h1{color:red}", "<h1>x</h1>");
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
        assert!(html.contains("<title>Compte rendu &lt;2017&gt;</title>"));
        assert!(html.contains("size: A4"));
        assert!(html.contains("h1{color:red}</style>"));
        assert!(!html.contains("http"), "nothing loaded from outside");
        assert!(html.ends_with("</body>\n</html>\n"));
    }
}
