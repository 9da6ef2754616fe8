//! CSV (docs/reference.md §3): the distribution, the sweep and the bench.
//!
//! Numbers print in Rust's shortest round-trip form. A partial result ends with
//! one comment line, `# partial: …`, after the rows.

use super::{Distribution, Sweep};
use crate::bench::Report;
use crate::stats::PassRow;

/// Columns of the bench.
pub const BENCH_COLUMNS: [&str; 7] = ["threads", "trials", "runs", "seconds", "votes_per_s", "speedup", "path"];

fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::new())
}

fn row<I: IntoIterator<Item = S>, S: AsRef<[u8]>>(w: &mut csv::Writer<Vec<u8>>, record: I) {
    w.write_record(record).expect("writing to memory");
}

fn finish(w: csv::Writer<Vec<u8>>, partial: Option<String>) -> Vec<u8> {
    let mut bytes = w.into_inner().expect("writing to memory");
    if let Some(why) = partial {
        bytes.extend_from_slice(format!("# partial: {why}\n").as_bytes());
    }
    bytes
}

/// The distribution CSV: `yes,count,probability,cdf,sf`, one row per count 0..=seats.
pub fn distribution(d: &Distribution) -> Vec<u8> {
    let e = &d.estimate;
    let mut w = writer();
    let (cdf, sf) = (e.cdf(), e.sf());
    row(&mut w, ["yes", "count", "probability", "cdf", "sf"]);
    for k in 0..e.probability.len() {
        let count = e.counts.as_ref().map_or(String::new(), |c| c[k].to_string());
        row(&mut w, [k.to_string(), count, e.probability[k].to_string(), cdf[k].to_string(), sf[k].to_string()]);
    }
    let why = format!("interrupted; these counts cover only the {} votes simulated", e.pass.trials);
    finish(w, d.info.partial.then_some(why))
}

/// The sweep CSV: one column per parameter (values as the user wrote them), then
/// [`PassRow::COLUMNS`].
pub fn sweep(s: &Sweep) -> Vec<u8> {
    let mut w = writer();
    row(&mut w, s.plan.axes.iter().map(|a| a.label.as_str()).chain(PassRow::COLUMNS));
    for (values, e) in s.points() {
        let mut record: Vec<String> = values.iter().map(|v| v.text.clone()).collect();
        record.extend(e.row().fields());
        row(&mut w, record);
    }
    let why = format!("interrupted after {} of {} points", s.results.len(), s.plan.len());
    finish(w, s.partial().then_some(why))
}

/// The bench CSV: [`BENCH_COLUMNS`], one row per thread count and path.
pub fn bench(r: &Report) -> Vec<u8> {
    let mut w = writer();
    row(&mut w, BENCH_COLUMNS);
    for x in &r.rows {
        let numbers = [format!("{:.4}", x.seconds), format!("{:.0}", x.votes_per_s), format!("{:.3}", x.speedup)];
        let [seconds, rate, speedup] = numbers;
        row(
            &mut w,
            [x.threads.to_string(), x.trials.to_string(), x.runs.to_string(), seconds, rate, speedup, x.path.into()],
        );
    }
    let why = "interrupted; each row's seconds are the median of the runs it counts";
    finish(w, r.partial.then(|| why.to_string()))
}
