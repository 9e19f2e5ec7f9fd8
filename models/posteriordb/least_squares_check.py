#!/usr/bin/env python3
"""Exact-posterior check for the flat-prior linear regressions of the posteriordb suite.

For y = X beta + e, e ~ N(0, sigma^2 I), with a flat prior on beta, the conditional
posterior is beta | sigma, y ~ N(beta_hat, sigma^2 (X'X)^-1), so the posterior mean of
beta is the least-squares estimate beta_hat whatever the prior on sigma.

If the prior on sigma > 0 is flat as well, sigma^2 | y ~ InvGamma(a, S/2) with
a = (n - k - 1)/2 and S the residual sum of squares, which gives exact posterior sds:
sd(beta_j) = sqrt(S / (n - k - 3) * [(X'X)^-1]_jj), E[sigma] = sqrt(S/2) G(a - 1/2)/G(a),
E[sigma^2] = S / (n - k - 3). With a half-Cauchy prior on sigma (kidiq), the
one-dimensional posterior of sigma is integrated by quadrature instead.
sblri-blr and diamonds (normal priors on the coefficients) are done by quadrature over
the few non-Gaussian parameters after integrating the coefficients out analytically.

Each design matrix below is built from the data exactly as the model files in this
folder build it (an independent re-reading of each model.md). The table printed compares
the exact values with the reference summaries: z = |exact - ref| / mcse_ref.

Usage: python3 least_squares_check.py [POSTERIORDB_DIR]   (default ../../../shared/posteriordb
relative to this file, i.e. the shared folder next to the repository).
"""
import json
import math
import os
import sys

import numpy as np


def load(root, posterior):
    with open(os.path.join(root, posterior, "data.json")) as f:
        data = {k: np.asarray(v, dtype=float) for k, v in json.load(f).items()}
    with open(os.path.join(root, posterior, "reference.json")) as f:
        ref = json.load(f)["params"]
    return data, ref


def mesquite_designs(d):
    one = np.ones_like(d["weight"])
    vol = np.log(d["diam1"] * d["diam2"] * d["canopy_height"])
    area = np.log(d["diam1"] * d["diam2"])
    shape = np.log(d["diam1"] / d["diam2"])
    logs = {k: np.log(d[k]) for k in ("diam1", "diam2", "canopy_height", "total_height", "density")}
    return {
        "mesquite-mesquite": (d["weight"], [one, d["diam1"], d["diam2"], d["canopy_height"],
                                            d["total_height"], d["density"], d["group"]]),
        "mesquite-logmesquite": (np.log(d["weight"]), [one, logs["diam1"], logs["diam2"],
                                                       logs["canopy_height"], logs["total_height"],
                                                       logs["density"], d["group"]]),
        "mesquite-logmesquite_logva": (np.log(d["weight"]), [one, vol, area, d["group"]]),
        "mesquite-logmesquite_logvas": (np.log(d["weight"]), [one, vol, area, shape,
                                                              logs["total_height"], logs["density"],
                                                              d["group"]]),
        "mesquite-logmesquite_logvash": (np.log(d["weight"]), [one, vol, area, shape,
                                                               logs["total_height"], d["group"]]),
        "mesquite-logmesquite_logvolume": (np.log(d["weight"]), [one, vol]),
    }


def earnings_designs(d):
    one = np.ones_like(d["earn"])
    h, m = d["height"], d["male"]
    z = (h - h.mean()) / h.std(ddof=1)
    le = np.log(d["earn"])
    return {
        "earnings-earn_height": (d["earn"], [one, h]),
        "earnings-log10earn_height": (np.log10(d["earn"]), [one, h]),
        "earnings-logearn_height": (le, [one, h]),
        "earnings-logearn_height_male": (le, [one, h, m]),
        "earnings-logearn_interaction": (le, [one, h, m, h * m]),
        "earnings-logearn_interaction_z": (le, [one, z, m, z * m]),
        "earnings-logearn_logheight_male": (le, [one, np.log(h), m]),
    }


def kidiq_designs(d):
    one = np.ones_like(d["kid_score"])
    hs, iq = d["mom_hs"], d["mom_iq"]
    return {
        "kidiq-kidscore_momhs": (d["kid_score"], [one, hs]),
        "kidiq-kidscore_momhsiq": (d["kid_score"], [one, hs, iq]),
        "kidiq-kidscore_momiq": (d["kid_score"], [one, iq]),
        "kidiq-kidscore_interaction": (d["kid_score"], [one, hs, iq, hs * iq]),
    }


def kidiq_work_designs(d):
    one = np.ones_like(d["kid_score"])
    hs, iq, w = d["mom_hs"], d["mom_iq"], d["mom_work"]
    chs, ciq = hs - hs.mean(), iq - iq.mean()
    c2hs, c2iq = hs - 0.5, iq - 100
    return {
        "kidiq_with_mom_work-kidscore_interaction_c": (d["kid_score"], [one, chs, ciq, chs * ciq]),
        "kidiq_with_mom_work-kidscore_interaction_c2": (d["kid_score"],
                                                        [one, c2hs, c2iq, c2hs * c2iq]),
        "kidiq_with_mom_work-kidscore_mom_work": (d["kid_score"],
                                                  [one, 1.0 * (w == 2), 1.0 * (w == 3),
                                                   1.0 * (w == 4)]),
    }


