//! The frame every chart shares: size, palette, fonts, title, subtitle and footer.
//!
//! A chart is drawn into the area inside its frame; the frame writes the title
//! (the scenario's title and date, `--set` edits shown), a subtitle (method,
//! P(pass) and its interval) and a footer (the sources, shortened, and
//! "whipcount"). Colours are Okabe and Ito's colour-blind-safe set.

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::stats::{Estimate, Method};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The drawing area of a chart's SVG.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

/// The font of every label: DejaVu Sans, which the PNG renderer embeds.
pub const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
/// Okabe–Ito blue: passing outcomes, curves.
pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xb2);
/// Okabe–Ito orange: failing outcomes.
pub const ORANGE: RGBColor = RGBColor(0xe6, 0x9f, 0x00);
/// Okabe–Ito sky blue: bands.
pub const SKY: RGBColor = RGBColor(0x56, 0xb4, 0xe9);
/// Okabe–Ito vermillion: marks and crossings.
pub const VERMILLION: RGBColor = RGBColor(0xd5, 0x5e, 0x00);
/// Text and thresholds.
pub const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text.
pub const MUTED: RGBColor = RGBColor(0x66, 0x66, 0x66);
/// Neutral bars (a count that does not decide alone).
pub const NEUTRAL: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Pixels of a chart, `WxH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for Size {
    fn default() -> Self {
        Size { width: 1200, height: 675 }
    }
}

impl std::str::FromStr for Size {
    type Err = String;

    /// `1200x675` (or `1200×675`), each side from 400 to 8000 pixels.
    fn from_str(text: &str) -> std::result::Result<Size, String> {
        let bad = || format!("`{text}` is not a size: write WIDTHxHEIGHT in pixels, e.g. 1200x675");
        let (w, h) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let (width, height) =
            (w.trim().parse::<u32>().map_err(|_| bad())?, h.trim().parse::<u32>().map_err(|_| bad())?);
        if !(400..=8000).contains(&width) || !(300..=8000).contains(&height) {
            return Err(format!("`{text}`: a chart is 400 to 8000 pixels wide and 300 to 8000 high"));
        }
        Ok(Size { width, height })
    }
}

/// The title, subtitle and footer of one chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The headline.
    pub title: String,
    /// Method and P(pass), under the headline.
    pub subtitle: String,
    /// The sources line; "whipcount" is added at the right.
    pub sources: String,
    /// Pixels.
    pub size: Size,
}

impl Frame {
    /// A frame with `title`, `subtitle` and the sources `list` (shortened to fit).
    pub fn new(title: String, subtitle: String, list: &[String], size: Size) -> Frame {
        Frame { title, subtitle, sources: sources(list, size.width), size }
    }

    /// A frame for `scenario` with `subtitle`: title from its title, date and edits.
    pub fn for_scenario(scenario: &Scenario, subtitle: String, size: Size) -> Frame {
        Frame::new(title(scenario), subtitle, &scenario.sources, size)
    }

    /// A frame for one result of `scenario`: the subtitle gives the method and P(pass).
    pub fn for_estimate(scenario: &Scenario, e: &Estimate, size: Size) -> Frame {
        Frame::for_scenario(scenario, subtitle(e), size)
    }

    /// Draws the frame and lets `body` draw inside it; returns the SVG text.
    pub fn render(&self, body: impl FnOnce(&Area) -> Result<()>) -> Result<String> {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (self.size.width, self.size.height)).into_drawing_area();
            root.fill(&WHITE).map_err(drawing)?;
            let lines = title_lines(&self.title, self.size.width as i32 - 40);
            let extra = 30 * (lines.len() as i32 - 1);
            self.draw_text(&root, &lines, extra)?;
            let inner = root.margin(84 + extra, 34, 12, 24);
            body(&inner)?;
            root.present().map_err(drawing)?;
        }
        Ok(svg)
    }

    fn draw_text(&self, root: &Area, title: &[String], extra: i32) -> Result<()> {
        let (w, h) = (self.size.width as i32, self.size.height as i32);
        let top = Pos::new(HPos::Left, VPos::Top);
        let size = title_size(&self.title, w - 40);
        let heading = (FONT, size).into_font().style(FontStyle::Bold).color(&INK).pos(top);
        for (i, line) in title.iter().enumerate() {
            let y = 14 + (28 - size) / 2 + 30 * i as i32;
            root.draw(&Text::new(line.as_str(), (20, y), heading.clone())).map_err(drawing)?;
        }
        let sub = (FONT, 20).into_font().color(&MUTED).pos(top);
        root.draw(&Text::new(fit(&self.subtitle, w - 40, 20), (20, 50 + extra), sub)).map_err(drawing)?;
        let bottom = Pos::new(HPos::Left, VPos::Bottom);
        let foot = (FONT, 15).into_font().color(&MUTED);
        root.draw(&Text::new(self.sources.clone(), (20, h - 10), foot.pos(bottom))).map_err(drawing)?;
        let mark = (FONT, 15).into_font().style(FontStyle::Bold).color(&MUTED).pos(Pos::new(HPos::Right, VPos::Bottom));
        root.draw(&Text::new("whipcount", (w - 20, h - 10), mark)).map_err(drawing)?;
        Ok(())
    }
}

/// A plotting failure as an error.
pub fn drawing<E: std::fmt::Debug>(e: E) -> Error {
    Error::Other(format!("drawing the chart failed: {e:?}"))
}

/// Draws `chart`'s legend in the house style (a white box with a light grey
/// border) at `position`, with labels of `size` points: every chart's legend.
pub fn legend_box<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
    size: u32,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .label_font((FONT, size))
        .draw()
        .map_err(drawing)
}

/// DejaVu Sans's mean advance per character, as a share of plotters' nominal size
/// (which writes the font size as size / 1.24), with some margin.
const REGULAR_WIDTH: f64 = 0.45;
/// The same for DejaVu Sans Bold.
const BOLD_WIDTH: f64 = 0.52;

/// Roughly how many characters of a `size` font fit in `pixels`.
fn capacity(pixels: i32, size: i32, width: f64) -> usize {
    (f64::from(pixels) / (f64::from(size) * width)).max(8.0) as usize
}

/// `text` cut at a word to fit `pixels` at font `size`, with an ellipsis.
pub fn fit(text: &str, pixels: i32, size: i32) -> String {
    shorten(text, capacity(pixels, size, REGULAR_WIDTH))
}

/// The title in one line, or two when it does not fit at the smallest size
/// (cut at a word; a second line that still does not fit ends in "…").
fn title_lines(title: &str, pixels: i32) -> Vec<String> {
    let room = capacity(pixels, title_size(title, pixels), BOLD_WIDTH);
    if title.chars().count() <= room {
        return vec![title.to_string()];
    }
    let cut: String = title.chars().take(room).collect();
    let at = cut.rfind(' ').filter(|&i| i > 0).unwrap_or(cut.len());
    vec![title[..at].to_string(), shorten(title[at..].trim_start(), room)]
}

/// The title's font size: 28, smaller (down to 20) for a long title to fit whole.
fn title_size(title: &str, pixels: i32) -> i32 {
    let chars = title.chars().count().max(1) as f64;
    ((f64::from(pixels) / (chars * BOLD_WIDTH)).floor() as i32).clamp(20, 28)
}

/// `text` cut to at most `max` characters at a word boundary, with "…".
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let ends_a_word = text.chars().nth(max.saturating_sub(1)) == Some(' ');
    let at_word = match cut.rfind(' ') {
        Some(i) if !ends_a_word && i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([' ', ',', ';', ':']))
}

/// The headline: the scenario's title, its date where the title lacks it, and any `--set` edits.
pub fn title(s: &Scenario) -> String {
    let mut t = s.title.clone();
    if let Some(date) = s.date.as_deref().map(long_date)
        && !t.contains(&date)
    {
        t = format!("{t}, {date}");
    }
    // `--set` edits, unless the title carries them already.
    if let Some(edits) = s.name.find(" [").map(|i| &s.name[i..])
        && !t.contains(edits)
    {
        t.push_str(edits);
    }
    t
}

/// `2019-01-16` as `16 January 2019`; other text as it is.
pub fn long_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    match parts[..] {
        [y, m, d] => match (m.parse::<usize>(), d.parse::<u32>()) {
            (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
            _ => date.to_string(),
        },
        _ => date.to_string(),
    }
}

/// The sources line: each source shortened, as many as fit beside "whipcount".
fn sources(list: &[String], width: u32) -> String {
    if list.is_empty() {
        return "Source: the scenario file".into();
    }
    let each = list.iter().map(|s| shorten(s, 48)).collect::<Vec<_>>().join("; ");
    let label = if list.len() == 1 { "Source" } else { "Sources" };
    fit(&format!("{label}: {each}"), width as i32 - 160, 15)
}

/// Decimals that show `x` (in percent) to `significant` digits, at least one.
fn decimals(x: f64, significant: i32) -> usize {
    if x <= 0.0 || !x.is_finite() {
        return 1;
    }
    (significant - 1 - x.log10().floor() as i32).clamp(1, 8) as usize
}

/// A probability as a percentage, to three digits of its distance from 0 or 1:
/// 96.37%, 4.52%, 0.00310%.
pub fn percent(p: f64) -> String {
    let d = decimals(100.0 * p.min(1.0 - p), 3);
    format!("{:.*}%", d, 100.0 * p)
}

/// Method, P(pass) and, for Monte Carlo, its 95% interval and the number of votes
/// (P(pass) and the interval to the digits the interval supports).
pub fn subtitle(e: &Estimate) -> String {
    match e.pass.method {
        Method::Exact => format!("Exact distribution · P(pass) = {} (no sampling error)", percent(e.pass.p_pass)),
        Method::MonteCarlo => {
            let d = decimals(50.0 * (e.pass.ci_high - e.pass.ci_low), 1);
            format!(
                "Monte Carlo, {} simulated votes · P(pass) = {:.*}% (95% interval {:.*}% to {:.*}%)",
                thousands(e.pass.trials),
                d,
                100.0 * e.pass.p_pass,
                d,
                100.0 * e.pass.ci_low,
                d,
                100.0 * e.pass.ci_high
            )
        }
    }
}

/// The method in a few words: "exact" or "Monte Carlo, 20,000 simulated votes each".
pub fn method(e: Option<&Estimate>) -> String {
    match e {
        Some(e) if e.pass.method == Method::MonteCarlo => {
            format!("Monte Carlo, {} simulated votes each", thousands(e.pass.trials))
        }
        _ => "exact".into(),
    }
}

/// 1000000 as 1,000,000.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_either_separator_and_refuse_nonsense() {
        assert_eq!("1200x675".parse::<Size>(), Ok(Size { width: 1200, height: 675 }));
        assert_eq!("800×600".parse::<Size>(), Ok(Size { width: 800, height: 600 }));
        assert!("1200".parse::<Size>().is_err());
        assert!("10x10".parse::<Size>().is_err());
    }

    #[test]
    fn the_title_adds_a_missing_date_and_the_edits() {
        let mut s = crate::scenario::load(Some("uk-2019-01-16")).unwrap();
        assert_eq!(title(&s), s.title, "the date is already in the title");
        s.title = "Vote".into();
        s.name.push_str(" [DUP.switch=0.5]");
        assert_eq!(title(&s), "Vote, 16 January 2019 [DUP.switch=0.5]");
    }

    #[test]
    fn a_long_title_wraps_onto_a_second_line_whole() {
        let t = "No-confidence motion against PM Imran Khan, as submitted (8 March 2022)";
        let lines = title_lines(t, 600);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.join(" "), t);
        assert_eq!(title_lines(t, 1160), [t]);
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(shorten("the quick brown fox jumps", 16), "the quick brown…");
        assert_eq!(shorten("short", 16), "short");
    }

    #[test]
    fn percentages_keep_the_digits_that_matter() {
        assert_eq!(percent(0.9637), "96.37%");
        assert_eq!(percent(0.0452), "4.52%");
        assert_eq!(percent(0.0000310), "0.00310%");
        assert_eq!(percent(0.0), "0.0%");
        let mc = Estimate::monte_carlo(vec![9548, 452], 452);
        assert!(subtitle(&mc).contains("P(pass) = 4.5% (95% interval 4.1% to 4.9%)"), "{}", subtitle(&mc));
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
