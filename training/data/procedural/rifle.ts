/**
 * Rifles, muzzle toward +z, y up: assault rifles, carbines/SMGs, bolt-action hunting rifles, sniper
 * rifles and pump shotguns. Choices: stock (one-piece sporter, fixed, skeleton, wire, none), grip
 * (pistol or the stock's wrist), magazine (curved, straight, box, tube, none), sight (scope, carry
 * handle, irons), muzzle device, bipod.
 */
import type { CategoryGenerator } from './generator.js';
import type { Part, Vec3 } from './mesh.js';
import { beam, cylinder, extrude, frustum, rectProfile, roundedBox, sweep, tube } from './primitives.js';

type Kind = 'assault' | 'smg' | 'bolt-action' | 'sniper' | 'shotgun';

export const rifle: CategoryGenerator = {
  summary: 'rifles: assault, SMG, bolt-action, sniper and shotgun with varied stocks, barrels, magazines and scopes',
  build(builder, random) {
    const kind: Kind = random.weighted({ assault: 3, smg: 1.5, 'bolt-action': 2, sniper: 1.5, shotgun: 1.5 });
    const r = (a: number, b: number) => random.range(a, b);
    const parts: Part[] = [];

    const recLen = kind === 'smg' ? r(0.24, 0.3) : kind === 'bolt-action' || kind === 'shotgun' ? r(0.2, 0.26) : r(0.26, 0.34);
    const h = kind === 'bolt-action' ? r(0.055, 0.065) : r(0.07, 0.09);
    const w = r(0.045, 0.055);
    const zr0 = -recLen / 2, zr1 = recLen / 2;
    const barrelY = h * 0.18;
    const barrelLen = { assault: r(0.3, 0.4), smg: r(0.14, 0.22), 'bolt-action': r(0.45, 0.56), sniper: r(0.45, 0.56), shotgun: r(0.42, 0.52) }[kind];
    const barrelR = kind === 'sniper' ? r(0.02, 0.025) : kind === 'shotgun' ? r(0.019, 0.023) : r(0.017, 0.02);
    const muzzleZ = zr1 + barrelLen;

    parts.push(roundedBox([0, 0, 0], [w, h, recLen], 0.012));
    parts.push(cylinder([0, barrelY, zr1 - 0.02], [0, barrelY, muzzleZ], barrelR, 14));

    // Stock and grip.
    const stock = kind === 'bolt-action' ? 'sporter'
      : kind === 'shotgun' ? random.weighted({ sporter: 2, fixed: 1 })
        : kind === 'smg' ? random.weighted({ wire: 2, skeleton: 1, none: 1, fixed: 0.7 })
          : kind === 'sniper' ? random.weighted({ skeleton: 1.5, fixed: 1.5, sporter: 0.5 })
            : random.weighted({ fixed: 3, skeleton: 1, wire: 1 });
    const grip = stock === 'sporter' ? 'wrist' : 'pistol';
    const stockLen = r(0.26, 0.34);
    const zb = zr0 - stockLen;
    const drop = r(0.0, 0.03);
    const buttH = r(0.11, 0.15);
    const stockW = r(0.045, 0.058);
    const top = h / 2 - 0.01;
    if (stock === 'sporter') {
      // One piece: butt, comb, wrist (concave), grip, and a forend under the barrel.
      const forendEnd = zr1 + barrelLen * r(0.45, 0.75);
      const wristZ = zr0 - r(0.04, 0.08);
      const profile = [
        zb, top - drop, zb - 0.005, top - drop - buttH,
        wristZ - 0.06, -h / 2 - 0.055, wristZ + 0.02, -h / 2 - 0.07, wristZ + 0.05, -h / 2 - 0.03,
        zr1, -h / 2 - 0.02, forendEnd, barrelY - barrelR - 0.02, forendEnd + 0.01, barrelY,
        zr1, barrelY, wristZ + 0.02, -0.005, wristZ - 0.03, top - 0.025,
      ];
      parts.push(extrude(profile, 'x', -stockW / 2, stockW / 2));
    } else if (stock === 'fixed') {
      parts.push(extrude([zr0 + 0.02, top, zb, top - drop, zb - 0.005, top - drop - buttH, zr0 + 0.02, -h / 2 + 0.005], 'x', -stockW / 2, stockW / 2, 0.01));
    } else if (stock === 'skeleton') {
      const path: Vec3[] = [[0, top - 0.01, zr0 + 0.01], [0, top - drop - 0.01, zb + 0.03], [0, top - drop - buttH + 0.02, zb + 0.03], [0, -h / 2 + 0.015, zr0 + 0.01]];
      parts.push(tube(path, r(0.02, 0.024), 10, true));
      parts.push(roundedBox([0, top - drop - buttH / 2, zb + 0.015], [stockW, buttH, 0.03], 0.01));
    } else if (stock === 'wire') {
      const r0 = 0.02;
      parts.push(tube([[0, top - 0.015, zr0 + 0.01], [0, top - 0.02, zb + 0.02]], r0, 10));
      parts.push(tube([[0, -h / 2 + 0.02, zr0 + 0.01], [0, top - buttH * 0.6, zb + 0.02]], r0, 10));
      parts.push(roundedBox([0, top - buttH * 0.4, zb + 0.01], [stockW * 0.9, buttH * 0.85, 0.028], 0.01));
    }
    if (grip === 'pistol') {
      const zg = zr0 + r(0.04, 0.08) + (stock === 'none' ? 0.02 : 0);
      const gripLen = r(0.1, 0.13);
      parts.push(beam([0, -h / 2 + 0.02, zg], [0, -h / 2 - gripLen, zg - gripLen * r(0.3, 0.5)], w * 0.8, 0.045));
      // Trigger guard: a small loop ahead of the grip.
      parts.push(tube([[0, -h / 2 + 0.005, zg + 0.02], [0, -h / 2 - 0.035, zg + 0.025], [0, -h / 2 - 0.035, zg + 0.085], [0, -h / 2 + 0.005, zg + 0.095]], 0.016, 8));
    }

    // Magazine.
    const magazine = kind === 'assault' ? random.weighted({ curved: 3, straight: 1 })
      : kind === 'smg' ? random.weighted({ straight: 3, curved: 1 })
        : kind === 'sniper' ? 'box'
          : kind === 'shotgun' ? 'tube'
            : random.weighted({ none: 2, box: 1 });
    const zm = zr1 - r(0.06, 0.1);
    if (magazine === 'curved' || magazine === 'straight') {
      const len = kind === 'smg' ? r(0.16, 0.24) : r(0.15, 0.2);
      const bend = magazine === 'curved' ? r(0.05, 0.09) : 0;
      const path: Vec3[] = [];
      for (let k = 0; k <= 6; k++) {
        const t = k / 6;
        path.push([0, -h / 2 + 0.02 - t * len, zm + bend * t * t + 0.01 * t]);
      }
      parts.push(sweep(rectProfile(0.034, kind === 'smg' ? 0.045 : 0.06), path, 1, { up: [0, 0, 1] }));
    } else if (magazine === 'box') {
      parts.push(roundedBox([0, -h / 2 - 0.03, zm], [0.04, 0.08, 0.07], 0.008));
    } else if (magazine === 'tube') {
      const tubeY = barrelY - barrelR - 0.016;
      parts.push(cylinder([0, tubeY, zr1 - 0.02], [0, tubeY, zr1 + barrelLen * r(0.75, 0.95)], 0.017, 12));
    }

    // Handguard or pump.
    let handguard = 'none';
    if (kind === 'assault' || kind === 'smg' || kind === 'sniper') {
      handguard = random.pick(['round', 'rail']);
      const len = Math.min(barrelLen * 0.8, r(0.16, 0.28));
      if (handguard === 'round') parts.push(cylinder([0, barrelY - 0.005, zr1 - 0.01], [0, barrelY - 0.005, zr1 + len], r(0.028, 0.036), 16));
      else parts.push(roundedBox([0, barrelY - 0.005, zr1 + len / 2 - 0.01], [0.055, 0.06, len], 0.012));
    } else if (kind === 'shotgun') {
      handguard = 'pump';
      const tubeY = barrelY - barrelR - 0.016;
      const z0 = zr1 + barrelLen * r(0.15, 0.3);
      parts.push(cylinder([0, tubeY, z0], [0, tubeY, z0 + r(0.12, 0.16)], 0.03, 16));
    }

    // Sight.
    const sight = kind === 'sniper' ? 'scope'
      : kind === 'bolt-action' ? random.weighted({ scope: 3, irons: 1 })
        : kind === 'assault' ? random.weighted({ 'carry-handle': 1.5, scope: 1, irons: 1.2 })
          : kind === 'smg' ? random.weighted({ irons: 2, scope: 0.5 })
            : random.weighted({ irons: 3, scope: 0.5 });
    if (sight === 'scope') {
      const big = kind === 'sniper' || random.chance(0.5);
      const sr = big ? r(0.02, 0.025) : r(0.016, 0.019);
      const y = h / 2 + sr + r(0.02, 0.035);
      const len = big ? r(0.24, 0.32) : r(0.14, 0.2);
      const zc = r(-0.03, 0.04);
      const z0 = zc - len / 2, z1 = zc + len / 2;
      parts.push(cylinder([0, y, z0 + 0.03], [0, y, z1 - 0.05], sr, 14));
      parts.push(frustum([0, y, z1 - 0.05], [0, y, z1 - 0.01], sr, sr * (big ? 1.6 : 1.3), 14));
      parts.push(cylinder([0, y, z1 - 0.01], [0, y, z1 + 0.02], sr * (big ? 1.6 : 1.3), 14));
      parts.push(frustum([0, y, z0], [0, y, z0 + 0.03], sr * 1.3, sr, 14));
      parts.push(cylinder([0, y, zc], [0, y + sr + 0.018, zc], 0.015, 10));
      for (const z of [zc - len * 0.25, zc + len * 0.2]) parts.push(roundedBox([0, (h / 2 + y) / 2, z], [0.03, y - h / 2, 0.03], 0.005));
    } else if (sight === 'carry-handle') {
      const y = h / 2 + r(0.045, 0.06);
      parts.push(roundedBox([0, y, -0.02], [0.03, 0.03, recLen * 0.6], 0.008));
      for (const z of [-0.02 - recLen * 0.27, -0.02 + recLen * 0.27]) parts.push(roundedBox([0, (h / 2 + y) / 2, z], [0.03, y - h / 2, 0.035], 0.006));
      parts.push(beam([0, barrelY, zr1 + barrelLen * 0.62], [0, h / 2 + 0.05, zr1 + barrelLen * 0.62], 0.03, 0.03));
    } else {
      parts.push(beam([0, barrelY, muzzleZ - 0.05], [0, barrelY + barrelR + 0.03, muzzleZ - 0.05], 0.03, 0.03));
      parts.push(roundedBox([0, h / 2 + 0.012, zr0 + 0.05], [0.035, 0.03, 0.04], 0.006));
    }
    if (kind === 'bolt-action') {
      // Bolt handle out of the right side, with a knob.
      parts.push(tube([[0, h * 0.2, zr0 + 0.06], [0.05, h * 0.05, zr0 + 0.05], [0.065, -0.01, zr0 + 0.045]], 0.016, 8));
      parts.push(roundedBox([0.068, -0.015, zr0 + 0.045], [0.032, 0.032, 0.032], 0.014));
    }

    // Muzzle device and bipod.
    const muzzle = kind === 'sniper' ? random.weighted({ brake: 2, suppressor: 1 })
      : kind === 'shotgun' || kind === 'bolt-action' ? random.weighted({ plain: 3, brake: 1 })
        : random.weighted({ 'flash-hider': 2, suppressor: 1, plain: 1 });
    if (muzzle === 'brake') parts.push(cylinder([0, barrelY, muzzleZ - 0.01], [0, barrelY, muzzleZ + r(0.04, 0.06)], barrelR * 1.6, 14));
    else if (muzzle === 'suppressor') parts.push(cylinder([0, barrelY, muzzleZ - 0.03], [0, barrelY, muzzleZ + r(0.12, 0.18)], r(0.028, 0.034), 16));
    else if (muzzle === 'flash-hider') parts.push(cylinder([0, barrelY, muzzleZ - 0.01], [0, barrelY, muzzleZ + 0.04], barrelR * 1.35, 12));
    const bipod = (kind === 'sniper' && random.chance(0.7)) || (kind === 'assault' && random.chance(0.15));
    if (bipod) {
      const zb2 = zr1 + barrelLen * r(0.3, 0.5);
      const legLen = r(0.16, 0.22);
      for (const sx of [-1, 1]) parts.push(tube([[0, barrelY - 0.02, zb2], [sx * 0.05, barrelY - legLen, zb2 + 0.06]], 0.019, 8));
    }

    builder.add(...parts);
    return { kind, stock, grip, magazine, handguard, sight, muzzle, bipod };
  },
};
