#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Paper-size gradient-flow problems for the work-precision benchmark (issue 13).

Writes to OUT (created):
  data.csv   n = 200 samples, x ~ N(0, I_d), d = 10, header x1..xd,y;
             y = relu(x1)^2 - relu(x2)^2 (teacher labels).
  w0.csv     w(0) = delta * w / ||w|| with w ~ N(0, I) (np's `--init-direction sphere`: ||w(0)|| = delta),
             in np's weights-file layout, round-trip precision:
               two-layer    H(x) = sum_j v_j relu(w_j . x)^2, m = 50 (P = 550): W (m x d, row-major), then v;
               three-layer  H(x) = W3 relu(W2 relu(W1 x)^2)^2, widths (30, 8) (P = 548; homogeneous of degree
                            L = 1 + 2 + 4 = 7 in the weights: long plateaus): W1 (30 x d), W2 (8 x 30), W3 (1 x 8),
                            each row-major.
  problem.txt  the np problem options for this network (one line).

Usage: make_problem.py OUT [--network two-layer|three-layer] [--seed S] [--delta D]
"""
import argparse
import os

import numpy as np

N, D = 200, 10
NETWORKS = {
    "two-layer": ([50], "--net two-layer --widths 50 --activation relu-power:2"),
    "three-layer": ([30, 8], "--net ff --widths 30,8 --activation relu-power:2"),
}


def parameter_count(widths):
    if len(widths) == 1:
        return widths[0] * D + widths[0]
    sizes = [D] + widths + [1]
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--network", choices=sorted(NETWORKS), default="two-layer")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--delta", type=float, default=1e-3)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    widths, options = NETWORKS[args.network]

    rng = np.random.default_rng(args.seed)
    x = rng.standard_normal((N, D))
    y = np.maximum(x[:, 0], 0) ** 2 - np.maximum(x[:, 1], 0) ** 2
    with open(os.path.join(args.out, "data.csv"), "w") as f:
        f.write(",".join([f"x{i + 1}" for i in range(D)] + ["y"]) + "\n")
        for xi, yi in zip(x, y):
            f.write(",".join(repr(float(v)) for v in list(xi) + [yi]) + "\n")

    w = rng.standard_normal(parameter_count(widths))
    w0 = args.delta * w / np.linalg.norm(w)
    with open(os.path.join(args.out, "w0.csv"), "w") as f:
        f.write(f"# {args.network} widths {widths}, d = {D}; delta = {args.delta} on the unit sphere, "
                f"seed = {args.seed}\n")
        for v in w0:
            f.write(repr(float(v)) + "\n")
    with open(os.path.join(args.out, "problem.txt"), "w") as f:
        f.write(options + "\n")


if __name__ == "__main__":
    main()
