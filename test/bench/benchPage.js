// In-page half of the browser decoder bench (test/bench/browserDecoderBench.ts): plain JS, so no
// TypeScript helpers leak into page code. Uses the UMD globals `tf`, `IMNET` and `IMNET_CORE`.
async function runDecoderBench() {
  const backend = await IMNET.activateBackend('webgl');
  const batch = 32768;
  // One warm-up call, then an odd number of timed runs so the median is one of them (with two, the
  // upper middle would be the slower run).
  const RUNS = 3;
  const time = async (work) => {
    await work();
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await work();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    return times[(RUNS - 1) / 2];
  };
  const a = tf.randomUniform([batch, 256]);
  const b = tf.randomUniform([256, 256]);
  const matMs = await time(async () => { const c = tf.matMul(a, b); await c.data(); c.dispose(); });
  const matMulGflops = (2 * batch * 256 * 256) / (matMs * 1e6);
  a.dispose();
  b.dispose();
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'unknown';
  const out = [];
  for (const preset of ['web32', 'web64']) {
    const architecture = IMNET_CORE.PRESETS[preset];
    const decoder = new IMNET_CORE.TfDecoder(IMNET_CORE.randomDecoderWeights(architecture, 1));
    const folded = decoder.fold(new Float32Array(architecture.latentSize).fill(0.5));
    const points = tf.randomUniform([batch, 3], -0.5, 0.5);
    const ms = await time(async () => { const r = decoder.decode(points, folded); await r.data(); r.dispose(); });
    const pointsPerSecond = batch / (ms / 1000);
    const gflops = (pointsPerSecond * IMNET_CORE.decoderFlopsPerPoint(architecture)) / 1e9;
    out.push({
      backend, renderer, preset, runs: RUNS, statistic: 'median', msPerBatch: Math.round(ms), pointsPerSecond: Math.round(pointsPerSecond),
      gflops: Number(gflops.toPrecision(3)), matMulGflops: Number(matMulGflops.toPrecision(3)),
      fractionOfMatMul: Number((gflops / matMulGflops).toFixed(2)),
    });
    points.dispose();
    folded.dispose();
    decoder.dispose();
  }
  return out;
}
