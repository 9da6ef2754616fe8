//! Contour lines of a grid by marching squares.
//!
//! Values sit at cell centres (i, j). Each square of four neighbouring centres is
//! crossed by the level on the edges whose ends lie on either side of it, at the
//! linearly interpolated point; a saddle (all four edges crossed) is resolved by
//! the square's mean. The lines are exact for a bilinear surface between centres.

/// A segment between two points in grid coordinates.
pub type Segment = ((f64, f64), (f64, f64));

/// The segments of the contour at `level` of `z[i][j]` (every row the same length).
pub fn segments(z: &[Vec<f64>], level: f64) -> Vec<Segment> {
    let mut out = Vec::new();
    for i in 0..z.len().saturating_sub(1) {
        for j in 0..z[i].len().saturating_sub(1) {
            square(z, i, j, level, &mut out);
        }
    }
    out
}

fn square(z: &[Vec<f64>], i: usize, j: usize, level: f64, out: &mut Vec<Segment>) {
    let (x, y) = (i as f64, j as f64);
    // Corners counter-clockwise from (i, j); edge k joins corner k and k + 1.
    let corners = [
        ((x, y), z[i][j]),
        ((x + 1.0, y), z[i + 1][j]),
        ((x + 1.0, y + 1.0), z[i + 1][j + 1]),
        ((x, y + 1.0), z[i][j + 1]),
    ];
    let crossing = |k: usize| {
        let ((a, va), (b, vb)) = (corners[k], corners[(k + 1) % 4]);
        if (va >= level) == (vb >= level) {
            return None;
        }
        let t = (level - va) / (vb - va);
        Some((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
    };
    let edges: Vec<(f64, f64)> = (0..4).filter_map(crossing).collect();
    match edges[..] {
        [p, q] => out.push((p, q)),
        [p0, p1, p2, p3] => {
            let mean = corners.iter().map(|c| c.1).sum::<f64>() / 4.0;
            // If the centre sides with corner 0, corners 1 and 3 are cut off.
            if (mean >= level) == (corners[0].1 >= level) {
                out.extend([(p0, p1), (p2, p3)]);
            } else {
                out.extend([(p3, p0), (p1, p2)]);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ramp_is_cut_by_a_straight_line_where_it_crosses_the_level() {
        let z = vec![vec![0.0, 0.0, 0.0], vec![1.0, 1.0, 1.0]];
        let s = segments(&z, 0.5);
        assert_eq!(s.len(), 2);
        assert!(s.iter().all(|&((x0, _), (x1, _))| x0 == 0.5 && x1 == 0.5));
    }

    #[test]
    fn a_level_outside_the_values_draws_nothing() {
        assert!(segments(&[vec![0.2, 0.3], vec![0.4, 0.1]], 0.9).is_empty());
    }

    #[test]
    fn a_saddle_gives_two_segments() {
        assert_eq!(segments(&[vec![1.0, 0.0], vec![0.0, 1.0]], 0.5).len(), 2);
    }
}
