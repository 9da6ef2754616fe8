//! The RANGE grammar of `--vary`: `0..=30`, `0..=30:2`, `0.0..=0.5:0.05`, `3,5,8`.
//!
//! Floating ranges never accumulate: point i is start + i·step, rounded to the
//! decimals the user wrote, and the step must land on the end exactly (within
//! 1e-9 of a whole number of steps), so `0.0..=0.5:0.05` gives 0.3, not
//! 0.30000000000000004, and always ends at 0.5.

/// The most points one range may have.
pub const MAX_POINTS: usize = 10_000;

/// The most decimals a value keeps: all an f64 holds (more would round through infinity to NaN).
const MAX_DECIMALS: usize = 15;

/// One value of a swept parameter, with the text it prints as.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The number.
    pub number: f64,
    /// How it prints (in the CSV and tables).
    pub text: String,
}

impl Value {
    fn new(number: f64, decimals: usize) -> Value {
        let scale = 10f64.powi(decimals as i32);
        let number = if decimals > 0 { (number * scale).round() / scale } else { number.round() };
        Value { number, text: format!("{number:.decimals$}") }
    }
}

fn decimals(text: &str) -> usize {
    text.trim().split_once('.').map_or(0, |(_, frac)| frac.len()).min(MAX_DECIMALS)
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("`{}` is not a number ({what})", text.trim())),
    }
}

/// Parses RANGE into its values, in order.
pub fn parse(range: &str) -> Result<Vec<Value>, String> {
    let range = range.trim();
    let values = if let Some((start, rest)) = range.split_once("..") {
        let Some(rest) = rest.strip_prefix('=') else {
            return Err(format!("`{range}`: write an inclusive range with `..=`, e.g. 0..=30"));
        };
        let (end, step) = rest.split_once(':').map_or((rest, None), |(e, s)| (e, Some(s)));
        stepped(start, end, step)?
    } else {
        let texts: Vec<&str> = range.split(',').filter(|t| !t.trim().is_empty()).collect();
        if texts.is_empty() {
            return Err("the range is empty; give 0..=30, 0..=30:2, 0.0..=0.5:0.05 or a list 3,5,8".into());
        }
        texts.iter().map(|t| number(t, "list entry").map(|x| Value::new(x, decimals(t)))).collect::<Result<_, _>>()?
    };
    if values.len() > MAX_POINTS {
        return Err(format!("`{range}` has {} points; at most {MAX_POINTS} are allowed", values.len()));
    }
    Ok(values)
}

/// Parses a list of `true` and `false` (as 1 and 0).
pub fn parse_booleans(range: &str) -> Result<Vec<Value>, String> {
    range
        .split(',')
        .map(|t| match t.trim() {
            "true" => Ok(Value { number: 1.0, text: "true".into() }),
            "false" => Ok(Value { number: 0.0, text: "false".into() }),
            other => Err(format!("`{other}` is not true or false; write true,false")),
        })
        .collect()
}

fn stepped(start: &str, end: &str, step: Option<&str>) -> Result<Vec<Value>, String> {
    let (a, b) = (number(start, "range start")?, number(end, "range end")?);
    let s = step.map_or(Ok(1.0), |s| number(s, "step"))?;
    let places = decimals(start).max(decimals(end)).max(step.map_or(0, decimals));
    if s <= 0.0 {
        return Err(format!("the step {s} must be positive"));
    }
    if b < a {
        return Err(format!("the range {a}..={b} runs backwards; write the smaller value first"));
    }
    let steps = (b - a) / s;
    if steps >= MAX_POINTS as f64 {
        let step = step.unwrap_or("1").trim();
        return Err(format!(
            "the step {step} gives more than {MAX_POINTS} points from {a} to {b}; at most {MAX_POINTS} are allowed, so take a larger step"
        ));
    }
    if (steps - steps.round()).abs() > 1e-9 * steps.max(1.0) {
        return Err(format!("the step {s} does not land on {b}: ({b} − {a}) / {s} = {steps} is not a whole number"));
    }
    let n = steps.round() as usize;
    if n >= MAX_POINTS {
        return Err(format!("{a}..={b}:{s} has {} points; at most {MAX_POINTS} are allowed", n + 1));
    }
    let mut values: Vec<Value> = (0..=n).map(|i| Value::new(a + i as f64 * s, places)).collect();
    values[n] = Value::new(b, places);
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(r: &str) -> Vec<f64> {
        parse(r).unwrap().iter().map(|v| v.number).collect()
    }

    #[test]
    fn integer_ranges_include_both_ends() {
        assert_eq!(numbers("0..=4"), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        assert_eq!(numbers("0..=30:10"), vec![0.0, 10.0, 20.0, 30.0]);
    }

    #[test]
    fn floating_steps_land_on_the_end_without_drift() {
        let v = parse("0.0..=0.5:0.05").unwrap();
        assert_eq!(v.len(), 11);
        assert_eq!(v[6].number, 0.3);
        assert_eq!(v[6].text, "0.30");
        assert_eq!(v[10].number, 0.5);
        assert_eq!(numbers("0.1..=0.7:0.1").last(), Some(&0.7));
    }

    #[test]
    fn lists_keep_their_order() {
        assert_eq!(numbers("3,5,8"), vec![3.0, 5.0, 8.0]);
        assert_eq!(numbers("7"), vec![7.0]);
    }

    #[test]
    fn rejects_bad_ranges() {
        assert!(parse("0..30").unwrap_err().contains("..="));
        assert!(parse("0..=1:0.3").unwrap_err().contains("does not land"));
        assert!(parse("5..=1").unwrap_err().contains("backwards"));
        assert!(parse("0..=1:0").unwrap_err().contains("positive"));
        assert!(parse("a,b").unwrap_err().contains("not a number"));
        assert!(parse("0..=100000").unwrap_err().contains("at most"));
    }

    #[test]
    fn a_vanishing_step_is_too_many_points_not_none() {
        let e = parse("0..=1:1e-320").unwrap_err();
        assert_eq!(
            e,
            "the step 1e-320 gives more than 10000 points from 0 to 1; at most 10000 are allowed, so take a larger step"
        );
    }

    #[test]
    fn a_value_with_hundreds_of_decimals_stays_a_number() {
        let long = format!("0.{}", "1".repeat(400));
        let v = parse(&long).unwrap();
        assert!((v[0].number - 0.111_111_111_111_111).abs() < 1e-15, "{:?}", v[0]);
        assert_eq!(v[0].text, "0.111111111111111");
        assert!(parse(&format!("0..={long}:{long}")).unwrap().iter().all(|v| v.number.is_finite()));
    }
}
