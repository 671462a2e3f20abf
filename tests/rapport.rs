//! The annual report: `ici rapport ANNEE -o FICHIER`, its free texts
//! (`ici rapport texte`), and `ici demo --rapport`, checked as a reader gets it — the
//! HTML file, and the PDF a real browser prints from it.

mod common;

use common::{Sandbox, expect_code, plain_spaces, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A sandbox whose ledger (`l.sqlite`) is the demonstration's 2017 ledger.
fn demo_ledger() -> Sandbox {
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--ecrire", "l.sqlite"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo", "--ecrire", "l.sqlite"]);
    sb
}

/// `ici rapport 2017` on the demo ledger: the HTML.
fn report_of(sb: &Sandbox) -> String {
    let out = sb.ok(&["rapport", "2017", "-o", "r.html"]);
    assert!(
        plain_spaces(&out).starts_with("Rapport d'activité 2017 écrit : r.html ("),
        "{out}"
    );
    std::fs::read_to_string(sb.path().join("r.html")).unwrap()
}

/// Every value of `attr` (`src=`, `href=`) in the HTML, quoted either way.
fn values_of<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    html.match_indices(attr)
        .map(|(i, _)| {
            let rest = &html[i + attr.len()..];
            let quote = rest.chars().next().unwrap();
            let rest = &rest[1..];
            &rest[..rest.find(quote).unwrap()]
        })
        .collect()
}

#[test]
fn the_report_loads_nothing_from_outside_and_every_chart_has_its_table() {
    let sb = demo_ledger();
    let html = report_of(&sb);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    for attr in ["src=", "href="] {
        for v in values_of(&html, attr) {
            assert!(!v.contains("http") && !v.contains("//"), "{attr}{v}");
        }
    }
    for (i, _) in html.match_indices("url(") {
        let v = &html[i..html[i..].find(')').map_or(html.len(), |j| i + j)];
        assert!(!v.contains("http"), "{v}");
    }
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("@import"));
    assert!(!html.contains("<img") && !html.contains("<iframe"));
    // The seed's links are printed as text, not linked.
    let hrefs = values_of(&html, "href=");
    assert!(
        !hrefs.is_empty() && hrefs.iter().all(|v| v.starts_with('#')),
        "{hrefs:?}"
    );

    // Each figure holding a chart holds its table; the charts the report promises.
    let figures: Vec<&str> = html.split("<figure").skip(1).collect();
    let charts: Vec<&&str> = figures.iter().filter(|f| f.contains("<svg")).collect();
    for f in &charts {
        let f = &f[..f.find("</figure>").unwrap()];
        assert!(f.contains("<figcaption>"), "{f}");
        assert!(f.contains("<table") && f.contains("<tbody><tr>"), "{f}");
    }
    assert_eq!(
        captions_plain(&charts),
        [
            "Sessions par mois en 2017",
            "Heures de formation par mois en 2017",
            "Publics des 831 personnes formées",
            "Participations par ville",
            "Les villes de nos sessions en 2017",
            "Charges par nature en 2017",
            "Produits par type de financeur en 2017",
        ]
    );
    // The map: a credit of its data, a legend, and the ten cities in its table.
    let carte = charts
        .iter()
        .find(|f| f.contains("svg class=\"carte\""))
        .unwrap();
    let carte = &carte[..carte.find("</figure>").unwrap()];
    assert!(carte.contains("IGN – Admin Express COG 2018 ; INSEE – Code officiel géographique"));
    assert!(carte.contains("Licence Ouverte"));
    assert!(carte.contains("<div class=\"legende\">Participations : "));
    assert_eq!(carte.matches("<tr><th scope=\"row\">").count(), 10);
}

/// The captions as plain text.
fn captions_plain(charts: &[&&str]) -> Vec<String> {
    charts
        .iter()
        .map(|f| {
            let s = f.find("<figcaption>").unwrap() + "<figcaption>".len();
            plain_spaces(&f[s..s + f[s..].find("</figcaption>").unwrap()])
        })
        .collect()
}

/// The text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in the report"))
        + start.len();
    &html[i..i + html[i..].find(end).unwrap()]
}

