#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""SciPy solve_ivp side of the work-precision diagram (issue 4, item 7).

Gradient flow dw/dt = -grad L(w) for the two-layer ReLU^2 network
H(x) = sum_j v_j relu(w_j . x)^2 with square loss L = 1/2 sum_i (H(x_i) - y_i)^2,
parameter layout W (m x d, row-major) then v (m), as in `np`.

  scipy_flow.py check DIR            gradient/Hessian checks (finite differences), prints loss and
                                     |grad| at w0 and a random w for comparison with `np eval`
  scipy_flow.py run DIR T REF OUT    solve_ivp (RK45, DOP853, Radau, LSODA) for rtol 1e-4..1e-13,
                                     atol 0; writes OUT (CSV: solver,rtol,error,wall_s,nfev,njev,status)

Radau and LSODA get the exact Jacobian -Hess L(w) (Gauss-Newton part plus the residual-weighted
second derivatives of H; block-diagonal over neurons). A run is aborted once it takes > CAP seconds
(env WP_CAP, default 60) and the finer tolerances of that solver are then skipped.
"""
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

M = 50


def load(dirname):
    data = np.loadtxt(f"{dirname}/data.csv", delimiter=",", skiprows=1)
    return data[:, :-1], data[:, -1]


def load_weights(path):
    return np.array([float(l) for l in open(path) if l.strip() and not l.startswith("#")])


class Problem:
    def __init__(self, x, y, m=M):
        self.x, self.y, self.m = x, y, m
        self.n, self.d = x.shape
        self.nfev = 0
        self.njev = 0

    def split(self, w):
        return w[: self.m * self.d].reshape(self.m, self.d), w[self.m * self.d:]

    def loss_grad(self, w):
        W, v = self.split(w)
        z = self.x @ W.T                      # n x m pre-activations
        rz = np.maximum(z, 0.0)
        r = (rz * rz) @ v - self.y            # residuals H - y
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
        c = r[:, None] * 2.0 * (z > 0)                                  # n x m
        Bww = np.einsum("ij,ik,il->jkl", c * v[None, :], self.x, self.x)  # m x d x d
        Bwv = (2.0 * rz * r[:, None]).T @ self.x                         # m x d
        for j in range(m):
            s = slice(j * d, (j + 1) * d)
            Hs[s, s] += Bww[j]
            Hs[s, m * d + j] += Bwv[j]
            Hs[m * d + j, s] += Bwv[j]
        return Hs

    def rhs(self, t, w):
        self.nfev += 1
        return -self.loss_grad(w)[1]

    def jac(self, t, w):
        self.njev += 1
        return -self.hess(w)


def check(dirname):
    x, y = load(dirname)
    p = Problem(x, y)
    rng = np.random.default_rng(7)
    w0 = load_weights(f"{dirname}/w0.csv")
    wr = 0.3 * rng.standard_normal(w0.size)
    np.savetxt(f"{dirname}/w_random.csv", wr, fmt="%.17g")
    for name, w in [("w0", w0), ("w_random", wr)]:
        L, g = p.loss_grad(w)
        t = rng.standard_normal(w.size)
        h = 1e-6 * np.linalg.norm(w)
        fd = (p.loss_grad(w + h * t)[0] - p.loss_grad(w - h * t)[0]) / (2 * h)
        fdh = (p.loss_grad(w + h * t)[1] - p.loss_grad(w - h * t)[1]) / (2 * h)
        Ht = p.hess(w) @ t
        print(f"{name}: loss = {L!r}, |grad| = {np.linalg.norm(g)!r}; "
              f"<g,t> = {g @ t:.12e} vs central FD {fd:.12e} (rel {abs(g @ t - fd) / abs(fd):.1e}); "
              f"|Ht - FD(grad)| / |Ht| = {np.linalg.norm(Ht - fdh) / np.linalg.norm(Ht):.1e}")


class TooSlow(Exception):
    pass


def run(dirname, T, ref_path, out):
    import os
    cap = float(os.environ.get("WP_CAP", "60"))
    x, y = load(dirname)
    w0 = load_weights(f"{dirname}/w0.csv")
    wref = load_weights(ref_path)
    rtols = [10.0 ** -k for k in range(4, 14)]
    with open(out, "w") as f:
        f.write("solver,rtol,error,wall_s,nfev,njev,status\n")
        for method in ["RK45", "DOP853", "Radau", "LSODA"]:
            for rtol in rtols:
                p = Problem(x, y)
                start = time.perf_counter()

                def fun(t, w):
                    if time.perf_counter() - start > cap:
                        raise TooSlow()
                    return p.rhs(t, w)

                kw = dict(jac=p.jac) if method in ("Radau", "LSODA") else {}
                try:
                    sol = solve_ivp(fun, (0.0, T), w0, method=method, rtol=rtol, atol=0.0, **kw)
                except TooSlow:
                    f.write(f"{method},{rtol:g},,{time.perf_counter() - start:.3f},{p.nfev},{p.njev},"
                            f"aborted_over_{cap:g}s\n")
                    f.flush()
                    print(f"{method} rtol {rtol:g}: aborted after {cap:g} s; finer rtols skipped", flush=True)
                    break
                wall = time.perf_counter() - start
                err = np.max(np.abs(sol.y[:, -1] - wref)) / np.max(np.abs(wref)) if sol.success else float("nan")
                status = "ok" if sol.success else "failed:" + sol.message.replace(",", ";")
                f.write(f"{method},{rtol:g},{err:.6e},{wall:.4f},{p.nfev},{p.njev},{status}\n")
                f.flush()
                print(f"{method} rtol {rtol:g}: error {err:.3e}, {wall:.3f} s, nfev {p.nfev}, njev {p.njev}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        run(sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5])
