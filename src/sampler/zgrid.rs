//! Bins of the swing z over [−Z_MAX, Z_MAX), equal within each zone of z.
//!
//! A z-binned table holds, per bin, a law that bounds or approximates the
//! exact law at every z of the bin, so narrower bins mean rarer fallbacks and
//! more memory. [`ZGrid::new`] cuts the range into equal bins. [`ZGrid::graded`]
//! widens the bins where z is rare: the fallback rate of a vote at z grows with
//! the width w(z) of its bin, so a grid of N bins falls back in a share
//! proportional to ∫φ(z)·w(z) dz, which under ∫dz/w(z) = N is least for
//! w ∝ φ^(−1/2) = e^(z²/4)·const. Zones of |z| below 1.5, 1.5–3 and 3–6 with
//! widths 1 : 3 : 20 follow that closely: for the same number of bins they fall
//! back 2.1 times less often than equal bins (1.31·h against 12/N per unit of
//! sensitivity, h the central width), or need 2.1 times fewer bins for the same
//! rate. Every bin is still an interval, so each table's bound over it holds as
//! before: only where the edges lie changes.

/// The bins cover z in [−Z_MAX, Z_MAX); |z| ≥ 6 has probability 2e-9.
pub const Z_MAX: f64 = 6.0;

/// A graded grid's zones for z ≥ 0 (mirrored below 0): where each starts in z
/// and its bins' width relative to the central zone's.
const GRADES: [(f64, f64); 3] = [(0.0, 1.0), (1.5, 3.0), (3.0, 20.0)];

/// The most zones of a grid: the central one and two on each side.
const ZONES: usize = 2 * GRADES.len() - 1;

/// Equal bins over [start, start + bins·width).
#[derive(Debug, Clone, Copy, Default)]
struct Zone {
    start: f64,
    width: f64,
    /// 1/width, so that finding a bin costs a multiplication, not a division.
    per_unit: f64,
    /// The index of the zone's first bin in the grid.
    first: usize,
    bins: usize,
    /// `bins` as a float, so that a position is tested against it before the
    /// conversion to an index.
    end: f64,
}

impl Zone {
    /// `bins` equal bins over [start, end), the first numbered `first`.
    fn new(start: f64, end: f64, bins: usize, first: usize) -> Zone {
        let length = end - start;
        Zone { start, width: length / bins as f64, per_unit: bins as f64 / length, first, bins, end: bins as f64 }
    }

    /// The bin holding z, if the zone holds it: position p = (z − start)/width,
    /// bin ⌊p⌋ for 0 ≤ p < bins (NaN fails both tests).
    #[inline(always)]
    fn bin(&self, z: f64) -> Option<usize> {
        let position = (z - self.start) * self.per_unit;
        (position >= 0.0 && position < self.end).then(|| self.first + position as u32 as usize)
    }
}

/// Bins of the swing z over [−Z_MAX, Z_MAX): one zone of equal bins, or several.
#[derive(Debug, Clone, Copy)]
pub struct ZGrid {
    /// The zones in increasing z; the first `count` are used.
    zones: [Zone; ZONES],
    count: usize,
    bins: usize,
}

impl ZGrid {
    /// Equal bins narrow enough that `rate`·width ≤ `step`, but at most `max` of them.
    pub fn new(rate: f64, step: f64, max: usize) -> ZGrid {
        let bins = ((2.0 * Z_MAX * rate / step).ceil() as usize).clamp(1, max);
        ZGrid::of(&[Zone::new(-Z_MAX, Z_MAX, bins, 0)])
    }

    /// Bins graded by zone (module doc): central bins narrow enough that
    /// `rate`·width ≤ `step`, wider ones where z is rarer, at most `max` bins
    /// (wider everywhere in proportion when the central width would need more;
    /// equal bins when `max` is below one per zone).
    pub fn graded(rate: f64, step: f64, max: usize) -> ZGrid {
        if max < ZONES {
            return ZGrid::new(rate, step, max);
        }
        let mut central = step / rate;
        loop {
            let grid = ZGrid::of(&graded_zones(central));
            if grid.bins <= max {
                return grid;
            }
            central *= (grid.bins as f64 / max as f64).max(1.01);
        }
    }

