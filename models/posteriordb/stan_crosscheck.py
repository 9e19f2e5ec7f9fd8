#!/usr/bin/env python3
"""Cross-check a model file here against its posteriordb reference with Stan itself.

Development aid, not part of CI: it needs pystan 3 (which brings httpstan and its
bundled stanc3) and a C++ compiler, and compiles the model (about a minute of CPU).
It samples 4 chains with a fixed seed and prints, per reference quantity, the mean and
sd with z = |ours - ref| / sqrt(mcse_ours^2 + mcse_ref^2), the MCSEs of this run being
batch-means estimates (sqrt(draws) batches per chain). It tells whether the .stan file
encodes the posterior of model.md, independently of hazel.

Usage:
    python3 stan_crosscheck.py MODEL.stan POSTERIOR_DIR ['{"delta": 0.99, "max_depth": 20}']
where POSTERIOR_DIR holds data.json and reference.json; the optional JSON holds extra
pystan sample() arguments (delta, max_depth, num_warmup, num_samples).
Run it from a scratch directory (e.g. `cd /tmp`): httpstan leaves a `build/` folder in
the working directory.
"""
import json
import math
import os
import sys
import time

import numpy as np
import stan

SEED = 20261128
CHAINS = 4


def batch_mcse(x):
    """MCSE of the mean of x (chains x draws) by non-overlapping batch means."""
    chains, n = x.shape
    b = max(1, int(math.sqrt(n)))
    means = x[:, : (n // b) * b].reshape(chains, -1, b).mean(axis=2).ravel()
    return means.std(ddof=1) / math.sqrt(means.size)


def draws_of(fit, name):
    """Draws of one reference quantity (`sigma`, `beta[3]`, `a[1,2]`) as chains x draws."""
    if "[" not in name:
        arr = fit[name]
        index = ()
    else:
        base, inner = name[:-1].split("[")
        arr = fit[base]
        index = tuple(int(i) - 1 for i in inner.split(","))
    flat = arr[index] if index else arr.reshape(-1)
    return np.asarray(flat).reshape(CHAINS, -1)


def main():
    model_file, posterior_dir = sys.argv[1], sys.argv[2]
    extra = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    with open(model_file) as f:
        code = f.read()
    with open(os.path.join(posterior_dir, "data.json")) as f:
        data = json.load(f)
    with open(os.path.join(posterior_dir, "reference.json")) as f:
        ref = json.load(f)["params"]
    with open(os.path.join(posterior_dir, "..", "index.json")) as f:
        heavy = set(json.load(f)[os.path.basename(os.path.normpath(posterior_dir))]
                    ["compare_by_quantiles"])
    start = time.time()
    posterior = stan.build(code, data=data, random_seed=SEED)
    print(f"build {time.time() - start:.0f} s", flush=True)
    start = time.time()
    fit = posterior.sample(num_chains=CHAINS, **extra)
    print(f"sample {time.time() - start:.0f} s", flush=True)
    worst = 0.0
    for name, r in ref.items():
        x = draws_of(fit, name)
        mean, sd = float(x.mean()), float(x.std(ddof=1))
        mcse_mean = batch_mcse(x)
        mcse_sd = batch_mcse((x - mean) ** 2) / (2 * sd)
        z_mean = abs(mean - r["mean"]) / math.hypot(mcse_mean, r["mcse_mean"])
        z_sd = abs(sd - r["sd"]) / math.hypot(mcse_sd, r["mcse_sd"])
        line = (f"{name:18s} mean {mean:10.4g} ref {r['mean']:10.4g} z {z_mean:5.2f} | "
                f"sd {sd:9.4g} ref {r['sd']:9.4g} z {z_sd:5.2f}")
        if name in heavy:
            # Heavy tails: the README's quantile rule replaces the mean/sd test.
            fractions = [float(np.mean(x < r[q])) for q in ("q05", "q50", "q95")]
            line += " | heavy: F(q05, q50, q95) = " + ", ".join(f"{v:.3f}" for v in fractions)
        else:
            worst = max(worst, z_mean, z_sd)
        print(line)
    divergences = int(np.sum(fit["divergent__"]))
    print(f"divergences {divergences} max z {worst:.2f}")


if __name__ == "__main__":
    main()
