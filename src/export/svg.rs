//! SVG pictures are drawn by [`crate::plot`]; here a partial result's picture gets a banner.

use super::{Distribution, Sweep};

/// The distribution's chart `svg` (drawn by [`crate::plot::distribution`]), with a
/// banner when the run was partial.
pub fn distribution(d: &Distribution, svg: String) -> String {
    let why = format!("PARTIAL: interrupted after {} simulated votes", d.estimate.pass.trials);
    if d.info.partial { banner(svg, &why) } else { svg }
}

/// The sweep's chart `svg` (drawn by [`crate::plot::sweep`]), with a banner when
/// the sweep stopped early.
pub fn sweep(s: &Sweep, svg: String) -> String {
    let why = format!("PARTIAL: interrupted after {} of {} points", s.results.len(), s.plan.len());
    if s.partial() { banner(svg, &why) } else { svg }
}

/// `svg` with a red line of text at its top left.
fn banner(mut svg: String, text: &str) -> String {
    let element = format!(
        "<text x=\"12\" y=\"22\" font-family=\"sans-serif\" font-size=\"16\" fill=\"#c0392b\">{}</text>\n",
        escape(text)
    );
    let at = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.insert_str(at, &element);
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_banner_goes_inside_the_svg_element_and_escapes_its_text() {
        let out = banner("<svg>\n</svg>\n".into(), "a < b");
        assert!(out.starts_with("<svg>\n<text") && out.ends_with("a &lt; b</text>\n</svg>\n"), "{out}");
    }
}
