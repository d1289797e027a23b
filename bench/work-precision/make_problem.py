#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Paper-size gradient-flow problem for the work-precision diagram (issue 4, item 7).

Writes to OUT (created):
  data.csv   n = 200 samples, x ~ N(0, I_d), d = 10, header x1..xd,y;
             y = relu(a·x)^2 - relu(b·x)^2 with fixed unit teacher directions a, b.
  w0.csv     w(0) = delta * N(0, I) for the two-layer net of width m = 50,
             layout W (m x d, row-major) then v (m), round-trip precision.

Usage: make_problem.py OUT [--seed S] [--delta D]
"""
import argparse
import os

import numpy as np

N, D, M = 200, 10, 50


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--delta", type=float, default=1e-4)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)

    rng = np.random.default_rng(args.seed)
    x = rng.standard_normal((N, D))
    a = np.zeros(D); a[0] = 1.0
    b = np.zeros(D); b[1] = 1.0
    y = np.maximum(x @ a, 0) ** 2 - np.maximum(x @ b, 0) ** 2
    with open(os.path.join(args.out, "data.csv"), "w") as f:
        f.write(",".join([f"x{i + 1}" for i in range(D)] + ["y"]) + "\n")
        for xi, yi in zip(x, y):
            f.write(",".join(repr(float(v)) for v in list(xi) + [yi]) + "\n")

    w0 = args.delta * rng.standard_normal(M * D + M)
    with open(os.path.join(args.out, "w0.csv"), "w") as f:
        f.write(f"# two-layer width {M}, d = {D}: W (m x d row-major) then v; "
                f"delta = {args.delta}, seed = {args.seed}\n")
        for v in w0:
            f.write(repr(float(v)) + "\n")


if __name__ == "__main__":
    main()
