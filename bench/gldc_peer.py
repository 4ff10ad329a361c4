#!/usr/bin/python3
"""A PyTorch port of GLDC's training, written from the notes in
shared/reference/layouts-explanations-classic.md section 1.2, to compare ClusterScope's `gldc`
with on the same data: the per-epoch ACC of both, from their own seeds.

    /usr/bin/python3 bench/gldc_peer.py digits [--epochs 20] [--pretrain 30] [--out FILE.json]
    /usr/bin/python3 bench/gldc_peer.py fashion --subset 10000

digits: resources/demo/digits.csv.gz / 16, hidden 256-256-512; fashion: Fashion-MNIST / 255,
hidden 500-500-2000 (the paper's). Latent 5, Adam 2e-3 pretraining in batches of 128, k-means
with 20 restarts, then GLDC's four terms with Adam 1e-3.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score


def accuracy(y, p):
    k = max(y.max(), p.max()) + 1
    m = np.zeros((k, k), dtype=np.int64)
    np.add.at(m, (p, y), 1)
    r, c = linear_sum_assignment(-m)
    return m[r, c].sum() / len(y)


def load(name, subset):
    if name == "digits":
        raw = np.loadtxt(gzip.open("resources/demo/digits.csv.gz", "rt"), delimiter=",", skiprows=1)
        y, x = raw[:, -1].astype(np.int64), raw[:, :-1] / 16.0  # the label is last
        hidden = [256, 256, 512]
    else:
        root = "/usr/share/datasets/fashion-mnist/"
        xs, ys = [], []
        for part in ("train", "t10k"):
            with gzip.open(root + part + "-images-idx3-ubyte.gz") as f:
                xs.append(np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784))
            with gzip.open(root + part + "-labels-idx1-ubyte.gz") as f:
                ys.append(np.frombuffer(f.read(), np.uint8, offset=8))
        x, y = np.concatenate(xs) / 255.0, np.concatenate(ys).astype(np.int64)
        hidden = [500, 500, 2000]
    if subset:
        x, y = x[:subset], y[:subset]
    return torch.tensor(x, dtype=torch.float32), y, hidden


def mlp(sizes, last_linear=True):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2 or not last_linear:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def student_t(z, mu):
    q = 1.0 / (1.0 + ((z[:, None, :] - mu[None]) ** 2).sum(2))
    return q / q.sum(1, keepdim=True)


def local_target(z, sigma=10.0, neighbours=11, decay=0.2):
    d = ((z[:, None, :] - z[None]) ** 2).sum(2)
    d = d / d.max()
    rank = d.argsort(1).argsort(1)
    krod = (rank + rank.t() + 1).float() * torch.exp(d / sigma)
    threshold = krod.kthvalue(neighbours + 1, 0, keepdim=True)[0]
    return (krod < threshold).float() * torch.exp(-decay * krod)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", choices=["digits", "fashion"])
    ap.add_argument("--subset", type=int, default=0)
    ap.add_argument("--pretrain", type=int, default=30)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    x, y, hidden = load(a.data, a.subset)
    n, latent = len(x), 5
    enc, dec = mlp([x.shape[1]] + hidden + [latent]), mlp([latent] + hidden[::-1] + [x.shape[1]])
    params = list(enc.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    t0 = time.time()
    for _ in range(a.pretrain):
        for ids in torch.randperm(n).split(128):
            opt.zero_grad()
            F.mse_loss(dec(enc(x[ids])), x[ids]).backward()
            opt.step()
    with torch.no_grad():
        z = enc(x).numpy()
    km = KMeans(10, n_init=20, random_state=a.seed).fit(z)
    out = {"start_acc": accuracy(y, km.labels_), "acc": [], "nmi": [],
           "pretrain_seconds": time.time() - t0}
    mu = torch.nn.Parameter(torch.tensor(km.cluster_centers_, dtype=torch.float32))
    opt = torch.optim.Adam(params + [mu], lr=1e-3)
    for epoch in range(a.epochs + 1):
        with torch.no_grad():
            q = student_t(enc(x), mu)
            p = q ** 2 / q.sum(0)
            p = p / p.sum(1, keepdim=True)
        labels = q.argmax(1).numpy()
        if epoch > 0:
            out["acc"].append(accuracy(y, labels))
            out["nmi"].append(normalized_mutual_info_score(y, labels))
            print(epoch, round(out["acc"][-1], 4), flush=True)
        if epoch == a.epochs:
            break
        w = max(5 * 0.8 ** epoch, 0.2)
        perm = torch.randperm(n)
        for b in range(n // 128):
            ids = perm[b * 128:(b + 1) * 128]
            xb = x[ids]
            zb = enc(xb)
            qb = student_t(zb, mu)
            qn = student_t(enc(xb + 0.2 * torch.randn_like(xb)), mu)
            t = local_target(zb.detach())
            pair = (qb @ qb.t()).clamp(0, 1)
            local = -(t * torch.log(pair + 1e-9) + (1 - t) * torch.log(1 - pair + 1e-9)).mean()
            kl = (p[ids] * (torch.log(p[ids] + 1e-30) - torch.log(qb))).sum(1).mean()
            loss = F.mse_loss(dec(zb), xb) + w * local + 10 * F.mse_loss(qn, qb) + 0.001 * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
    out["seconds"] = time.time() - t0
    print(json.dumps({k: v for k, v in out.items() if k not in ("acc", "nmi")}))
    if a.out:
        json.dump(out, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
