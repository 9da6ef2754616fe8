//! PNG from a chart's SVG: resvg renders the very same drawing, with DejaVu Sans
//! (Bitstream Vera licence, `assets/fonts/`) built into the binary, so a chart
//! looks the same on any machine and needs no system font or library.
//!
//! resvg is the most complete pure-Rust SVG renderer (text shaping by rustybuzz,
//! rasterising by tiny-skia, PNG by the `png` crate), so one drawing serves both
//! formats; no system fonts are searched (its `system-fonts` feature is off).

use super::frame::Size;
use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::Arc;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

fn failed<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> Error + '_ {
    move |e| Error::Other(format!("rendering the chart as PNG failed ({what}): {e}"))
}

/// The embedded fonts, with DejaVu Sans standing in for every generic family.
fn options() -> usvg::Options<'static> {
    let mut options = usvg::Options { font_family: "DejaVu Sans".into(), ..usvg::Options::default() };
    let db = options.fontdb_mut();
    for font in [REGULAR, BOLD] {
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(font)));
    }
    db.set_sans_serif_family("DejaVu Sans");
    db.set_serif_family("DejaVu Sans");
    options
}

/// Renders `svg` to PNG bytes of `size` pixels on white.
pub fn render(svg: &str, size: Size) -> Result<Vec<u8>> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(failed("parsing the SVG"))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width, size.height)
        .ok_or_else(|| Error::Other(format!("cannot make a {}x{} image", size.width, size.height)))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let (sx, sy) = (size.width as f32 / tree.size().width(), size.height as f32 / tree.size().height());
    resvg::render(&tree, tiny_skia::Transform::from_scale(sx, sy), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(failed("encoding"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_with_the_embedded_font() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">
            <text x="10" y="150" font-family="sans-serif" font-size="60">whipcount</text></svg>"#;
        let bytes = render(svg, Size { width: 400, height: 300 }).unwrap();
        let blank = render(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"/>"#,
            Size { width: 400, height: 300 },
        )
        .unwrap();
        assert!(bytes.starts_with(b"\x89PNG"));
        assert!(bytes.len() > blank.len() + 500, "the text left no pixels: no font was found");
    }
}
