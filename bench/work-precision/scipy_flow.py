#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SciPy solve_ivp side of the work-precision benchmark (issue 13).

Gradient flow dw/dt = -grad L(w), square loss L = 1/2 sum_i (H(x_i) - y_i)^2, numpy right-hand side, on the
problems of make_problem.py (parameter layout as in `np`):
  two-layer    H(x) = sum_j v_j relu(w_j . x)^2: W (m x d, row-major), then v (m)
  three-layer  H(x) = W3 relu(W2 relu(W1 x)^2)^2: W1 (k1 x d), W2 (k2 x k1), W3 (1 x k2), each row-major

  scipy_flow.py check DIR                     loss and |grad| at w0 and at a random w (written to w_random.csv)
                                              for comparison with `np eval`, and finite-difference checks
  scipy_flow.py run DIR T REF METHOD RTOL     one solve_ivp run (atol: env ATOL, default 1e-14); prints one CSV line
                                              method,rtol,error,wall_s,nfev,njev,status

Radau and LSODA get the exact Jacobian -Hess L(w) on the two-layer problem (Gauss-Newton part plus the
residual-weighted second derivatives of H, block-diagonal over neurons); on the three-layer problem they use
SciPy's own finite-difference Jacobian (what a user without a Hessian gets). wall_s is solve_ivp alone
(perf_counter; no interpreter start or imports). A run stops once it takes longer than WP_CAP seconds (env,
default 60). BLAS threads are set by the caller (OPENBLAS_NUM_THREADS).
"""
import os
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp


def load(dirname):
    data = np.loadtxt(f"{dirname}/data.csv", delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def load_weights(path):
    return np.array([float(l.split()[0]) for l in open(path) if l.strip() and not l.startswith("#")])


def widths_of(dirname):
    words = open(f"{dirname}/problem.txt").read().split()
    return [int(k) for k in words[words.index("--widths") + 1].split(",")]


class TwoLayer:
    def __init__(self, x, y, m):
        self.x, self.y, self.m = x, y, m
        self.n, self.d = x.shape

    def split(self, w):
        return w[: self.m * self.d].reshape(self.m, self.d), w[self.m * self.d:]

    def loss_grad(self, w):
        W, v = self.split(w)
        rz = np.maximum(self.x @ W.T, 0.0)     # n x m
        r = (rz * rz) @ v - self.y             # residuals H - y
        gv = (rz * rz).T @ r
        gW = ((2.0 * rz) * r[:, None] * v[None, :]).T @ self.x
        return 0.5 * r @ r, np.concatenate([gW.ravel(), gv])

    def hess(self, w):
        W, v = self.split(w)
        n, d, m = self.n, self.d, self.m
        z = self.x @ W.T
        rz = np.maximum(z, 0.0)
        r = (rz * rz) @ v - self.y
        # Jacobian of H: dH_i/dW_jk = v_j 2 relu(z_ij) x_ik, dH_i/dv_j = relu(z_ij)^2
        J = np.empty((n, m * d + m))
        J[:, : m * d] = ((2.0 * rz * v[None, :])[:, :, None] * self.x[:, None, :]).reshape(n, m * d)
        J[:, m * d:] = rz * rz
        Hs = J.T @ J
        # sum_i r_i Hess H_i: W_j W_j block v_j 2[z>0] x x^T, W_j v_j block 2 relu(z) x
        c = r[:, None] * 2.0 * (z > 0)
        Bww = np.einsum("ij,ik,il->jkl", c * v[None, :], self.x, self.x)
        Bwv = (2.0 * rz * r[:, None]).T @ self.x
        for j in range(m):
            s = slice(j * d, (j + 1) * d)
            Hs[s, s] += Bww[j]
            Hs[s, m * d + j] += Bwv[j]
            Hs[m * d + j, s] += Bwv[j]
        return Hs


class ThreeLayer:
    def __init__(self, x, y, k1, k2):
        self.x, self.y, self.k1, self.k2 = x, y, k1, k2
        self.n, self.d = x.shape
        self.hess = None

    def split(self, w):
        a = self.k1 * self.d
        b = a + self.k2 * self.k1
        return w[:a].reshape(self.k1, self.d), w[a:b].reshape(self.k2, self.k1), w[b:]

    def loss_grad(self, w):
        W1, W2, W3 = self.split(w)
        r1 = np.maximum(self.x @ W1.T, 0.0)    # n x k1
        a1 = r1 * r1
        r2 = np.maximum(a1 @ W2.T, 0.0)        # n x k2
        a2 = r2 * r2
        r = a2 @ W3 - self.y
        g3 = a2.T @ r
        dz2 = 2.0 * r2 * (r[:, None] * W3[None, :])
        g2 = dz2.T @ a1
        dz1 = 2.0 * r1 * (dz2 @ W2)
        g1 = dz1.T @ self.x
        return 0.5 * r @ r, np.concatenate([g1.ravel(), g2.ravel(), g3])


def problem(dirname):
    x, y = load(dirname)
    widths = widths_of(dirname)
    return TwoLayer(x, y, widths[0]) if len(widths) == 1 else ThreeLayer(x, y, *widths)


def check(dirname):
    p = problem(dirname)
    rng = np.random.default_rng(7)
    w0 = load_weights(f"{dirname}/w0.csv")
    wr = 0.3 * rng.standard_normal(w0.size)
    np.savetxt(f"{dirname}/w_random.csv", wr, fmt="%.17g")
    for name, w in [("w0", w0), ("w_random", wr)]:
        L, g = p.loss_grad(w)
        t = rng.standard_normal(w.size)
        h = 1e-6 * np.linalg.norm(w)
        fd = (p.loss_grad(w + h * t)[0] - p.loss_grad(w - h * t)[0]) / (2 * h)
        line = (f"{name}: loss = {L!r}, |grad| = {np.linalg.norm(g)!r}; <g,t> = {g @ t:.12e} vs central FD "
                f"{fd:.12e}")
        if p.hess is not None:
            fdh = (p.loss_grad(w + h * t)[1] - p.loss_grad(w - h * t)[1]) / (2 * h)
            Ht = p.hess(w) @ t
            line += f"; |Ht - FD(grad)| / |Ht| = {np.linalg.norm(Ht - fdh) / np.linalg.norm(Ht):.1e}"
        print(line)


class TooSlow(Exception):
    pass


def run(dirname, T, ref_path, method, rtol):
    cap = float(os.environ.get("WP_CAP", "60"))
    p = problem(dirname)
    w0 = load_weights(f"{dirname}/w0.csv")
    wref = load_weights(ref_path)
    counts = {"nfev": 0, "njev": 0}
    start = time.perf_counter()

    def fun(t, w):
        if time.perf_counter() - start > cap:
            raise TooSlow()
        counts["nfev"] += 1
        return -p.loss_grad(w)[1]

    def jac(t, w):
        counts["njev"] += 1
        return -p.hess(w)

    kw = dict(jac=jac) if method in ("Radau", "LSODA") and p.hess is not None else {}
    try:
        sol = solve_ivp(fun, (0.0, T), w0, method=method, rtol=rtol, atol=float(os.environ.get("ATOL", "1e-14")), **kw)
        wall = time.perf_counter() - start
        err = np.max(np.abs(sol.y[:, -1] - wref)) / np.max(np.abs(wref)) if sol.success else float("nan")
        status = "ok" if sol.success else "failed:" + sol.message.replace(",", ";")
    except TooSlow:
        wall, err, status = time.perf_counter() - start, float("nan"), f"over_{cap:g}s"
    print(f"{method},{rtol:g},{err:.6e},{wall:.4f},{counts['nfev']},{counts['njev']},{status}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        run(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6]))
