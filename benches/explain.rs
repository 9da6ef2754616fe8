//! Criterion benches: `explain` against one exact solve of the same scenario, so the
//! ratio the README reports is measured in one run (targets: under 3× on the default
//! scenario, under 20× with `--members` on bench/members).
//! Run with `cargo bench --bench explain`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use whipcount::scenario::load;
use whipcount::{exact, explain};

fn explain_against_exact(c: &mut Criterion) {
    let mut group = c.benchmark_group("explain");
    for (name, members) in [("pakistan-2022-03-30", false), ("bench/members", true)] {
        let scenario = load(Some(name)).expect("a shipped scenario");
        group.bench_function(format!("{name}/exact"), |b| b.iter(|| black_box(exact::solve(&scenario).p_pass)));
        let label = if members { "explain --members" } else { "explain" };
        group.bench_function(format!("{name}/{label}"), |b| {
            b.iter(|| black_box(explain::exact::explain(&scenario, 1.0, members).p_pass))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = explain_against_exact
}
criterion_main!(benches);
