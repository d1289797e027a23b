#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Work-precision benchmark of `np flow` against SciPy's solve_ivp on OpenBLAS, in one run (issue 13).

For each problem of make_problem.py: a double-double reference, `np flow` with every adaptive method, SciPy's RK45,
DOP853, Radau and LSODA with one and with two OpenBLAS threads (the faster quoted), each at rtol 1e-6 ... 1e-13,
atol 1e-14 (env ATOL; with atol 0 the relative control of the weights that decay to 0 in the stiff tail holds
dp5 at rtol 1e-7 for over 120 s); the error ||w(T) - w_ref(T)||_inf / ||w_ref(T)||_inf; np's time is the whole process (start, parse,
integration, writing run.json, CSVs and PNGs), SciPy's is solve_ivp alone. Then, per problem, the ratio of the best
SciPy time to the best np time at equal error (each of those runs then timed twice more, np and SciPy alternating, for
a ratio of medians of three), np's fixed cost (a run of t-end 1e-9), and the double-double/double cost of np dp5 at
rtol 1e-8 on [0, DD_T_END] (medians of three runs).

Writes OUT/<problem>/{results.csv, check.txt, ...}, OUT/work-precision.png and OUT/work-precision.md.

Usage: benchmark.py OUT NP_BINARY. Environment (defaults in brackets):
  PROBLEMS ["two-layer three-layer"], RTOLS ["6 7 8 9 10 11 12 13"] (exponents),
  NP_METHODS ["dp5 dop853 lie2 rodas4 radau5 auto"], SCIPY_METHODS ["RK45 DOP853 Radau LSODA"],
  THREADS ["1 2"], ATOL [1e-14], CAP [60] seconds per run (a method's finer rtols are skipped after one over CAP),
  DD_T_END [40], REF_RTOL [1e-15] of the reference (dop853 in double-double; reused when OUT/<problem>/ref/weights.csv exists).
"""
import csv
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
# problem -> (make_problem.py options, t-end); the double-double/double ratio is measured on the first (issue 13's
# work-precision problem): the three-layer flow is still on its plateau at t = 40
PROBLEMS = {"two-layer": (["--network", "two-layer", "--delta", "1e-3"], 150.0),
            "three-layer": (["--network", "three-layer", "--delta", "0.5"], 145.0)}
DD_PROBLEM = "two-layer"
ERROR_LEVELS = [1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12]


def env_list(name, default):
    return os.environ.get(name, default).split()


def weights(path):
    return np.array([float(l.split()[0]) for l in open(path) if l.strip() and not l.startswith("#")])


def np_flow(np_bin, pdir, t_end, method, rtol, precision, out, cap):
    """Runs `np flow` as a new process; returns (wall seconds of the whole process, run.json result or None)."""
    options = open(f"{pdir}/problem.txt").read().split()
    cmd = [np_bin, "flow", "--data", "data.csv", *options, "--init", "w0.csv", "--t-end", repr(t_end),
           "--method", method, "--rtol", repr(rtol), "--atol", os.environ.get("ATOL", "1e-14"), "--precision", precision,
           "--max-steps", "100000000", "--times", "linear:17", "--observe", "loss,norm", "--out", out]
    start = time.perf_counter()
    try:
        subprocess.run(cmd, cwd=pdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=cap)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, None
    wall = time.perf_counter() - start
    record = os.path.join(pdir, out, "run.json")
    return wall, (json.load(open(record))["result"] if os.path.exists(record) else None)


def scipy_flow(pdir, t_end, method, rtol, threads, cap):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env.update(OPENBLAS_NUM_THREADS=str(threads), WP_CAP=str(cap))
    line = subprocess.run([sys.executable, f"{HERE}/scipy_flow.py", "run", pdir, repr(t_end), f"{pdir}/ref/weights.csv",
                           method, repr(rtol)], env=env, capture_output=True, text=True, timeout=cap + 60).stdout
    m, r, err, wall, nfev, njev, status = line.strip().split(",", 6)
    return dict(error=float(err), wall_s=float(wall), nfev=int(nfev), njev=int(njev), status=status)


def run_problem(out, np_bin, name):
    make_options, t_end = PROBLEMS[name]
    pdir = os.path.join(out, name)
    cap = float(os.environ.get("CAP", "60"))
    rtols = [10.0 ** -int(k) for k in env_list("RTOLS", "6 7 8 9 10 11 12 13")]
    subprocess.run([sys.executable, f"{HERE}/make_problem.py", pdir, *make_options], check=True)
    check = subprocess.run([sys.executable, f"{HERE}/scipy_flow.py", "check", pdir], capture_output=True, text=True).stdout
    options = open(f"{pdir}/problem.txt").read().split()
    check += subprocess.run([np_bin, "eval", "--data", "data.csv", *options, "--weights", "w_random.csv"], cwd=pdir,
                            capture_output=True, text=True).stdout
    open(f"{pdir}/check.txt", "w").write(check)
    print(check, flush=True)

    if not os.path.exists(f"{pdir}/ref/weights.csv"):
        wall, result = np_flow(np_bin, pdir, t_end, "dop853", float(os.environ.get("REF_RTOL", "1e-15")),
                               "double-double", "ref", 10 ** 6)
        print(f"{name}: reference in {wall:.1f} s: {result and result['status']}", flush=True)
    wref = weights(f"{pdir}/ref/weights.csv")
    scale = np.max(np.abs(wref))
    rows = []

    def np_row(method, rtol):
        label = f"np {method}"
        wall, result = np_flow(np_bin, pdir, t_end, method, rtol, "double", f"runs/{method}-{rtol:g}", cap)
        ok = result is not None and result["status"] == "completed"
        err = np.max(np.abs(weights(f"{pdir}/runs/{method}-{rtol:g}/weights.csv") - wref)) / scale \
            if ok else float("nan")
        row = dict(problem=name, solver=label, threads="", rtol=rtol, error=err, wall_s=wall,
                   nfev=result["statistics"]["evaluations"] if result else "",
                   status=result["status"] if result else f"over_{cap:g}s")
        rows.append(row)
        print(f"{name} {label} rtol {rtol:g}: error {err:.3e}, {wall:.3f} s, {row['status']}", flush=True)
        return ok

    # One untimed run of each method (and of the double-double flow) to t-end 1e-9 first: np keeps a startup profile per
    # method and precision (README, "The np command line"), so every timed run finds its profile, as on a machine where
    # np has run before, whatever the order of the methods below.
    methods = env_list("NP_METHODS", "dp5 dop853 lie2 rodas4 radau5 auto")
    for method, precision in [(m, "double") for m in methods] + [("dp5", "double-double")]:
        np_flow(np_bin, pdir, 1e-9, method, 1e-6, precision, f"runs/warm-up-{method}-{precision}", cap)
    for method in methods:
        for rtol in rtols:
            if not np_row(method, rtol):
                break
    # np's fixed cost, and double-double against double (dp5, rtol 1e-8) on [0, DD_T_END]: the whole horizon takes
    # minutes in double-double. Three runs each, alternating; the median is kept.
    dd_t = float(os.environ.get("DD_T_END", "40"))
    kinds = [("np fixed cost", 1e-9, "double", "t-end 1e-9")]
    if name == DD_PROBLEM:
        kinds += [("np dp5 double", dd_t, "double", f"rtol 1e-8, t-end {dd_t:g}"),
                  ("np dp5 double-double", dd_t, "double-double", f"rtol 1e-8, t-end {dd_t:g}")]
    walls = {label: [] for label, *_ in kinds}
    for k in range(3):
        for label, t, precision, _ in kinds:
            wall, result = np_flow(np_bin, pdir, t, "dp5", 1e-8, precision, f"runs/{label.replace(' ', '-')}-{k}",
                                   10 ** 4)
            if result is None or result["status"] != "completed":
                sys.exit(f"{name}: {label} did not complete ({result and result['status']})")
            walls[label].append(wall)
    for label, _, _, status in kinds:
        rows.append(dict(problem=name, solver=label, threads="", rtol="", error="", wall_s=float(np.median(walls[label])),
                         nfev="", status=status + ", median of 3"))

    for method in env_list("SCIPY_METHODS", "RK45 DOP853 Radau LSODA"):
        for threads in env_list("THREADS", "1 2"):
            for rtol in rtols:
                r = scipy_flow(pdir, t_end, method, rtol, threads, cap)
                rows.append(dict(problem=name, solver=f"scipy {method}", threads=threads, rtol=rtol, **r))
                print(f"{name} scipy {method} ({threads} thr) rtol {rtol:g}: error {r['error']:.3e}, "
                      f"{r['wall_s']:.3f} s, {r['status']}", flush=True)
                if r["status"] != "ok":
                    break
    retime(np_bin, pdir, t_end, cap, rows)
    with open(f"{pdir}/results.csv", "w") as f:
        w = csv.DictWriter(f, fieldnames=["problem", "solver", "threads", "rtol", "error", "wall_s", "nfev", "njev",
                                          "status", "walls_s"], extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return rows


def retime(np_bin, pdir, t_end, cap, rows):
    """Times the runs that are fastest at some error level (np's and SciPy's) twice more, alternating np and SciPy, so
    that each ratio at equal error can also be read from medians of three runs: one timing per run is at the mercy of
    this machine's load, and the fastest of many single timings favours the family with more candidates near a level."""
    chosen = []
    for level in ERROR_LEVELS:
        for prefix in ("np ", "scipy "):
            r = best(rows, prefix, level)
            if r is not None and all(r is not c for c in chosen):
                chosen.append(r)
    for r in chosen:
        r["walls"] = [r["wall_s"]]
    for k in range(2):
        for r in chosen:
            if r["solver"].startswith("np "):
                method = r["solver"][3:]
                wall, _ = np_flow(np_bin, pdir, t_end, method, r["rtol"], "double", f"runs/{method}-{r['rtol']:g}-{k}",
                                  cap)
            else:
                wall = scipy_flow(pdir, t_end, r["solver"][6:], r["rtol"], r["threads"], cap)["wall_s"]
            r["walls"].append(wall)
    for r in chosen:
        r["walls_s"] = " ".join(f"{w:.3f}" for w in r["walls"])
        print(f"re-timed {describe(r)}: {r['walls_s']}", flush=True)


def median_wall(r):
    """The median of a re-timed run's three timings (None for a run that was not re-timed)."""
    return float(np.median(r["walls"])) if "walls" in r else None


def best(rows, prefix, level):
    """The fastest run of a solver family that reached an error at most level (SciPy: the faster thread count)."""
    ok = [r for r in rows if r["solver"].startswith(prefix) and isinstance(r["error"], float)
          and np.isfinite(r["error"]) and r["error"] <= level]
    return min(ok, key=lambda r: r["wall_s"]) if ok else None


def describe(r):
    threads = f", {r['threads']} thr" if r["threads"] else ""
    return f"{r['solver']} {r['rtol']:g}{threads}: {r['wall_s']:.3g} s"


def summary(all_rows):
    lines = [f"Machine load at the end (`uptime`): {os.popen('uptime').read().strip()}", ""]
    for name, rows in all_rows.items():
        lines += [f"## {name} (t-end {PROBLEMS[name][1]:g})", "",
                  "| error ≤ | best np (whole process) | best SciPy (solve_ivp only) | SciPy / np | medians of 3: np, SciPy,"
                  " SciPy / np |", "|---|---|---|---|---|"]
        for level in ERROR_LEVELS:
            a, b = best(rows, "np ", level), best(rows, "scipy ", level)
            ratio = f"{b['wall_s'] / a['wall_s']:.2f}×" if a and b else "—"
            medians = "—"
            if a and b and median_wall(a) and median_wall(b):
                ma, mb = median_wall(a), median_wall(b)
                medians = f"{ma:.3g} s, {mb:.3g} s, {mb / ma:.2f}×"
            lines.append(f"| {level:g} | {describe(a) if a else '—'} | {describe(b) if b else '—'} | {ratio} | "
                         f"{medians} |")
        wall = {r["solver"]: r["wall_s"] for r in rows if r["rtol"] == ""}
        fixed = wall["np fixed cost"]
        lines += ["", f"np fixed cost (process start, parse, t-end 1e-9, outputs; median of 3): {fixed:.3f} s."]
        if name == DD_PROBLEM:
            dd, dbl = wall["np dp5 double-double"], wall["np dp5 double"]
            lines += [f"np dp5 rtol 1e-8 on [0, {os.environ.get('DD_T_END', '40')}], double-double / double (medians of "
                      f"3 whole processes less the fixed cost): ({dd:.3f} − {fixed:.3f}) / ({dbl:.3f} − {fixed:.3f}) = "
                      f"{(dd - fixed) / (dbl - fixed):.2f}×."]
        lines += ["", "| solver | threads | rtol | error | time [s] | RHS evals | status |", "|---|---|---|---|---|---|---|"]
        for r in rows:
            err = f"{r['error']:.2e}" if isinstance(r["error"], float) else ""
            rtol = f"{r['rtol']:g}" if r["rtol"] != "" else ""
            lines.append(f"| {r['solver']} | {r['threads']} | {rtol} | {err} | {r['wall_s']:.3f} | {r['nfev']} | "
                         f"{r['status']} |")
        lines.append("")
    return "\n".join(lines)


def plot(all_rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(all_rows), figsize=(8 * len(all_rows), 6), squeeze=False)
    for ax, (name, rows) in zip(axes[0], all_rows.items()):
        for key in dict.fromkeys((r["solver"], r["threads"]) for r in rows if r["rtol"] != ""):
            pts = [(r["wall_s"], r["error"]) for r in rows if (r["solver"], r["threads"]) == key
                   and isinstance(r["error"], float) and np.isfinite(r["error"])]
            if pts:
                t, e = zip(*pts)
                label = key[0] + (f" ({key[1]} thr)" if key[1] else "")
                ax.loglog(t, np.maximum(e, 1e-17), "o-" if key[0].startswith("np") else "s--", label=label)
        ax.set_xlabel("wall time [s] (np: whole process; SciPy: solve_ivp)")
        ax.set_ylabel("‖w(T) − w_ref(T)‖∞ / ‖w_ref(T)‖∞")
        ax.set_title(f"{name} ReLU², n = 200, d = 10, t ∈ [0, {PROBLEMS[name][1]:g}]")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(out, np_bin):
    all_rows = {name: run_problem(out, np_bin, name) for name in env_list("PROBLEMS", "two-layer three-layer")}
    text = summary(all_rows)
    open(f"{out}/work-precision.md", "w").write(text + "\n")
    plot(all_rows, f"{out}/work-precision.png")
    print(text)


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]))
