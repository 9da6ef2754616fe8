#!/usr/bin/env python3
"""A NumPy peer of `whipcount exact` that integrates the swing by exponential tilting.

    python3 scripts/numpy_exact_tilt.py benches/chambers/moved-10000.toml --panels 128

The same model and quadrature as whipcount's exact engine (composite 8-point
Gauss-Legendre on [-8.5, 8.5] under the normal density, `--panels` panels), for
rules with a fixed count of yes votes (majority or fraction of the membership,
`needed`). The swing-moved blocs whose members are independent and which never
switch are convolved with np.convolve (direct, so the tails keep their relative
accuracy; only the exactly-zero ends are cut) at anchors spaced so that a node's
tilt sd*(z - anchor) stays within 9.5 standard deviations of their yes count (one
anchor at z = 0 is not enough past about 10,000 seats: the laws the far nodes need
have underflowed there), and tilted to every node by e^(sd*(z - anchor)*k);
switching and cohesive moved blocs are rebuilt at every node and convolved with
the tilted law; the fixed blocs are convolved once with the mixture over the nodes. Prints P(pass) and the seconds taken on one core. Needs numpy
(`pip install numpy`); whipcount itself does not.
"""
import argparse
import math
import sys
import time
import tomllib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benches"))
from numpy_baseline import resolve as resolve_as_written  # noqa: E402  (the sampling peer's reading)


def resolve(spec, whip, inherit=None):
    """Probabilities of yes/no/abstain/absent as the sampling peer reads them,
    divided by their sum as whipcount does when it reads a scenario."""
    p = resolve_as_written(spec, whip, inherit)
    if p is inherit:
        return p
    total = sum(p.values())
    return {k: v / total for k, v in p.items()}


def swung(y, e):
    return y if y <= 0.0 or y >= 1.0 else y * e / (y * e + 1.0 - y)


def count_law(k, y, rho):
    """Law of the yes count of k members with mean P(yes) = y and cohesion rho."""
    out = np.zeros(k + 1)
    if k == 0 or y <= 0.0 or y >= 1.0 or rho >= 1.0:
        if rho >= 1.0 and 0.0 < y < 1.0:
            out[0], out[k] = 1.0 - y, y
        else:
            out[k if y >= 1.0 else 0] = 1.0
        return out
    j = np.arange(k)
    if rho > 0.0:
        c = (1.0 - rho) / rho
        up, down = np.log(y + j / c), np.log(1.0 - y + j / c)
    else:
        up, down = np.full(k, math.log(y)), np.full(k, math.log1p(-y))
    lf = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, k + 1)))))
    a, b = np.concatenate(([0.0], np.cumsum(up))), np.concatenate(([0.0], np.cumsum(down)))
    logs = lf[k] - lf - lf[::-1] + a + b[::-1]
    out = np.exp(logs - logs.max())
    return out / out.sum()


def bloc_law(bloc, e):
    """Law of the bloc's yes count at swing factor e, mixed over its switch."""
    law = 0.0
    for weight, y, members in bloc["states"]:
        if weight == 0.0:
            continue
        part = count_law(bloc["unnamed"], swung(y, e), bloc["rho"])
        for m in members:
            q = swung(m, e)
            part = np.convolve(part, [1.0 - q, q])
        law = law + weight * part
    return law


def load(path):
    with open(path, "rb") as f:
        scenario = tomllib.load(f)
    seats = scenario["chamber"]["seats"]
    rule = scenario.get("rule", {})
    if rule.get("majority-of", "membership") != "membership" or not rule.get("count-defectors", True):
        raise SystemExit("this peer supports fixed-count rules on the membership that count every yes")
    needed = rule.get("needed") or (math.ceil(rule["fraction"] * seats - 1e-9) if "fraction" in rule else seats // 2 + 1)
    blocs = []
    for b in scenario["bloc"]:
        probs = resolve(b, b["whip"])
        members = [resolve(m, b["whip"], probs) for m in b.get("member", [])]
        s = b.get("switch", 0.0)
        states = [(1.0 - s, probs["yes"], [m["yes"] for m in members]),
                  (s, probs["no"], [m["no"] for m in members])]
        blocs.append({"unnamed": b["seats"] - len(members), "rho": b.get("cohesion", 0.0), "states": states,
                      "moved": b.get("swing", True), "tilts": s in (0.0, 1.0) and (b.get("cohesion", 0.0) == 0.0
                                                                           or b["seats"] - len(members) <= 1)})
    return seats, needed, scenario.get("swing", {}).get("sd", 0.0), blocs


def normal_rule(panels):
    x, w = np.polynomial.legendre.leggauss(8)
    width = 17.0 / panels
    mids = -8.5 + width * (np.arange(panels) + 0.5)
    z = (mids[:, None] + 0.5 * width * x[None, :]).ravel()
    weight = (0.5 * width * w[None, :] * np.exp(-0.5 * z.reshape(panels, 8) ** 2)).ravel()
    return z, weight / weight.sum()


def product(laws):
    out, first = np.ones(1), 0
    for law in laws:
        nz = np.nonzero(law)[0]
        out = np.convolve(out, law[nz[0]:nz[-1] + 1])
        first += nz[0]
    return out, first


def solve(seats, needed, sd, blocs, panels):
    fixed, fixed_first = product(bloc_law(b, 1.0) for b in blocs if not (b["moved"] and sd > 0))
    moved = [b for b in blocs if b["moved"] and sd > 0]
    group = [b for b in moved if b["tilts"]]
    rest = [b for b in moved if not b["tilts"]]
    law0, _ = product(bloc_law(b, 1.0) for b in group)
    k0 = np.arange(law0.size)
    variance = max(float(law0 @ k0**2 - (law0 @ k0) ** 2), 1e-300)
    spacing = min(17.0, 2 * 9.5 / (max(sd, 1e-300) * math.sqrt(variance)))
    anchors = {}
    mixture = np.zeros(sum(b["unnamed"] + len(b["states"][0][2]) for b in moved) + 1)
    for z, w in zip(*normal_rule(panels)):
        j = int((z + 8.5) // spacing)
        if j not in anchors:
            centre = -8.5 + (j + 0.5) * spacing
            law, first = product(bloc_law(b, math.exp(sd * centre)) for b in group)
            with np.errstate(divide="ignore"):
                anchors[j] = (np.log(law), first, centre)
        log_law, first, centre = anchors[j]
        t = log_law + sd * (z - centre) * np.arange(log_law.size)
        law = np.exp(t - t.max())
        law /= law.sum()
        e = math.exp(sd * z)
        for b in rest:
            law = np.convolve(law, bloc_law(b, e))
        mixture[first:first + law.size] += w * law
    yes = np.convolve(fixed, mixture)
    return float(yes[max(needed - fixed_first, 0):].sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--panels", type=int, default=128, help="quadrature panels (8 nodes each)")
    args = parser.parse_args()
    chamber = load(args.scenario)
    started = time.perf_counter()
    p = solve(*chamber, args.panels)
    seconds = time.perf_counter() - started
    print(f"scenario={args.scenario} panels={args.panels} p_pass={p:.15f} seconds={seconds:.3f} "
          f"(numpy {np.__version__}, one core)")


if __name__ == "__main__":
    main()