/// The rows `label → value` of the table of the chart titled `caption`.
fn chart_rows(html: &str, caption: &str) -> Vec<(String, String)> {
    let fig = between(
        html,
        &format!("<figcaption>{caption}</figcaption>"),
        "</figure>",
    );
    fig.split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|r| {
            let label = &r[..r.find("</th>").unwrap()];
            let value = between(r, "<td class=\"n\">", "</td>");
            (plain_spaces(label), plain_spaces(value))
        })
        .collect()
}

fn json(sb: &Sandbox, args: &[&str]) -> Value {
    sb.json(args)
}

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

/// French grouping of an integer, with plain spaces.
fn fr(n: i64) -> String {
    let d = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A JSON amount (`"-15435.00"`) as the report writes it: `-15 435,00 €`.
fn euros(v: &Value) -> String {
    let s = v.as_str().unwrap();
    let (units, cents) = s.split_once('.').unwrap();
    format!("{},{cents} €", fr(units.parse().unwrap()))
}

#[test]
fn the_figures_of_the_report_are_those_of_stats_and_bilan() {
    let sb = demo_ledger();
    let html = report_of(&sb);
    let text = plain_spaces(&html);
    let stats = json(&sb, &["stats", "2017"]);
    let bilan = json(&sb, &["bilan", "2017"]);
    let tile = |label: &str| -> String {
        let before = &text[..text
            .find(&format!("<span class=\"libelle\">{label}</span>"))
            .unwrap()];
        let start =
            before.rfind("<span class=\"chiffre\">").unwrap() + "<span class=\"chiffre\">".len();
        before[start..before[start..].find('<').unwrap() + start].to_string()
    };
    assert_eq!(
        tile("personnes formées"),
        fr(int(&stats["personnes_formees"]))
    );
    assert_eq!(tile("personnes formées"), "831");
    assert_eq!(
        tile("heures de formation"),
        fr(int(&stats["heures_formation"]))
    );
    assert_eq!(tile("heures de formation"), "1 143");
    assert_eq!(tile("sessions"), fr(int(&stats["sessions"])));
    assert_eq!(
        tile("villes"),
        stats["villes"].as_array().unwrap().len().to_string()
    );
    assert_eq!(tile("départements"), "3");
    assert_eq!(tile("intercommunalités"), "3");
    assert_eq!(
        tile("partenaires"),
        fr(int(&stats["partenaires"]
            .as_array()
            .map(|a| a.len() as i64)
            .into()))
    );
    // Named, not only counted: the départements and intercommunalités of the records.
    for d in stats["departements"].as_array().unwrap() {
        assert!(
            text.contains(&format!(
                "{} ({})",
                d["nom"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )),
            "{d}"
        );
    }
    for i in stats["intercommunalites"].as_array().unwrap() {
        assert!(
            text.contains(&i["nom"].as_str().unwrap().replace('\'', "&#39;")),
            "{i}"
        );
    }
    assert!(text.contains("L&#39;Haÿ-les-Roses"));
    assert!(!text.contains("L&#39;Haï"));

    // The charts' tables say what stats says.
    let months = chart_rows(&text, "Sessions par mois en 2017");
    assert_eq!(months.len(), 12);
    let by_month: Vec<(String, i64)> = stats["par_mois"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["mois"].as_str().unwrap().to_string(), int(&m["sessions"])))
        .collect();
    for (mois, n) in &by_month {
        let i: usize = mois[5..].parse().unwrap();
        assert_eq!(months[i - 1].1, fr(*n), "{mois}");
    }
    assert_eq!(months[7], ("août".to_string(), "0".to_string()));
    let publics = chart_rows(&text, "Publics des 831 personnes formées");
    assert_eq!(
        publics[0],
        ("Femmes".to_string(), fr(int(&stats["publics"]["femmes"])))
    );
    assert_eq!(
        publics[3].1,
        fr(int(&stats["publics"]["demandeurs_emploi"]))
    );
    let villes = chart_rows(&text, "Participations par ville");
    let expected: Vec<(String, String)> = stats["par_ville"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["nom"].as_str().unwrap().replace('\'', "&#39;"),
                fr(int(&v["participants"])),
            )
        })
        .collect();
    assert_eq!(villes, expected);

    // The bilan financier: totals, result, and the compte de résultat against 2016.
    assert_eq!(bilan["total_produits"], "176512.00");
    let annonce = between(&text, "<p class=\"resultat-annonce\">", "</p>");
    assert_eq!(
        annonce,
        format!(
            "Total des produits : {} ; total des charges : {} ; soit un déficit de {}.",
            euros(&bilan["total_produits"]),
            euros(&bilan["total_charges"]),
            euros(&bilan["resultat"]).trim_start_matches('-')
        )
    );
    assert_eq!(
        annonce,
        "Total des produits : 176 512,00 € ; total des charges : 191 947,00 € ; soit un déficit de 15 435,00 €."
    );
    let bilan_2016 = json(&sb, &["bilan", "2016"]);
    let row = between(&text, "<strong>Résultat (déficit)</strong></th>", "</tr>");
    assert!(row.contains(&euros(&bilan["resultat"])), "{row}");
    assert!(row.contains(&euros(&bilan_2016["resultat"])), "{row}");
    assert!(text.contains("Emprunts reçus en 2017 : 30 000,00 €"));
    // Products by funder type add up to the total of the products.
    let produits = chart_rows(&text, "Produits par type de financeur en 2017");
    let sum: i64 = produits
        .iter()
        .map(|(_, v)| {
            v.trim_end_matches(" €")
                .replace(' ', "")
                .parse::<i64>()
                .unwrap()
        })
        .sum();
    assert!(
        (sum - 176_512).abs() <= produits.len() as i64,
        "{produits:?}"
    );
    assert!(
        produits
            .iter()
            .any(|(l, _)| l == "Subventions : Fonds européens"),
        "{produits:?}"
    );

    // Each project's sessions and hours are those of stats' par_projet.
    for p in stats["par_projet"].as_array().unwrap() {
        let article = between(
            &text,
            &format!(
                "<article class=\"projet\"><h4>{}</h4>",
                p["projet"].as_str().unwrap()
            ),
            "</article>",
        );
        let hours = p["heures_formation"].as_f64().unwrap();
        let hours = if hours.fract() == 0.0 {
            fr(hours as i64)
        } else {
            format!("{hours:.1}").replace('.', ",")
        };
        assert!(
            article.contains(&format!(
                "<dd>{} sessions, {hours} heures de formation",
                fr(int(&p["sessions"]))
            )),
            "{p}\n{article}"
        );
    }

    // The association's people: the figures of stats, the names of the records.
    assert_eq!(tile("salarié(e)s"), fr(int(&stats["salaries"])));
    assert_eq!(tile("bénévoles engagé(e)s"), "7");
    assert_eq!(tile("adhérent(e)s"), "21");
    let etp = format!("{:.1}", stats["etp"].as_f64().unwrap()).replace('.', ",");
    assert!(
        text.contains(&format!(
            "<p>En 2017, l'association a employé <strong>{}</strong> salarié(e)s, soit <strong>{etp}</strong> équivalent(s) temps plein sur l'année ; {} arrivée(s), {} départ(s).</p>",
            int(&stats["salaries"]),
            int(&stats["arrivees"]),
            int(&stats["departs"])
        )),
        "{}",
        between(&text, "<h2>Les ressources humaines</h2>", "</section>")
    );
    let rh = between(&text, "<h2>Les ressources humaines</h2>", "</section>");
    assert_eq!(
        rh.matches("<li>Arrivée de ").count() as i64,
        int(&stats["arrivees"])
    );
    assert_eq!(
        rh.matches("<li>Départ de ").count() as i64,
        int(&stats["departs"])
    );
    assert!(
        rh.contains("Départ de <strong>Charles Mamère</strong>"),
        "{rh}"
    );
    let gouvernance = between(&text, "<h2>La gouvernance</h2>", "</section>");
    assert!(
        gouvernance.contains("<dt>Président(e)</dt><dd>Anne-Sophie Brunet</dd>"),
        "{gouvernance}"
    );
    assert!(
        gouvernance.contains("<h3>21 adhérent(e)s</h3>"),
        "{gouvernance}"
    );
    assert!(
        gouvernance.contains("<h3>7 bénévoles engagé(e)s, 70 heures</h3>"),
        "{gouvernance}"
    );
    let agenda = between(
        &text,
        "<h2>Agenda : les temps forts de 2017</h2>",
        "</section>",
    );
    assert_eq!(
        agenda.matches("<div class=\"mois\">").count(),
        12,
        "{agenda}"
    );
    assert!(
        agenda.contains("<h3>Août</h3><ul><li><strong>Vacances</strong>"),
        "{agenda}"
    );

    // The texts of the printed report, and the definitions of the figures.
    assert!(text.contains("<h2>Édito</h2>"));
    assert!(text.contains("<strong>Des actions qui se pérennisent.</strong>"));
    assert!(text.contains("<h3>Explications</h3>"));
    assert!(text.contains("<h2>Perspectives</h2>"));
    assert!(text.contains("<h2>Définitions des chiffres</h2>"));
    // The sections in the printed report's order.
    let order: Vec<usize> = [
        "Édito",
        "Les chiffres en 2017",
        "Nos actions",
        "Bilan financier",
        "Perspectives",
        "Définitions des chiffres",
    ]
    .iter()
    .map(|t| {
        text.find(&format!("<h2>{t}</h2>"))
            .unwrap_or_else(|| panic!("{t}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn writing_the_report_is_logged_and_refuses_the_ledger_as_destination() {
    let sb = demo_ledger();
    let before = sb.count(&sb.ledger(), "export_journal");
    report_of(&sb);
    assert_eq!(sb.count(&sb.ledger(), "export_journal"), before + 1);
    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    let (quoi, fichier, personnel): (String, String, bool) = c
        .query_row(
            "SELECT quoi, fichier, personnel FROM export_journal ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    // The report names the association's staff, board, members and volunteers.
    assert_eq!((quoi.as_str(), personnel), ("rapport", true));
    assert!(fichier.ends_with("/r.html"), "{fichier}");
    drop(c);
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(sb.path().join("r.html"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);

    let ledger = sb.ledger().display().to_string();
    let err = sb.refused(&["rapport", "2017", "-o", &ledger], 2);
    assert!(err.contains("registre"), "{err}");
    let err = sb.refused(&["rapport", "2017"], 2);
    assert!(err.contains("-o"), "{err}");
    let err = sb.refused(&["rapport", "deux-mille", "-o", "x.html"], 2);
    assert!(err.contains("deux-mille"), "{err}");
    assert!(!sb.path().join("x.html").exists());
}

#[test]
fn texts_are_written_in_markdown_every_version_kept() {
    let sb = Sandbox::new();
    let f = sb.file(
        "edito.md",
        "Une **année** de *transition*.\n\n- un\n- deux\n\n<script>alert(1)</script>\n\nVoir [le site](https://lamednum.coop).\n",
    );
    let out = sb.ok(&[
        "rapport",
        "texte",
        "edito",
        "--annee",
        "2017",
        "--fichier",
        &f,
    ]);
    assert_eq!(out, format!("Édito 2017 enregistré depuis {f}.\n"));
    let f2 = sb.file("edito2.md", "\u{feff}Seconde version.\n");
    let out = sb.ok(&[
        "rapport",
        "texte",
        "edito",
        "--annee",
        "2017",
        "--fichier",
        &f2,
    ]);
    assert!(
        out.contains("remplacé") && out.contains("2 versions gardées"),
        "{out}"
    );
    assert_eq!(sb.count(&sb.ledger(), "rapport_texte"), 2);
    sb.ok(&[
        "rapport",
        "texte",
        "perspectives",
        "--annee",
        "2017",
        "--fichier",
        &f,
    ]);
    sb.ok(&["rapport", "2017", "-o", "r.html"]);
    let html = std::fs::read_to_string(sb.path().join("r.html")).unwrap();
    // Nobody is named in a report of an empty ledger.
    let c = rusqlite::Connection::open(sb.ledger()).unwrap();
    let personnel: bool = c
        .query_row(
            "SELECT personnel FROM export_journal WHERE quoi = 'rapport'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!personnel);
    drop(c);
    assert!(!html.contains("<h2>La gouvernance</h2>") && !html.contains("<h2>Agenda"));
    assert!(html.contains("<section id=\"edito\" class=\"nouvelle-page\">\n<h2>Édito</h2>\n<div class=\"texte\"><p>Seconde version.</p>"), "{html}");
    // The perspectives: the subset rendered, raw HTML shown as text, links printed.
    let p = between(&html, "<h2>Perspectives</h2>", "</section>");
    assert!(
        p.contains("<p>Une <strong>année</strong> de <em>transition</em>.</p>"),
        "{p}"
    );
    assert!(p.contains("<ul>\n<li>un</li>"), "{p}");
    assert!(
        p.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !p.contains("<script"),
        "{p}"
    );
    assert!(
        p.contains("le site <span class=\"adresse\">(https://lamednum.coop)</span>"),
        "{p}"
    );
    // An empty ledger still gives a whole document, without the sections it has no data for.
    assert!(!html.contains("<h3>Explications</h3>"));

    let img = sb.file("img.md", "Titre\n\n![logo](http://exemple.fr/logo.png)\n");
    let err = sb.refused(
        &[
            "rapport",
            "texte",
            "resultat",
            "--annee",
            "2017",
            "--fichier",
            &img,
        ],
        2,
    );
    assert!(
        err.contains("ligne 3") && err.contains("image") && err.contains("logo.png"),
        "{err}"
    );
    let latin1 = sb.file("latin1.md", b"Ann\xe9e\n");
    let err = sb.refused(
        &[
            "rapport",
            "texte",
            "edito",
            "--annee",
            "2017",
            "--fichier",
            &latin1,
        ],
        2,
    );
    assert!(err.contains("UTF-8"), "{err}");
    let err = sb.refused(
        &[
            "rapport",
            "texte",
            "preface",
            "--annee",
            "2017",
            "--fichier",
            &f,
        ],
        2,
    );
    assert!(err.contains("preface"), "{err}");
    let err = sb.refused(
        &[
            "rapport",
            "texte",
            "edito",
            "--annee",
            "2017",
            "--fichier",
            "absent.md",
        ],
        2,
    );
    assert!(err.contains("absent.md"), "{err}");
    let help = sb.ok(&["rapport", "texte", "--help"]);
    assert!(
        help.contains("Markdown accepté") && help.contains("images"),
        "{help}"
    );
    let help = plain_spaces(&sb.ok(&["rapport", "--help"]));
    assert!(
        help.contains("Enregistrer au format PDF") && help.contains("--print-to-pdf"),
        "{help}"
    );
}

/// A browser to print with, if this machine has one.
fn browser() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn has(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

/// The demo's report printed to PDF by headless Chromium, as a reader prints it.
/// Skipped, with a notice, when no browser or poppler-utils is installed; under CI
/// (`ICI_NAVIGATEUR_OBLIGATOIRE=1`) a missing browser fails the test.
#[test]
fn the_demo_report_prints_to_pdf_in_a_real_browser() {
    let required = std::env::var("ICI_NAVIGATEUR_OBLIGATOIRE").is_ok_and(|v| v == "1");
    let browser = browser();
    let tools = has("pdftotext") && has("pdfinfo");
    let Some(browser) = browser.filter(|_| tools) else {
        assert!(
            !required,
            "ICI_NAVIGATEUR_OBLIGATOIRE=1 but no Chromium or no poppler-utils (pdftotext, pdfinfo) was found"
        );
        eprintln!(
            "test ignoré : ni Chromium ni poppler-utils trouvés (apt-get install chromium poppler-utils)"
        );
        return;
    };
    let sb = Sandbox::empty();
    let out = sb
        .bare()
        .args(["demo", "--rapport", "demo.html"])
        .output()
        .unwrap();
    expect_code(&out, 0, &["demo", "--rapport", "demo.html"]);
    assert!(plain_spaces(&stdout(&out)).contains("demo.html ("));
    let html = sb.path().join("demo.html");
    let pdf = sb.path().join("demo.pdf");
    let profile = sb.path().join("profil");
    let status = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .env("HOME", sb.path())
        .output()
        .unwrap();
    assert!(
        pdf.is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let pages = pages_of(&pdf);
    // Each section opens a page: cover, édito, three pages of figures and map, two of
    // agenda, the actions by theme (five to six), staff, governance, the bilan financier
    // (two), perspectives and definitions: 19 today. Fewer than 12 means sections no
    // longer start on their own page or went missing; more than 28 means the layout
    // broke (a table or the map spilling a page per row).
    assert!((12..=28).contains(&pages), "{pages} pages");
    let text = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = plain_spaces(&String::from_utf8(text.stdout).unwrap()).replace('\u{2009}', " ");
    for figure in ["831", "1 143", "176 512", "191 947", "15 435"] {
        assert!(
            text.contains(figure),
            "{figure} not in the PDF's text:\n{text}"
        );
    }
    assert!(
        text.contains("Rapport d'activité") || text.contains("RAPPORT D'ACTIVITÉ"),
        "{text}"
    );
    assert!(text.contains("L'Haÿ-les-Roses"), "{text}");
}

fn pages_of(pdf: &Path) -> u32 {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo: {info}"))
}
