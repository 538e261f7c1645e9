"""The `train` bench's PyTorch reference: one auto-decoder Adam step of the same decoder on the same
batch shape, as IM-NET-pytorch computes it (`concat([points, z])` per point) and with the latent rows
folded per shape (what our step does), at each thread count given. Prints one JSON line per
(form, threads): median wall and CPU (process-wide, all threads) seconds per step after a warm-up step.

Usage: python3 torchTrainStep.py '<json>' with {latentSize, hiddenSizes, leakySlope, shapes,
pointsPerShape, tableSize, threads: [..], minSeconds}.
"""
import json
import sys
import time

import torch

args = json.loads(sys.argv[1])
latent_size = args["latentSize"]
hidden = args["hiddenSizes"]
slope = args["leakySlope"]
shapes = args["shapes"]
per_shape = args["pointsPerShape"]
n = shapes * per_shape
torch.manual_seed(1)


def leaky_clip(h):
    return torch.max(torch.min(h, h * 0.01 + 0.99), h * 0.01)


class Decoder(torch.nn.Module):
    """IM-NET-pytorch's generator: linear layers over [xyz, z], LeakyReLU, leaky clip."""

    def __init__(self, folded):
        super().__init__()
        self.folded = folded
        widths = [3 + latent_size] + hidden + [1]
        self.layers = torch.nn.ModuleList([torch.nn.Linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1)])

    def forward(self, points, z):
        first = self.layers[0]
        if self.folded:
            # z @ W_latent + b once per shape, broadcast to the shape's points.
            per_shape_bias = z @ first.weight[:, 3:].t() + first.bias
            h = points.view(shapes, per_shape, 3) @ first.weight[:, :3].t() + per_shape_bias[:, None, :]
            h = h.view(n, -1)
        else:
            h = first(torch.cat([points, z.repeat_interleave(per_shape, 0)], 1))
        for layer in self.layers[1:]:
            h = layer(torch.nn.functional.leaky_relu(h, slope))
        return leaky_clip(h).view(-1)


points = torch.rand(n, 3) - 0.5
targets = (points.norm(dim=1) < 0.3).float()
indices = torch.arange(shapes)

for folded in (False, True):
    for threads in args["threads"]:
        torch.set_num_threads(threads)
        decoder = Decoder(folded)
        table = torch.nn.Parameter(torch.full((args["tableSize"], latent_size), 0.5) + 0.01 * torch.randn(args["tableSize"], latent_size))
        optimizer = torch.optim.Adam([
            {"params": decoder.parameters(), "lr": 5e-5},
            {"params": [table], "lr": 1e-3},
        ], betas=(0.5, 0.999))

        def step():
            optimizer.zero_grad()
            z = table[indices]
            loss = ((decoder(points, z) - targets) ** 2).mean() + 1e-4 * ((z - 0.5) ** 2).mean()
            loss.backward()
            optimizer.step()
            return loss.item()

        step()
        times = []
        cpu = []
        started = time.perf_counter()
        while len(times) < 3 or (time.perf_counter() - started < args["minSeconds"] and len(times) < 15):
            t0 = time.perf_counter()
            c0 = time.process_time()
            step()
            cpu.append(time.process_time() - c0)
            times.append(time.perf_counter() - t0)
        times.sort()
        cpu.sort()
        print(json.dumps({"form": "folded" if folded else "concat", "threads": threads, "seconds": times[len(times) // 2],
                          "cpuSeconds": cpu[len(cpu) // 2], "steps": len(times)}), flush=True)
