#!/usr/bin/env python3
"""ArviZ reference values for hazel's PSIS-LOO.

Usage:
  python loo_check.py make OUTDIR          write the seeded fixtures and ArviZ's values
  python loo_check.py expect FIXTURE.json  print ArviZ's values for a fixture as JSON
  python loo_check.py check FIXTURE.json EXPECTED.json
                                           recompute and compare with a stored file

A fixture is a JSON object {"name", "chains", "log_lik"}, where log_lik[i] holds the
pointwise log-likelihood of observation i over the draws, pooled chain after chain
(chains of equal length). ArviZ is called with reff=1, the fixtures' r_eff convention:
hazel's psis_loo takes r_eff explicitly, and ArviZ's automatic reff comes from the ESS of
the posterior parameters, which a log_lik matrix alone does not carry. The single-model
fixtures are also scored at reff=0.5 (key "reff_0.5"), which lengthens the smoothed
tail. The "compare"
fixture holds two models on the same observations and records az.compare with
pseudo-BMA and stacking weights.

`check` exits 0 when every value matches (relative 1e-6; k-hat absolute 1e-6), 1 with a
line per mismatch otherwise.
"""

import json
import sys
import warnings
from pathlib import Path

import arviz as az
import numpy as np

DRAWS_PER_CHAIN = 200
CHAINS = 4
SIGNIFICANT_DIGITS = 10
RELATIVE_TOLERANCE = 1e-6
KHAT_TOLERANCE = 1e-6
REFF_SMALL = 0.5


def normal_log_lik(y, mu, sigma):
    """log N(y | mu, sigma), draws × observations."""
    z = (y[None, :] - mu[:, None]) / sigma[:, None]
    return -0.5 * z * z - np.log(sigma[:, None]) - 0.5 * np.log(2 * np.pi)


def posterior_draws(rng, y, n_draws):
    """Exact draws of (mu, sigma) under the flat prior p(mu, log sigma) ∝ 1."""
    n = len(y)
    s2 = np.var(y, ddof=1)
    sigma2 = (n - 1) * s2 / rng.chisquare(n - 1, size=n_draws)
    sigma = np.sqrt(sigma2)
    mu = rng.normal(np.mean(y), sigma / np.sqrt(n))
    return mu, sigma


def rounded(a):
    return np.array([float(f"{v:.{SIGNIFICANT_DIGITS}g}") for v in a.ravel()]).reshape(a.shape)


def fixture(name, y, mu, sigma):
    ll = rounded(normal_log_lik(y, mu, sigma))
    return {"name": name, "chains": CHAINS, "log_lik": ll.T.tolist()}


def make_fixtures():
    s = CHAINS * DRAWS_PER_CHAIN
    rng = np.random.default_rng(20261128)
    well = rng.normal(1.0, 2.0, size=40)
    mu, sigma = posterior_draws(rng, well, s)
    yield fixture("well_behaved", well, mu, sigma)

    # A small data set with gross outliers: leaving one out moves the posterior far, so
    # its importance ratios are heavy-tailed and k-hat lands in the bad bands.
    outlier = np.concatenate([rng.normal(0.0, 1.0, size=12), [5.0, 9.0, 14.0]])
    mu, sigma = posterior_draws(rng, outlier, s)
    yield fixture("outlier", outlier, mu, sigma)

    # Two models for one data set: a normal with its exact posterior, and one with the
    # scale fixed at 1 (mildly misspecified for data of scale 1.15).
    data = rng.normal(0.5, 1.15, size=30)
    mu_a, sigma_a = posterior_draws(rng, data, s)
    mu_b = rng.normal(np.mean(data), 1.0 / np.sqrt(len(data)), size=s)
    sigma_b = np.ones(s)
    a = fixture("free_scale", data, mu_a, sigma_a)
    b = fixture("unit_scale", data, mu_b, sigma_b)
    yield {"name": "compare", "models": [a, b]}


def inference_data(fix):
    ll = np.array(fix["log_lik"]).T  # draws × observations
    ll = ll.reshape(fix["chains"], -1, ll.shape[1])
    return az.from_dict(log_likelihood={"y": ll}, posterior={"dummy": np.zeros(ll.shape[:2])})


def loo_values(fix, reff=1.0):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = az.loo(inference_data(fix), pointwise=True, reff=reff)
    return {
        "elpd_loo": float(res["elpd_loo"]),
        "se": float(res["se"]),
        "p_loo": float(res["p_loo"]),
        "good_k": float(res["good_k"]),
        "warning": bool(res["warning"]),
        "loo_i": [float(v) for v in res["loo_i"].values],
        "pareto_k": [float(v) for v in res["pareto_k"].values],
    }


def compare_values(fix):
    out = {"models": {m["name"]: loo_values(m) for m in fix["models"]}}
    idatas = {m["name"]: inference_data(m) for m in fix["models"]}
    for method in ("pseudo-BMA", "stacking"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # az.compare computes loo with automatic reff; pass ELPDData computed at reff=1.
            elpds = {k: az.loo(v, pointwise=True, reff=1.0) for k, v in idatas.items()}
            table = az.compare(elpds, method=method)
        out[method] = [
            {
                "name": str(name),
                "rank": int(row["rank"]),
                "elpd_loo": float(row["elpd_loo"]),
                "elpd_diff": float(row["elpd_diff"]),
                "dse": float(row["dse"]),
                "weight": float(row["weight"]),
            }
            for name, row in table.iterrows()
        ]
    return out


def expected(fix):
    if "models" in fix:
        return compare_values(fix)
    out = loo_values(fix)
    # A smaller relative efficiency lengthens the smoothed tail (3·sqrt(S / reff) draws).
    out[f"reff_{REFF_SMALL}"] = loo_values(fix, REFF_SMALL)
    return out


def mismatches(path, got, want):
    if isinstance(want, dict):
        for k, v in want.items():
            yield from mismatches(f"{path}.{k}", got[k], v)
    elif isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want)):
            yield from mismatches(f"{path}[{i}]", g, w)
    elif isinstance(want, float):
        tol = KHAT_TOLERANCE if "pareto_k" in path else RELATIVE_TOLERANCE * max(1.0, abs(want))
        if not abs(got - want) <= tol:
            yield f"{path}: got {got!r}, expected {want!r}"
    elif got != want:
        yield f"{path}: got {got!r}, expected {want!r}"


def main(argv):
    if len(argv) == 3 and argv[1] == "make":
        out = Path(argv[2])
        out.mkdir(parents=True, exist_ok=True)
        for fix in make_fixtures():
            (out / f"{fix['name']}.json").write_text(json.dumps(fix) + "\n")
            (out / f"{fix['name']}.expected.json").write_text(
                json.dumps(expected(fix), indent=1) + "\n")
        return 0
    if len(argv) == 3 and argv[1] == "expect":
        print(json.dumps(expected(json.loads(Path(argv[2]).read_text())), indent=1))
        return 0
    if len(argv) == 4 and argv[1] == "check":
        got = expected(json.loads(Path(argv[2]).read_text()))
        want = json.loads(Path(argv[3]).read_text())
        bad = list(mismatches("", got, want))
        for line in bad:
            print(line)
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
