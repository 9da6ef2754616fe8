#!/usr/bin/env python3
"""A plain vectorised NumPy simulation of whipcount's model, for comparison.

    python3 benches/numpy_baseline.py configs/bench/independent-blocs.toml --trials 2000000

Simulates the same model as `whipcount simulate` (switch coin, swing on the means,
cohesion as a Beta draw of the counted-yes probability, binomial counts, one
uniform per named member) in chunks of votes, one array operation per bloc and
member, and prints votes per second on one core. Only rules with a fixed count
(majority or fraction of the membership, `needed`) are supported, which covers the
benchmark scenarios. Needs numpy (`pip install numpy`); not needed by whipcount.
"""
import argparse
import math
import time
import tomllib

import numpy as np

OUTCOMES = ("yes", "no", "abstain", "absent")


def resolve(spec, whip, inherit=None):
    """Probabilities of yes/no/abstain/absent, either spelling (docs/reference.md section 1)."""
    keys = {k: spec[k] for k in ("defect", "yes", "no", "abstain", "absent") if k in spec}
    if not keys:
        if inherit is not None:
            return inherit
        keys = {}
    if "yes" in keys or "no" in keys:
        given = {k: keys.get(k) for k in OUTCOMES}
        missing = [k for k, v in given.items() if v is None]
        stated = sum(v for v in given.values() if v is not None)
        p = {k: (v or 0.0) for k, v in given.items()}
        if len(missing) == 1:
            p[missing[0]] = max(0.0, 1.0 - stated)
        return p
    p = dict.fromkeys(OUTCOMES, 0.0)
    defect_outcome = "no" if whip == "yes" else "yes"
    p[defect_outcome] += keys.get("defect", 0.0)
    p["abstain"] += keys.get("abstain", 0.0)
    p["absent"] += keys.get("absent", 0.0)
    p[whip] += max(0.0, 1.0 - keys.get("defect", 0.0) - keys.get("abstain", 0.0) - keys.get("absent", 0.0))
    return p


def counted_yes(p, whip, count_defectors):
    """P(a counted yes vote) before the swing."""
    return p["yes"] if (count_defectors or whip == "yes") else 0.0


def swung(y, e):
    return y * e / (y * e + 1.0 - y)


def simulate(scenario, trials, chunk, rng):
    seats = scenario["chamber"]["seats"]
    rule = scenario.get("rule", {})
    if rule.get("majority-of", "membership") != "membership" and "needed" not in rule:
        raise SystemExit("this baseline supports only fixed-count rules")
    needed = rule.get("needed") or (math.ceil(rule["fraction"] * seats - 1e-9) if "fraction" in rule else seats // 2 + 1)
    count_defectors = rule.get("count-defectors", True)
    sd = scenario.get("swing", {}).get("sd", 0.0)
    blocs = []
    for b in scenario["bloc"]:
        probs = resolve(b, b["whip"])
        members = [resolve(m, b["whip"], probs) for m in b.get("member", [])]
        flipped = {"yes": "no", "no": "yes"}.get(b["whip"], b["whip"])
        states = []
        for whip, swap in ((b["whip"], False), (flipped, True)):
            def y_of(p):
                q = dict(p, yes=p["no"], no=p["yes"]) if swap else p
                return counted_yes(q, whip, count_defectors)
            states.append((y_of(probs), np.array([y_of(m) for m in members])))
        blocs.append((b["seats"] - len(members), states, b.get("cohesion", 0.0), b.get("switch", 0.0), b.get("swing", True)))
    passes, done = 0, 0
    while done < trials:
        n = min(chunk, trials - done)
        z = rng.standard_normal(n) if sd > 0 else np.zeros(n)
        e = np.exp(sd * z)
        yes = np.zeros(n, dtype=np.int64)
        for unnamed, states, rho, switch, moved in blocs:
            ee = e if moved else np.ones(n)
            flip = rng.random(n) < switch if switch > 0 else np.zeros(n, dtype=bool)
            y = np.where(flip, states[1][0], states[0][0])
            y = swung(y, ee)
            if unnamed > 0:
                if 0.0 < rho < 1.0:
                    c = (1.0 - rho) / rho
                    y = rng.beta(np.maximum(c * y, 1e-300), np.maximum(c * (1.0 - y), 1e-300))
                    yes += rng.binomial(unnamed, y)
                elif rho >= 1.0:
                    yes += unnamed * (rng.random(n) < y)
                else:
                    yes += rng.binomial(unnamed, y)
            ym = states[0][1]
            if ym.size:
                ym_flip = states[1][1]
                p = np.where(flip[:, None], ym_flip[None, :], ym[None, :])
                p = swung(p, ee[:, None])
                yes += (rng.random((n, ym.size)) < p).sum(axis=1)
        passes += int((yes >= needed).sum())
        done += n
    return passes / trials


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--trials", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with open(args.scenario, "rb") as f:
        scenario = tomllib.load(f)
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    p = simulate(scenario, args.trials, args.chunk, rng)
    seconds = time.perf_counter() - started
    print(f"scenario={args.scenario} trials={args.trials} p_pass={p:.4f} seconds={seconds:.3f} "
          f"votes_per_s={args.trials / seconds:.0f} (numpy {np.__version__}, one core)")


if __name__ == "__main__":
    main()
