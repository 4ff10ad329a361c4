#!/usr/bin/python3
"""An independent DEC clustering phase, to check ours against (docs/results.md).

It starts from one of ClusterScope's cached autoencoders (an archive under --cache-dir; Debian's
python3-torch reads it with torch.jit.load) and follows DEC-keras' `DEC.fit` as the reference notes
describe it: scikit-learn k-means (n_init 20) on the embedding for the centres, then SGD lr 0.01
momentum 0.9 on KL(P||Q) over batches of 256 taken in the data's own order, P recomputed on all rows
every --update-interval batches, stopping when fewer than --tol of the labels change. Prints ACC
and NMI at each target update, then one JSON line.

    /usr/bin/python3 bench/dec_reference.py build/bench/autoencoders/<key>.pt --seed 0
"""
import argparse, json, os, sys
import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score

sys.path.insert(0, os.path.dirname(__file__))
from kmeans_peers import fashion, fashion_labels  # noqa: E402


def accuracy(y, pred):
    k = max(y.max(), pred.max()) + 1
    counts = np.zeros((k, k))
    np.add.at(counts, (pred, y), 1)
    rows, cols = linear_sum_assignment(-counts)
    return counts[rows, cols].sum() / len(y)


def encoder_from_archive(path):
    archive = torch.jit.load(path)
    weights = {n: t.detach().clone() for n, t in archive.named_parameters()}
    layers = sorted({int(n.split(".")[2]) for n in weights if n.startswith("model.encoder.")})
    stack = []
    for i, layer in enumerate(layers):
        w = weights[f"model.encoder.{layer}.weight"]
        linear = torch.nn.Linear(w.shape[1], w.shape[0])
        with torch.no_grad():
            linear.weight.copy_(w)
            linear.bias.copy_(weights[f"model.encoder.{layer}.bias"])
        stack.append(linear)
        if i + 1 < len(layers):
            stack.append(torch.nn.ReLU())
    return torch.nn.Sequential(*stack)


def soft_assignment(z, centres):
    q = 1.0 / (1.0 + ((z[:, None] - centres[None]) ** 2).sum(2))
    return q / q.sum(1, keepdim=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("autoencoder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--update-interval", type=int, default=140)
    ap.add_argument("--maxiter", type=int, default=6000)
    ap.add_argument("--tol", type=float, default=0.001)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    x = torch.from_numpy(fashion() / 255.0).float()
    y = fashion_labels()
    encoder = encoder_from_archive(args.autoencoder)

    def embed():
        with torch.no_grad():
            return torch.cat([encoder(x[b:b + 4096]) for b in range(0, len(x), 4096)])

    kmeans = KMeans(10, n_init=20, random_state=args.seed).fit(embed().numpy())
    centres = torch.nn.Parameter(torch.from_numpy(kmeans.cluster_centers_).float())
    optimizer = torch.optim.SGD(list(encoder.parameters()) + [centres], lr=0.01, momentum=0.9)
    history = []
    previous = None
    start = 0
    for iteration in range(args.maxiter):
        if iteration % args.update_interval == 0:
            with torch.no_grad():
                q = soft_assignment(embed(), centres)
                weight = q ** 2 / q.sum(0)
                target = weight / weight.sum(1, keepdim=True)
            labels = q.argmax(1).numpy()
            history.append({"iteration": iteration, "acc": accuracy(y, labels),
                            "nmi": normalized_mutual_info_score(y, labels)})
            print(history[-1], flush=True)
            changed = 1.0 if previous is None else float((labels != previous).mean())
            previous = labels
            if iteration > 0 and changed < args.tol:
                break
        rows = slice(start, min(start + 256, len(x)))
        start = start + 256 if start + 256 < len(x) else 0
        qb = soft_assignment(encoder(x[rows]), centres)
        pb = target[rows]
        loss = (pb * (pb.log() - qb.log())).sum(1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(json.dumps({"autoencoder": os.path.basename(args.autoencoder), "seed": args.seed,
                      "start_acc": history[0]["acc"], "acc": history[-1]["acc"],
                      "nmi": history[-1]["nmi"], "updates": history}))


if __name__ == "__main__":
    main()
