"""
Golden numbers for test/decoder/goldenSample.test.ts, computed without any of this repository's code.

The README promises that `decoder.sample(seed)` gives the same shape for the same seed everywhere.
This script re-implements, from their published definitions and in Python float64, what a seed
stands for: mulberry32 seeded with `seed ^ 0x9e3779b9`, Box-Muller standard normals
(sqrt(-2 ln(1 - u)) cos(2 pi v), two uniforms per draw), and IM-GAN's generator
(noise -> dense + LeakyReLU -> dense + sigmoid) on a tiny generator whose weights are defined by the
integer formulas below (the test builds the same weights from the same formulas). It prints the
noise vectors and latents the test pins.

Run: python3 test/decoder/goldenSample.py
"""
import json
import math

M = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M


def mulberry32(seed):
    state = (seed & M) ^ 0x9E3779B9

    def uniform():
        nonlocal state
        state = (state + 0x6D2B79F5) & M
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M
        return ((t ^ (t >> 14)) & M) / 4294967296

    return uniform


def noise(size, seed):
    uniform = mulberry32(seed)
    out = []
    for _ in range(size):
        u = 1 - uniform()
        v = uniform()
        out.append(math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * v))
    return out


NOISE, HIDDEN, LATENT, SLOPE = 4, [5], 3, 0.02


def kernel(layer, i, j):
    return ((layer * 31 + i * 7 + j * 3) % 11 - 5) / 8


def bias(layer, j):
    return ((layer + j * 5) % 7 - 3) / 16


def generate(z):
    widths = [NOISE, *HIDDEN, LATENT]
    x = z
    for layer in range(len(widths) - 1):
        rows, units = widths[layer], widths[layer + 1]
        y = [bias(layer, j) + sum(x[i] * kernel(layer, i, j) for i in range(rows)) for j in range(units)]
        last = layer == len(widths) - 2
        x = [1 / (1 + math.exp(-v)) if last else (v if v > 0 else v * SLOPE) for v in y]
    return x


SEEDS = [0, 1, 7, 123456789, 4294967295]
print(json.dumps({str(s): {"noise": noise(NOISE, s), "latent": generate(noise(NOISE, s))} for s in SEEDS}, indent=1))
