//! Criterion benches: the per-vote kernel on each benchmark scenario (fast and
//! direct paths, so their ratio is measured in one run), building its tables on
//! one and on two threads (so that speed-up is measured in one run too), and the
//! exact engine, on the shipped scenarios and on large and heavily weighted chambers.
//! Run with `cargo bench`; throughput is reported in simulated votes per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The binary's allocator, so that building and freeing tables cost here what
/// they cost a run (the system allocator returns large tables to the kernel at
/// once, and its unmapping then stalls the other thread's page faults).
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::hint::black_box;
use whipcount::exact;
use whipcount::sampler::{Kernel, Paths, rng::batch_rng};
use whipcount::scenario::{find_builtin, load, parse};

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

/// Issue 15's slow cases: the UK chamber under a fraction with large weights
/// ("1/64" of the votes cast, a swing of 0.2: 23 s before the statistic was built
/// without the (yes, other) table), and synthetic chambers of 10,000 seats
/// (15 blocs moved by a swing of 0.3) under each base.
fn exact_extremes(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact-extremes");
    group.sample_size(10);
    let uk = find_builtin("uk-2019-01-16")
        .expect("shipped")
        .replace("tie = \"fails\"\n", "fraction = \"1/64\"\ntie = \"fails\"\n\n[swing]\nsd = 0.2\n");
    let uk = parse(&uk, "uk-1-64.toml", "uk-1-64").expect("a valid variant");
    group.bench_function("uk-2019-01-16 1/64 sd 0.2", |b| b.iter(|| black_box(exact::solve(&uk).p_pass)));
    for base in ["membership", "cast", "present"] {
        let s = parse(&synthetic(10_000, base), "synthetic.toml", "synthetic").expect("valid");
        group.bench_function(format!("10000 seats, 15 moved blocs, {base}"), |b| {
            b.iter(|| black_box(exact::solve(&s).p_pass))
        });
    }
    group.finish();
}

/// Building the kernel (every table before the first vote, and freeing them)
/// on a pool of one and of two threads, as a run does, on the chambers whose
/// tables cost most; beside them, a loop of logarithms cut in two halves, as
/// parallel as work can be, whose speed-up is what this machine gives two
/// threads at that moment (on the shared 2-core VM it has ranged from 1.1x to 2.0x).
fn tables(c: &mut Criterion) {
    let mut group = c.benchmark_group("tables");
    let chambers = ["table-members-2000", "table-cohesive-10000", "table-one-seat-blocs-10000", "blocs-200"];
    let files = chambers.map(|name| format!("{}/benches/chambers/{name}.toml", env!("CARGO_MANIFEST_DIR")));
    let scenarios = std::iter::once(("pakistan-2022-03-30".to_string(), load(Some("pakistan-2022-03-30"))))
        .chain(chambers.iter().zip(&files).map(|(name, file)| (name.to_string(), load(Some(file)))));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
        group.bench_function(format!("ideal/{threads} threads"), |b| {
            b.iter(|| pool.install(|| black_box(ideal(1 << 22))))
        });
    }
    for (name, scenario) in scenarios {
        let scenario = scenario.expect("a benchmark chamber");
        for threads in [1, 2] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("a pool");
            group.bench_function(format!("{name}/{threads} threads"), |b| {
                b.iter(|| pool.install(|| Kernel::new(&scenario, Paths::Fast).free()))
            });
        }
    }
    group.finish();
}

/// Σ ln(1 + i·10⁻⁹) over i < n, as two halves on the current pool.
fn ideal(n: u64) -> f64 {
    let half = |range: std::ops::Range<u64>| range.map(|i| (i as f64 * 1e-9).ln_1p()).sum::<f64>();
    let (a, b) = rayon::join(|| half(0..n / 2), || half(n / 2..n));
    a + b
}

/// A chamber of `seats` in 15 blocs (government, opposition and small parties,
/// sizes in the Pakistani proportions), all moved by a swing of 0.3.
fn synthetic(seats: u32, base: &str) -> String {
    let shares = [84, 56, 14, 7, 4, 4, 4, 1, 1, 1, 1, 155, 4, 3, 3];
    let total: u32 = shares.iter().sum();
    let mut text = format!("[chamber]\nseats = {seats}\n[rule]\nmajority-of = \"{base}\"\n[swing]\nsd = 0.3\n");
    let mut left = seats;
    for (i, share) in shares.iter().enumerate() {
        let n = if i + 1 == shares.len() { left } else { seats * share / total };
        left -= n;
        let whip = if i < 11 { "yes" } else { "no" };
        text.push_str(&format!(
            "[[bloc]]\nname = \"b{i}\"\nseats = {n}\nwhip = \"{whip}\"\ndefect = 0.0{}\nabstain = 0.01\nabsent = 0.02\n",
            1 + i % 9
        ));
    }
    text
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = kernel, tables, exact_engine, exact_extremes
}
criterion_main!(benches);
