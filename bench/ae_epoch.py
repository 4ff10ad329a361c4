#!/usr/bin/python3
"""The PyTorch side of the epoch-time comparison in docs/results.md: the same
d-500-500-2000-10 MLP autoencoder (ReLU hidden layers, linear embedding and output, zero biases),
the same batches (256, shuffled), Adam lr 1e-3, MSE, on Fashion-MNIST 70k / 255, with Debian's
python3-torch at 1 intra-op thread (OpenBLAS keeps its own threads). Prints seconds per epoch,
then one JSON line with all of them; --mode dec|idec times the clustering phase instead (one
target update on all rows per epoch).
Run with OPENBLAS_CORETYPE set as bench/deep.sh sets it, so both sides use the same kernels."""
import argparse, json, time
import numpy as np
import torch
from kmeans_peers import fashion

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--device", default="cpu", help="cpu or cuda (a CUDA build of PyTorch)")
ap.add_argument("--mode", choices=["pretrain", "dec", "idec"], default="pretrain",
                help="pretraining epochs, or DEC / IDEC clustering epochs (IDEC: MSE + 0.1 KL, Adam)")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)
device = torch.device(args.device)
x = torch.from_numpy(fashion() / 255.0).float().to(device)
dims = [784, 500, 500, 2000, 10]


def stack(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1])
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


encoder, decoder = stack(dims).to(device), stack(dims[::-1]).to(device)
params = list(encoder.parameters()) + list(decoder.parameters())
def target():
    # DEC's target on all data, as each target update computes it.
    with torch.no_grad():
        z = torch.cat([encoder(x[b:b + 4096]) for b in range(0, len(x), 4096)])
        q = 1.0 / (1.0 + ((z[:, None] - centers[None]) ** 2).sum(2))
        q = q / q.sum(1, keepdim=True)
        p = q ** 2 / q.sum(0)
        return p / p.sum(1, keepdim=True)


clustering = args.mode != "pretrain"
if clustering:
    centers = torch.nn.Parameter(torch.randn(10, 10, device=device))
if args.mode == "dec":
    opt = torch.optim.SGD(list(encoder.parameters()) + [centers], lr=0.01, momentum=0.9)
elif args.mode == "idec":
    opt = torch.optim.Adam(params + [centers], lr=1e-3)
else:
    opt = torch.optim.Adam(params, lr=1e-3)
seconds = []
for epoch in range(args.epochs):
    order = torch.randperm(len(x), device=device)
    t = time.perf_counter()
    if clustering:
        p = target()  # one target update per epoch of 274 batches
    for b in range(0, len(x), 256):
        idx = order[b:b + 256]
        xb = x[idx]
        opt.zero_grad()
        if clustering:
            zb = encoder(xb)
            qb = 1.0 / (1.0 + ((zb[:, None] - centers[None]) ** 2).sum(2))
            qb = qb / qb.sum(1, keepdim=True)
            pb = p[idx]
            loss = (pb * (pb.log() - qb.log())).sum(1).mean()
            if args.mode == "idec":
                loss = torch.nn.functional.mse_loss(decoder(zb), xb) + 0.1 * loss
        else:
            loss = torch.nn.functional.mse_loss(decoder(encoder(xb)), xb)
        loss.backward()
        opt.step()
    if device.type == "cuda":
        torch.cuda.synchronize()  # the kernels of the epoch, not just their launches
    seconds.append(time.perf_counter() - t)
    print(f"{args.mode} epoch {epoch}: {seconds[-1]:.2f} s", flush=True)
print(json.dumps({"mode": args.mode, "threads": args.threads, "device": args.device,
                  "seconds": seconds}))
