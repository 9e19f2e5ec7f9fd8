#!/usr/bin/env python3
"""Real-client check: ArviZ reads hazel's Stan CSV and agrees with hazel's summary.csv.

Usage: python arviz_check.py DIR

DIR holds hazel's chain_<k>.csv files and summary.csv (as `hazel sample` writes them).
The chains are loaded with arviz.from_cmdstan; for every row of summary.csv the script
computes az.rhat(method="rank"), az.ess(method="bulk") and az.ess(method="tail") on the
ArviZ-loaded draws and compares them with hazel's rhat, ess_bulk and ess_tail columns to
a relative tolerance of 1e-6. Exits 0 when everything matches, 1 with one line per
mismatch otherwise, 2 on unusable input.
"""

import csv
import math
import re
import sys
from pathlib import Path

import arviz as az
import numpy as np

RELATIVE_TOLERANCE = 1e-6
CHECKS = (("rhat", lambda a: az.rhat(a, method="rank")),
          ("ess_bulk", lambda a: az.ess(a, method="bulk")),
          ("ess_tail", lambda a: az.ess(a, method="tail")))
NAME = re.compile(r"^([^\[\]]+)(?:\[([0-9, ]+)\])?$")


def fail(code, message):
    print(f"arviz_check: {message}", file=sys.stderr)
    sys.exit(code)


def chain_files(directory):
    files = []
    for path in directory.glob("chain_*.csv"):
        match = re.fullmatch(r"chain_([0-9]+)\.csv", path.name)
        if match:
            files.append((int(match.group(1)), path))
    return [str(p) for _, p in sorted(files)]


def draws_of(idata, variable):
    """The (chain, draw) array of one summary row's variable, e.g. theta[2,1]."""
    match = NAME.match(variable)
    if not match:
        fail(2, f"summary.csv variable {variable!r} is not name or name[i,j]")
    base, index = match.group(1), match.group(2)
    if base == "lp__":
        data = idata.sample_stats["lp"]
    else:
        # ArviZ files pointwise log-likelihoods (`log_lik`) under log_likelihood, not posterior.
        groups = [g for g in ("posterior", "log_likelihood", "posterior_predictive") if g in idata.groups()]
        found = [idata[g][base] for g in groups if base in idata[g]]
        if not found:
            fail(2, f"variable {variable!r} from summary.csv is not in the Stan CSV files")
        data = found[0]
    values = data.values
    if index:
        # Stan indices are 1-based; ArviZ keeps the flattened Stan shape after (chain, draw).
        idx = tuple(int(i) - 1 for i in index.split(","))
        values = values[(slice(None), slice(None)) + idx]
    return np.asarray(values, dtype=float)


def agree(ours, theirs):
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    scale = max(abs(ours), abs(theirs))
    return scale == 0 or abs(ours - theirs) / scale <= RELATIVE_TOLERANCE


def main():
    if len(sys.argv) != 2:
        fail(2, "usage: arviz_check.py DIR")
    directory = Path(sys.argv[1])
    files = chain_files(directory)
    if not files:
        fail(2, f"no chain_<k>.csv files in {directory}")
    summary_path = directory / "summary.csv"
    if not summary_path.is_file():
        fail(2, f"{summary_path} does not exist")
    idata = az.from_cmdstan(posterior=files)
    with open(summary_path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        fail(2, f"{summary_path} has no rows")
    mismatches = []
    compared = 0
    for row in rows:
        values = draws_of(idata, row["variable"])
        for column, compute in CHECKS:
            ours = float(row[column])
            theirs = float(compute(values))
            compared += 1
            if not agree(ours, theirs):
                mismatches.append(
                    f"{row['variable']} {column}: hazel {ours!r}, ArviZ {theirs!r}")
    chains, draws = idata.posterior.sizes["chain"], idata.posterior.sizes["draw"]
    if mismatches:
        fail(1, f"{len(mismatches)} of {compared} values differ from ArviZ "
                f"{az.__version__} by more than {RELATIVE_TOLERANCE} (relative):\n  "
                + "\n  ".join(mismatches))
    print(f"arviz_check: {compared} values ({len(rows)} variables x rhat, ess_bulk, "
          f"ess_tail) over {chains} chains x {draws} draws agree with ArviZ "
          f"{az.__version__} to {RELATIVE_TOLERANCE}")


if __name__ == "__main__":
    main()
