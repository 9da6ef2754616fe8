//! Charts a newsroom can publish, as SVG or PNG.
//!
//! Every chart is drawn once, as SVG, with plotters' SVG backend inside a shared
//! [`Frame`] (title, subtitle, sources footer, colour-blind-safe palette, size);
//! PNG is that same SVG rendered by resvg with a font built into the binary
//! ([`png`]). [`Format::of`] decides the format from the file name before any
//! work starts; [`encode`] gives a chart's bytes, which [`crate::export`] writes
//! with every other output, all or none.
//!
//! Charts: the distribution of counted yes votes (with the deciding margin under
//! a vote-based rule), sweeps and heat maps, the tornado of `explain`, and the
//! timeline and calibration charts of `timeline` and `backtest`.

pub mod calibration;
mod contour;
mod distribution;
mod frame;
mod heat_map;
pub mod png;
mod sweep;
pub mod timeline;
pub mod tornado;

pub use calibration::calibration;
pub use distribution::distribution;
pub use frame::{Area, Frame, Size, long_date, percent, subtitle, title};
pub use sweep::{frame as sweep_frame, sweep};
pub use timeline::timeline;
pub use tornado::tornado;

use crate::error::{Error, Result, Setting};
use std::path::Path;

/// The file formats a chart can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics: text stays text.
    Svg,
    /// A raster image of the same drawing.
    Png,
}

impl Format {
    /// The format named by `path`'s extension (`.svg` or `.png`, any case); any
    /// other is a usage error, to be raised before any work starts.
    pub fn of(path: &Path) -> Result<Format> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("svg") => Ok(Format::Svg),
            Some("png") => Ok(Format::Png),
            _ => Err(Error::Setting {
                setting: Setting::Chart,
                message: format!(
                    "{}: a chart is written as FILE.svg or FILE.png; the extension decides the format",
                    path.display()
                ),
            }),
        }
    }
}

/// The bytes of a chart drawn as `svg`, in `format`.
pub fn encode(svg: &str, format: Format, size: Size) -> Result<Vec<u8>> {
    match format {
        Format::Svg => Ok(svg.as_bytes().to_vec()),
        Format::Png => png::render(svg, size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_decides_the_format_and_anything_else_is_refused() {
        assert_eq!(Format::of(Path::new("a/b.svg")).unwrap(), Format::Svg);
        assert_eq!(Format::of(Path::new("B.PNG")).unwrap(), Format::Png);
        for bad in ["c.jpg", "plot", "x.svg.gz"] {
            let e = Format::of(Path::new(bad)).unwrap_err();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("FILE.svg or FILE.png"), "{e}");
        }
    }
}
