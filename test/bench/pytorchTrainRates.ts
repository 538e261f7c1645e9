/**
 * Runs torchTrainStep.py with Debian's /usr/bin/python3 (apt: python3-torch, libopenblas0-pthread):
 * PyTorch's points/s for the auto-decoder step of an architecture. Null when python3 or torch is
 * absent, so the bench skips those lines quietly.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ImNetArchitecture } from '#core';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torchTrainStep.py', import.meta.url));

/** One PyTorch measurement. */
export interface PyTorchRate {
  /** `concat`: IM-NET-pytorch's per-point `[xyz, z]`; `folded`: z's rows once per shape. */
  form: 'concat' | 'folded';
  threads: number;
  /** Median wall and CPU (all threads) seconds per step. */
  seconds: number;
  cpuSeconds: number;
  steps: number;
  pointsPerSecond: number;
  pointsPerCpuSecond: number;
  version: string;
}

/** The torch version, or null when it does not import. */
function torchVersion(): string | null {
  if (!existsSync(PYTHON)) return null;
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

export function pytorchTrainRates(architecture: ImNetArchitecture, batch: { shapes: number; pointsPerShape: number; tableSize: number }, minSeconds = 5): PyTorchRate[] | null {
  if (architecture.skipConnections || architecture.outputActivation !== 'leakyClip') throw new RangeError('pytorchTrainRates: torchTrainStep.py builds the presets\' decoder (no skips, leaky clip)');
  const version = torchVersion();
  if (!version) return null;
  // One process per thread count, with OpenBLAS's pool sized to match: Debian's libopenblas0-pthread
  // ignores torch.set_num_threads, so a "1 thread" step otherwise spreads its matMuls over every core
  // (measured: 2 cores busy on an idle machine, and 7x slower wall than one real thread beside other jobs).
  const lines = [1, 2].filter((t) => t <= availableParallelism()).flatMap((threads) => {
    const args = { latentSize: architecture.latentSize, hiddenSizes: architecture.hiddenSizes, leakySlope: architecture.leakySlope, ...batch, threads: [threads], minSeconds };
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
    const run = spawnSync(PYTHON, [SCRIPT, JSON.stringify(args)], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (run.status !== 0) throw new Error(`${SCRIPT} failed (exit ${run.status}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return run.stdout.trim().split('\n');
  });
  return lines.map((line) => {
    const r = JSON.parse(line) as { form: 'concat' | 'folded'; threads: number; seconds: number; cpuSeconds: number; steps: number };
    const points = batch.shapes * batch.pointsPerShape;
    return { ...r, pointsPerSecond: points / r.seconds, pointsPerCpuSecond: points / r.cpuSeconds, version };
  });
}