def nes_design(d):
    one = np.ones_like(d["partyid7"])
    age = d["age_discrete"]
    return (d["partyid7"], [one, d["real_ideo"], d["race_adj"], 1.0 * (age == 2), 1.0 * (age == 3),
                            1.0 * (age == 4), d["educ1"], d["gender"], d["income"]])


# Posteriors whose sigma prior is half-Cauchy(0, 2.5) instead of flat.
SIGMA_HALF_CAUCHY = {"kidiq-kidscore_momhs", "kidiq-kidscore_momhsiq", "kidiq-kidscore_momiq",
                     "kidiq-kidscore_interaction"}
HALF_CAUCHY_SCALE = 2.5


def exact_posterior(y, cols, half_cauchy_sigma):
    X = np.column_stack(cols)
    n, k = X.shape
    beta_hat, *_ = np.linalg.lstsq(X, y, rcond=None)
    S = float(np.sum((y - X @ beta_hat) ** 2))
    if half_cauchy_sigma:
        # p(sigma | y) ~ sigma^-(n - k) exp(-S / (2 sigma^2)) p(sigma): 1-D quadrature
        # on a grid covering the bulk (sigma_hat +-12 of its approximate sd).
        s_hat = math.sqrt(S / (n - k))
        grid = np.linspace(s_hat * (1 - 12 / math.sqrt(2 * (n - k))),
                           s_hat * (1 + 12 / math.sqrt(2 * (n - k))), 20001)
        log_post = (-(n - k) * np.log(grid) - S / (2 * grid ** 2)
                    - np.log1p((grid / HALF_CAUCHY_SCALE) ** 2))
        w = np.exp(log_post - log_post.max())
        w /= w.sum()
        e_sigma, e_sigma2 = float(w @ grid), float(w @ grid ** 2)
    else:
        a = (n - k - 1) / 2
        e_sigma2 = S / (n - k - 3)
        e_sigma = math.sqrt(S / 2) * math.exp(math.lgamma(a - 0.5) - math.lgamma(a))
    xtx_inv = np.linalg.inv(X.T @ X)
    out = {f"beta[{j + 1}]": {"mean": beta_hat[j], "sd": math.sqrt(e_sigma2 * xtx_inv[j, j])}
           for j in range(k)}
    out["sigma"] = {"mean": e_sigma, "sd": math.sqrt(e_sigma2 - e_sigma ** 2)}
    return out


def blr_exact(root):
    """sblri-blr: beta ~ N(0, 10^2 I), sigma ~ half-N(0, 10), y ~ N(X beta, sigma).

    beta | sigma, y is Gaussian, so the posterior of sigma is one-dimensional after
    integrating beta out analytically; its moments and E[beta] follow by quadrature on
    a fine grid of sigma (the reference puts sigma in [0.75, 1.25] at +-3 sd).
    """
    d, ref = load(root, "sblri-blr")
    X, y = d["X"], d["y"]
    n, k = X.shape
    xtx, xty, yty = X.T @ X, X.T @ y, y @ y
    grid = np.linspace(0.4, 1.8, 4001)
    log_post, cond_means = [], []
    for s in grid:
        prec = xtx / s ** 2 + np.eye(k) / 100.0
        chol = np.linalg.cholesky(prec)
        m = np.linalg.solve(prec, xty / s ** 2)
        log_post.append(-n * math.log(s) - 0.5 * (yty / s ** 2 - m @ prec @ m)
                        - np.log(np.diag(chol)).sum() - 0.5 * s ** 2 / 100.0)
        cond_means.append(m)
    w = np.exp(np.array(log_post) - max(log_post))
    w /= w.sum()
    e_sigma = float(w @ grid)
    out = {f"beta[{j + 1}]": {"mean": float(w @ np.array(cond_means)[:, j])} for j in range(k)}
    out["sigma"] = {"mean": e_sigma, "sd": math.sqrt(float(w @ grid ** 2) - e_sigma ** 2)}
    return out, ref


def log_student_t_kernel(x, nu, mu, scale):
    """Student-t log density up to a constant (the constant cancels in the weights)."""
    z = (x - mu) / scale
    return -(nu + 1) / 2 * np.log1p(z * z / nu)


