#!/usr/bin/python3
"""Writes the scipy references of the cluster profiles (tests/engine/test_explain.cpp) to
tests/data/explain/profile_wine.csv: for the wine table (tests/data/wine.csv), each true class
against the rest, per feature, Welch's t-test (scipy.stats.ttest_ind(equal_var=False)), the
Wilcoxon rank-sum test (scipy.stats.mannwhitneyu(use_continuity=False,
method="asymptotic"), whose z is recovered from its p-value with the sign of U - n1 n2 / 2),
and Benjamini-Hochberg adjusted p-values over the 13 features (written out below, as
statsmodels' multipletests(method="fdr_bh") computes them).

Run: /usr/bin/python3 tests/reference/explain_reference.py
"""
import csv
import numpy as np
from scipy import stats

rows = list(csv.reader(open("tests/data/wine.csv")))
header, data = rows[0], np.array(rows[1:], dtype=np.float64)
x, label = data[:, :-1].astype(np.float32).astype(np.float64), data[:, -1].astype(int)


def bh(p):
    p = np.asarray(p)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(adjusted, 1)
    return out


with open("tests/data/explain/profile_wine.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["cluster", "feature", "t", "p_t", "padj_t", "z", "p_w", "padj_w", "mean_in", "mean_out", "lfc"])
    for c in np.unique(label):
        g, r = x[label == c], x[label != c]
        t, pt = stats.ttest_ind(g, r, equal_var=False)
        z, pw = [], []
        for j in range(x.shape[1]):
            res = stats.mannwhitneyu(g[:, j], r[:, j], use_continuity=False, method="asymptotic")
            sign = np.sign(res.statistic - len(g) * len(r) / 2)
            z.append(sign * stats.norm.isf(res.pvalue / 2))
            pw.append(res.pvalue)
        at, aw = bh(pt), bh(pw)
        for j in range(x.shape[1]):
            mi, mo = g[:, j].mean(), r[:, j].mean()
            lfc = np.log2((mi + 1e-9) / (mo + 1e-9)) if x[:, j].min() >= 0 else float("nan")
            w.writerow([c, j] + [repr(float(v)) for v in (t[j], pt[j], at[j], z[j], pw[j], aw[j], mi, mo, lfc)])
print("wrote tests/data/explain/profile_wine.csv")
