#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Collect np runs (OUT/runs/*/run.json, weights.csv) and SciPy runs (OUT/scipy.csv) into
OUT/results.csv and plot OUT/work-precision.png (error against wall time, log-log).

Error = ||w(T) - w_ref(T)||_inf / ||w_ref(T)||_inf, w_ref from OUT/ref (dop853, double-double,
rtol 1e-20); the double-double weights are read to double (float() rounds correctly).
"""
import csv
import glob
import json
import os
import sys

import numpy as np


def weights(path):
    return np.array([float(l.split()[0]) for l in open(path) if l.strip() and not l.startswith("#")])


def main(out):
    wref = weights(f"{out}/ref/weights.csv")
    scale = np.max(np.abs(wref))
    rows = []
    for rj in sorted(glob.glob(f"{out}/runs/*/run.json")):
        d = os.path.dirname(rj)
        method, prec, rtol = os.path.basename(d).rsplit("-", 2)[0], None, None
        name = os.path.basename(d)
        method = name.split("-")[0]
        prec = "double-double" if "double-double" in name else "double"
        rtol = name.rsplit("-", 2)[-2] + "-" + name.rsplit("-", 1)[-1]
        r = json.load(open(rj))["result"]
        ok = r["status"] == "completed"
        err = np.max(np.abs(weights(f"{d}/weights.csv") - wref)) / scale if ok else float("nan")
        rows.append(dict(solver=f"np {method}" + (" (dd)" if prec != "double" else ""), rtol=float(rtol),
                         error=err, wall_s=r["wall_time_seconds"], nfev=r["statistics"]["evaluations"],
                         status=r["status"]))
    if os.path.exists(f"{out}/scipy.csv"):
        for s in csv.DictReader(open(f"{out}/scipy.csv")):
            rows.append(dict(solver=f"scipy {s['solver']}", rtol=float(s["rtol"]),
                             error=float(s["error"]) if s["error"] else float("nan"),
                             wall_s=float(s["wall_s"]), nfev=int(s["nfev"]), status=s["status"]))
    rows.sort(key=lambda r: (r["solver"], -r["rtol"]))
    with open(f"{out}/results.csv", "w") as f:
        f.write("solver,rtol,error,wall_s,nfev,evals_per_s,status\n")
        for r in rows:
            f.write(f"{r['solver']},{r['rtol']:g},{r['error']:.3e},{r['wall_s']:.4g},{r['nfev']},"
                    f"{r['nfev'] / r['wall_s']:.3g},{r['status']}\n")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 6))
    for solver in dict.fromkeys(r["solver"] for r in rows):
        pts = [(r["wall_s"], r["error"]) for r in rows if r["solver"] == solver and np.isfinite(r["error"])]
        if pts:
            t, e = zip(*pts)
            ax.loglog(t, np.maximum(e, 1e-17), "o-" if solver.startswith("np") else "s--", label=solver)
    ax.set_xlabel("wall time of the integration [s]")
    ax.set_ylabel("‖w(T) − w_ref(T)‖∞ / ‖w_ref(T)‖∞")
    ax.set_title("Work-precision: two-layer ReLU² (n=200, d=10, m=50), rtol 1e-4…1e-13")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(f"{out}/work-precision.png", dpi=120)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/np-work-precision")
