//! The small Markdown of the report's free texts (édito, explanation of the result,
//! perspectives), parsed by pulldown-cmark and written out by hand so that only
//! this subset reaches the document:
//!
//! - paragraphs (a blank line between them), a line break with two spaces or `\` at
//!   the end of a line;
//! - `*italique*`, `**gras**`;
//! - lists with `-` or `1.`, nested by indenting;
//! - headings `#`, `##`, `###`, all shown one level under the section's title;
//! - quotations with `>`;
//! - links `[texte](adresse)`: the text then the address in parentheses, as printed
//!   on paper — the document links to nothing.
//!
//! Raw HTML is shown as typed (escaped), never interpreted; images are refused when
//! the text is recorded ([`check`]), and reduced to their description otherwise.

use crate::bail_user;
use crate::html::escape;
use anyhow::Result;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// What `ici rapport texte --help` and the README say of the subset.
pub const SUBSET: &str = "Markdown accepté : paragraphes séparés par une ligne vide ; *italique*, **gras** ; listes « - » ou « 1. » ; titres #, ##, ### ; citations « > » ; liens [texte](adresse), imprimés « texte (adresse) ». Le HTML est affiché tel quel (jamais interprété) ; les images sont refusées.";

/// Refuses what the subset does not allow, naming the line: images.
pub fn check(text: &str) -> Result<()> {
    if text.trim().is_empty() {
        bail_user!(
            "le texte est vide : écrivez-le dans le fichier (Markdown, voir `ici rapport texte --help`)"
        );
    }
    for (event, range) in Parser::new(text).into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event {
            let line = text[..range.start].matches('\n').count() + 1;
            bail_user!(
                "ligne {line} : image « {dest_url} » refusée : le rapport n'intègre aucune image venue d'un texte (il ne charge rien de l'extérieur) ; retirez-la du fichier"
            );
        }
    }
    Ok(())
}

/// The text as HTML, within the subset; everything else is escaped text.
pub fn to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 5 / 4);
    // The address of each open link, printed after its text.
    let mut links: Vec<String> = Vec::new();
    // Inside an image: its description is kept as text, nothing else.
    let mut image = 0usize;
    for event in Parser::new(text) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => out.push_str(heading(level).0),
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::List(Some(1)) => out.push_str("<ol>\n"),
                Tag::List(Some(n)) => out.push_str(&format!("<ol start=\"{n}\">\n")),
                Tag::List(None) => out.push_str("<ul>\n"),
                Tag::Item => out.push_str("<li>"),
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Link { dest_url, .. } => links.push(dest_url.to_string()),
                Tag::Image { .. } => image += 1,
                Tag::CodeBlock(_) => out.push_str("<pre>"),
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(level) => out.push_str(heading(level).1),
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Link => {
                    if let Some(url) = links.pop() {
                        out.push_str(&format!(
                            " <span class=\"adresse\">({})</span>",
                            escape(&url)
                        ));
                    }
                }
                TagEnd::Image => image = image.saturating_sub(1),
                TagEnd::CodeBlock => out.push_str("</pre>\n"),
                _ => {}
            },
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&escape(&t));
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak if image == 0 => out.push_str("<br>\n"),
            Event::HardBreak => out.push(' '),
            Event::Rule => out.push_str("<hr>\n"),
            _ => {}
        }
    }
    out
}

/// Headings sit under the section's own `<h2>`.
fn heading(level: HeadingLevel) -> (&'static str, &'static str) {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => ("<h3>", "</h3>\n"),
        _ => ("<h4>", "</h4>\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_is_rendered() {
        let html =
            to_html("# Titre\n\nUn *peu* de **gras**.\n\n- un\n- deux\n\n1. premier\n\n> cité\n");
        assert_eq!(
            html,
            "<h3>Titre</h3>\n<p>Un <em>peu</em> de <strong>gras</strong>.</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<ol>\n<li>premier</li>\n</ol>\n<blockquote><p>cité</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn raw_html_is_shown_not_interpreted_and_links_are_printed() {
        let html = to_html(
            "<script>alert(1)</script>\n\nVoir <b>ceci</b> et [le site](https://lamednum.coop).",
        );
        assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("le site <span class=\"adresse\">(https://lamednum.coop)</span>"),
            "{html}"
        );
        assert!(!html.contains("href"), "{html}");
    }

    #[test]
    fn images_are_refused_with_their_line_and_reduced_to_text_otherwise() {
        let err = check("Bonjour\n\n![logo](http://exemple.fr/logo.png)").unwrap_err();
        let msg = format!("{err}");
        assert!(
            msg.contains("ligne 3") && msg.contains("http://exemple.fr/logo.png"),
            "{msg}"
        );
        assert_eq!(crate::error::exit_code(&err), 2);
        assert_eq!(to_html("![logo](x.png)"), "<p>logo</p>\n");
        assert!(check("  \n").is_err());
        assert!(check("Un texte.").is_ok());
    }
}
