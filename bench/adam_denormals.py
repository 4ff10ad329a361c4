#!/usr/bin/python3
"""Why the trainers flush denormals (engine/src/deep/flush_denormals.h): Adam steps on the moments
of a late pretraining checkpoint (a ClusterScope .pretrain archive, e.g. from bench/deep.sh),
with IEEE denormals and with flush-to-zero. Prints milliseconds per step for both."""
import sys, time
import torch

torch.set_num_threads(1)
archive = torch.jit.load(sys.argv[1])
moments = [(s.exp_avg.clone(), s.exp_avg_sq.clone())
           for _, s in archive.optimizer.state.named_modules() if hasattr(s, "exp_avg_sq")]
tiny = sum(int(((v != 0) & (v.abs() < torch.finfo(torch.float32).tiny)).sum())
           for pair in moments for v in pair)
total = sum(v.numel() for pair in moments for v in pair)
print(f"denormal moments: {tiny} of {total}")


def ms_per_step(flush):
    torch.set_flush_denormal(flush)
    params = [torch.zeros_like(a).requires_grad_() for a, _ in moments]
    opt = torch.optim.Adam(params, lr=1e-3)
    for p, (a, s) in zip(params, moments):
        opt.state[p] = {"step": torch.tensor(50000.0), "exp_avg": a.clone(), "exp_avg_sq": s.clone()}
        p.grad = torch.zeros_like(p)  # vanishing gradients, as for dead units late in training
    t = time.perf_counter()
    for _ in range(50):
        opt.step()
    return 1e3 * (time.perf_counter() - t) / 50


print(f"ms per Adam step: IEEE {ms_per_step(False):.1f}, flush-to-zero {ms_per_step(True):.1f}")
