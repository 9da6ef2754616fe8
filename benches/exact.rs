//! Criterion benches of the exact engine on the synthetic chambers
//! (`benches/chambers/`, written by `scripts/make_bench_configs.py`): the swing
//! integrated by exponential tilting, against the per-node reference on the same
//! chamber in the same run; and the wide fraction rules and the cohesive
//! 10,000-seat chamber, also under a majority of the votes cast (`exact-wide`). `cargo bench --bench exact`; the
//! 100,000-seat chamber is timed by `whipcount exact` instead (README, "How cost
//! grows (exact)").

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use whipcount::exact;
use whipcount::scenario::{Scenario, parse};

macro_rules! chamber {
    ($name:literal) => {
        parse(include_str!(concat!("chambers/", $name, ".toml")), concat!($name, ".toml"), $name)
            .expect("a valid benchmark chamber")
    };
}

fn tilted(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact-tilt");
    group.sample_size(10);
    let chambers: [(&str, Scenario); 5] = [
        ("moved-342", chamber!("moved-342")),
        ("moved-10000", chamber!("moved-10000")),
        ("members-2000", chamber!("members-2000")),
        ("cohesive-3000", chamber!("cohesive-3000")),
        ("blocs-200", chamber!("blocs-200")),
    ];
    solve_each(&mut group, &chambers);
    // The UK scenario decided by 1/64 of the votes cast with a swing (once 23 s).
    let uk = chamber!("uk-1-64");
    group.bench_function("uk-1-64", |b| b.iter(|| black_box(exact::solve(&uk).p_pass)));
    let s = chamber!("moved-3000");
    group.bench_function("moved-3000", |b| b.iter(|| black_box(exact::solve(&s).p_pass)));
    group.bench_function("moved-3000 per node (reference)", |b| b.iter(|| black_box(exact::solve_per_node(&s).p_pass)));
    group.finish();
}

/// Wide fraction rules, whose P(pass | z) is summed by FFT, and the cohesive
/// chamber that nothing tilts (seconds each: `--measurement-time` to taste).
fn wide(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact-wide");
    group.sample_size(10);
    let chambers: [(&str, Scenario); 4] = [
        ("fraction-64-1690", chamber!("fraction-64-1690")),
        ("moved-10000-1-64", chamber!("moved-10000-1-64")),
        ("cohesive-10000", chamber!("cohesive-10000")),
        ("cohesive-10000-cast", chamber!("cohesive-10000-cast")),
    ];
    solve_each(&mut group, &chambers);
    group.finish();
}

/// One bench per chamber: `exact::solve`'s P(pass).
fn solve_each(group: &mut BenchmarkGroup<'_, WallTime>, chambers: &[(&str, Scenario)]) {
    for (name, s) in chambers {
        group.bench_function(*name, |b| b.iter(|| black_box(exact::solve(s).p_pass)));
    }
}

criterion_group!(benches, tilted, wide);
criterion_main!(benches);