def diamonds_exact(root):
    """diamonds-diamonds: b ~ N(0, I), Intercept ~ t(3, 8, 10), sigma ~ half-t(3, 0, 10),
    Y ~ N(Intercept + Xc b, sigma) with Xc the mean-centred columns 2..K of X.

    Given sigma, b is Gaussian and (because Xc is centred) independent of Intercept, so
    b integrates out analytically and the posterior of (Intercept, sigma) is done by
    quadrature on a 401 x 401 grid spanning +-8 reference sds.
    """
    d, ref = load(root, "diamonds-diamonds")
    X, y = d["X"], d["Y"]
    n = X.shape[0]
    xc = X[:, 1:] - X[:, 1:].mean(axis=0)
    kc = xc.shape[1]
    xtx, xty = xc.T @ xc, xc.T @ y
    y_bar = y.mean()
    syy = float(((y - y_bar) ** 2).sum())
    s_grid = np.linspace(ref["sigma"]["mean"] - 8 * ref["sigma"]["sd"],
                         ref["sigma"]["mean"] + 8 * ref["sigma"]["sd"], 401)
    a_grid = np.linspace(ref["Intercept"]["mean"] - 8 * ref["Intercept"]["sd"],
                         ref["Intercept"]["mean"] + 8 * ref["Intercept"]["sd"], 401)
    log_post, cond_means, cond_covs = [], [], []
    for s in s_grid:
        prec = xtx / s ** 2 + np.eye(kc)
        chol = np.linalg.cholesky(prec)
        m = np.linalg.solve(prec, xty / s ** 2)
        base = (-n * math.log(s) - 0.5 * (syy / s ** 2 - m @ prec @ m)
                - np.log(np.diag(chol)).sum() + log_student_t_kernel(s, 3, 0, 10))
        log_post.append(base - 0.5 * n * (y_bar - a_grid) ** 2 / s ** 2
                        + log_student_t_kernel(a_grid, 3, 8, 10))
        cond_means.append(m)
        cond_covs.append(np.diag(np.linalg.inv(prec)))
    log_post = np.array(log_post)
    w = np.exp(log_post - log_post.max())
    w /= w.sum()
    w_s, w_a = w.sum(axis=1), w.sum(axis=0)
    cond_means, cond_covs = np.array(cond_means), np.array(cond_covs)
    e_b = w_s @ cond_means
    var_b = w_s @ (cond_covs + cond_means ** 2) - e_b ** 2
    out = {f"b[{j + 1}]": {"mean": e_b[j], "sd": math.sqrt(var_b[j])} for j in range(kc)}
    for name, grid, weights in (("Intercept", a_grid, w_a), ("sigma", s_grid, w_s)):
        mean = float(weights @ grid)
        out[name] = {"mean": mean, "sd": math.sqrt(float(weights @ grid ** 2) - mean ** 2)}
    return out, ref


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "..", "shared",
                                                              "posteriordb")
    if not os.path.isdir(root):
        raise SystemExit(f"posteriordb folder not found at {root}; pass it as the first argument")
    cases = {}
    d, _ = load(root, "mesquite-mesquite")
    cases.update(mesquite_designs(d))
    d, _ = load(root, "earnings-earn_height")
    cases.update(earnings_designs(d))
    d, _ = load(root, "kidiq-kidscore_momhs")
    cases.update(kidiq_designs(d))
    d, _ = load(root, "kidiq_with_mom_work-kidscore_mom_work")
    cases.update(kidiq_work_designs(d))
    for year in (1972, 1976, 1984, 1988, 1992, 1996, 2000):
        d, _ = load(root, f"nes{year}-nes")
        cases[f"nes{year}-nes"] = nes_design(d)

    print("| posterior | quantities | max z (mean) | max z (sd) | worst mean |")
    print("|---|---|---|---|---|")
    worst_overall = 0.0
    for posterior in sorted(cases):
        y, cols = cases[posterior]
        _, ref = load(root, posterior)
        exact = exact_posterior(y, cols, posterior in SIGMA_HALF_CAUCHY)
        missing = set(ref) - set(exact)
        if missing:
            raise SystemExit(f"{posterior}: reference has quantities the design lacks: {missing}")
        zm, zs, worst = 0.0, 0.0, ""
        for name, val in exact.items():
            r = ref[name]
            z = abs(val["mean"] - r["mean"]) / r["mcse_mean"]
            if z > zm:
                zm, worst = z, name
            zs = max(zs, abs(val["sd"] - r["sd"]) / r["mcse_sd"])
        worst_overall = max(worst_overall, zm, zs)
        print(f"| {posterior} | {len(exact)} | {zm:.2f} | {zs:.2f} | {worst} |")
    for label, (exact, ref) in (("sblri-blr (quadrature over sigma)", blr_exact(root)),
                                ("diamonds-diamonds (quadrature over Intercept, sigma)",
                                 diamonds_exact(root))):
        z_mean = {q: abs(v["mean"] - ref[q]["mean"]) / ref[q]["mcse_mean"] for q, v in exact.items()}
        z_sd = [abs(v["sd"] - ref[q]["sd"]) / ref[q]["mcse_sd"] for q, v in exact.items() if "sd" in v]
        worst = max(z_mean, key=z_mean.get)
        worst_overall = max(worst_overall, z_mean[worst], max(z_sd))
        print(f"| {label} | {len(exact)} | {z_mean[worst]:.2f} | {max(z_sd):.2f} | {worst} |")
    print(f"\nlargest z over all checks: {worst_overall:.2f}")
    return 0 if worst_overall <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