    fn of(zones: &[Zone]) -> ZGrid {
        let mut all = [Zone::default(); ZONES];
        all[..zones.len()].copy_from_slice(zones);
        ZGrid { zones: all, count: zones.len(), bins: zones.iter().map(|z| z.bins).sum() }
    }

    /// The number of bins.
    pub fn bins(&self) -> usize {
        self.bins
    }

    /// The width of the central bin (tests place z on bin edges with it).
    #[cfg(test)]
    pub fn width(&self) -> f64 {
        self.zones[self.count / 2].width
    }

    /// The lower and upper edges of bin j.
    pub fn edges(&self, j: usize) -> (f64, f64) {
        let zone = self.zones[..self.count].iter().rfind(|zone| zone.first <= j).expect("the first zone starts at 0");
        let i = (j - zone.first) as f64;
        (zone.start + i * zone.width, zone.start + (i + 1.0) * zone.width)
    }

    /// The zone that holds z (or the nearest end zone): the central zone first,
    /// where most z fall, else the first zone whose end lies beyond z.
    #[inline(always)]
    fn zone_of(&self, z: f64) -> usize {
        let (last, centre) = (self.count - 1, self.count / 2);
        if last == 0 {
            return 0;
        }
        match centre < last && self.zones[centre].start <= z && z < self.zones[centre + 1].start {
            true => centre,
            false => (0..last).find(|&k| z < self.zones[k + 1].start).unwrap_or(last),
        }
    }

    /// The bin holding z, if z is inside the grid. A grid of one zone (equal
    /// bins) is one multiplication and two comparisons: the same bin.
    #[inline(always)]
    pub fn bin(&self, z: f64) -> Option<usize> {
        if self.count == 1 {
            return self.zones[0].bin(z);
        }
        let k = self.zone_of(z);
        let zone = &self.zones[k];
        let position = (z - zone.start) * zone.per_unit;
        // Through i64: one conversion instruction where usize needs several (a
        // negative position, refused below, wraps to a huge index).
        let i = position as i64 as usize;
        // Rounding may carry z just below a zone's end past its last bin.
        let i = if k < self.count - 1 { i.min(zone.bins - 1) } else { i };
        (position >= 0.0 && i < zone.bins).then_some(zone.first + i)
    }

    /// z's position in bin j = [`ZGrid::bin`]`(z)`, in [0, 1] (computed apart from
    /// the bin, for the few draws that need it).
    pub fn within(&self, j: usize, z: f64) -> f64 {
        let zone = &self.zones[self.zone_of(z)];
        ((z - zone.start) * zone.per_unit - (j - zone.first) as f64).clamp(0.0, 1.0)
    }
}

