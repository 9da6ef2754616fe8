//! Criterion benches: the per-vote kernel on each benchmark scenario (fast and
//! direct paths, so their ratio is measured in one run), and the exact engine.
//! Run with `cargo bench`; throughput is reported in simulated votes per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use whipcount::exact;
use whipcount::sampler::{Kernel, Paths, rng::batch_rng};
use whipcount::scenario::load;

const VOTES: u64 = 10_000;

fn kernel(c: &mut Criterion) {
    let mut group = c.benchmark_group("kernel");
    group.throughput(Throughput::Elements(VOTES));
    for name in ["bench/independent-blocs", "bench/members", "pakistan-2022-03-30"] {
        let scenario = load(Some(name)).expect("a shipped scenario");
        for (label, paths) in [("fast", Paths::Fast), ("direct", Paths::Direct)] {
            let k = Kernel::new(&scenario, paths);
            let mut rng = batch_rng(1, 0);
            group.bench_function(format!("{name}/{label}"), |b| {
                b.iter(|| {
                    let mut total = 0u64;
                    for _ in 0..VOTES {
                        total += u64::from(k.sample(&mut rng).0);
                    }
                    black_box(total)
                })
            });
        }
    }
    group.finish();
}

fn exact_engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact");
    for name in ["pakistan-2022-03-30", "uk-2019-01-16", "bench/members"] {
        let scenario = load(Some(name)).expect("a shipped scenario");
        group.bench_function(name, |b| b.iter(|| black_box(exact::solve(&scenario).p_pass)));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = kernel, exact_engine
}
criterion_main!(benches);