/// The zones of a graded grid whose central bins are `central` wide.
fn graded_zones(central: f64) -> Vec<Zone> {
    let ends: Vec<f64> = GRADES.iter().map(|g| g.0).skip(1).chain([Z_MAX]).collect();
    let half: Vec<(f64, f64, usize)> = GRADES
        .iter()
        .zip(&ends)
        .map(|(&(start, relative), &end)| (start, end, ((end - start) / (central * relative)).ceil().max(1.0) as usize))
        .collect();
    let (c_end, c_bins) = (half[0].1, half[0].2);
    let mut spans: Vec<(f64, f64, usize)> = half[1..].iter().rev().map(|&(s, e, n)| (-e, -s, n)).collect();
    spans.push((-c_end, c_end, 2 * c_bins));
    spans.extend(half[1..].iter().copied());
    let mut first = 0;
    spans
        .into_iter()
        .map(|(start, end, bins)| {
            let zone = Zone::new(start, end, bins, first);
            first += bins;
            zone
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equal bins keep the formulas they always had, to the bit.
    #[test]
    fn equal_bins_locate_and_edge_as_one_multiplication_does() {
        let grid = ZGrid::new(0.3, 0.01, 4800);
        let (bins, width) = (grid.bins(), 2.0 * Z_MAX / grid.bins() as f64);
        assert_eq!(bins, 360);
        for j in [0, 1, 179, 359] {
            let old = (-Z_MAX + j as f64 * width, -Z_MAX + (j + 1) as f64 * width);
            assert_eq!(grid.edges(j), old);
        }
        for z in [-6.0, -5.999, -1.3, 0.0, 0.1, 2.2, 5.999_999] {
            let position = (z + Z_MAX) * (bins as f64 / (2.0 * Z_MAX));
            let j = position as usize;
            assert_eq!((grid.bin(z), grid.within(j, z)), (Some(j), position - j as f64), "z = {z}");
        }
        assert_eq!((grid.bin(6.0), grid.bin(-6.000_001), grid.bin(f64::NAN)), (None, None, None));
    }

    /// A graded grid's bins tile [−6, 6) in order, each z lands in the bin whose
    /// edges hold it (on zone boundaries too), and the central bins are as
    /// narrow as asked.
    #[test]
    fn graded_bins_tile_the_range_and_hold_the_z_they_locate() {
        let grid = ZGrid::graded(0.2, 0.0025, 4800);
        assert_eq!((grid.count, grid.edges(0).0, grid.edges(grid.bins() - 1).1), (5, -6.0, 6.0));
        assert!(0.2 * grid.width() <= 0.0025 && grid.bins() < 960 / 2, "{} bins", grid.bins());
        for j in 1..grid.bins() {
            assert!((grid.edges(j - 1).1 - grid.edges(j).0).abs() < 1e-12, "bin {j}");
        }
        let boundaries = [-3.0, -1.5, 1.5, 3.0].into_iter().flat_map(|b: f64| [b.next_down(), b, b.next_up()]);
        for z in (0..12_000).map(|i| -6.0 + i as f64 * 0.001).chain(boundaries) {
            let j = grid.bin(z).unwrap();
            let position = grid.within(j, z);
            let (lo, hi) = grid.edges(j);
            assert!(lo - 1e-12 <= z && z < hi + 1e-12 && (0.0..=1.0).contains(&position), "z = {z}: bin {j}");
        }
        assert_eq!((grid.bin(6.0), grid.bin(-6.1)), (None, None));
    }

    /// Looking in the central zone first finds the zone the search from the
    /// left finds, so every z keeps its bin (and its votes).
    #[test]
    fn the_central_zone_first_finds_the_bin_the_search_finds() {
        let grid = ZGrid::graded(0.2, 0.0025, 4800);
        let searched = |z: f64| {
            let last = grid.count - 1;
            let k = (0..last).find(|&k| z < grid.zones[k + 1].start).unwrap_or(last);
            let zone = &grid.zones[k];
            let i = ((z - zone.start) * zone.per_unit) as i64 as usize;
            let i = if k < last { i.min(zone.bins - 1) } else { i };
            (z >= zone.start && i < zone.bins).then_some(zone.first + i)
        };
        let edges =
            [-6.0, -3.0, -1.5, 0.0, 1.5, 3.0, 6.0].into_iter().flat_map(|b: f64| [b.next_down(), b, b.next_up()]);
        for z in (0..130_000).map(|i| -6.5 + i as f64 * 1e-4).chain(edges).chain([f64::NAN]) {
            assert_eq!(grid.bin(z), searched(z), "z = {z}");
        }
    }

    /// For the same number of bins, the graded grid's fallback share (∫φ·w,
    /// summed as φ(mid)·w² over bins) is at least twice smaller; a tight
    /// maximum widens every zone rather than exceed it.
    #[test]
    fn graded_bins_fall_back_half_as_often_for_as_many_bins() {
        let share = |grid: &ZGrid| -> f64 {
            let phi = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
            (0..grid.bins()).map(|j| grid.edges(j)).map(|(lo, hi)| phi((lo + hi) / 2.0) * (hi - lo).powi(2)).sum()
        };
        let graded = ZGrid::graded(0.2, 0.0025, 4800);
        let equal = ZGrid::new(1.0, 2.0 * Z_MAX / graded.bins() as f64, 4800);
        assert_eq!(equal.bins(), graded.bins());
        let ratio = share(&equal) / share(&graded);
        assert!(ratio > 2.0 && ratio < 2.4, "{ratio}");
        assert!(ZGrid::graded(0.2, 0.0025, 100).bins() <= 100);
        assert_eq!(ZGrid::graded(0.2, 0.0025, 4).bins(), 4);
    }
}
