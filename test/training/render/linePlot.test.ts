/** The line plot puts each series' points where its axes say, in its colour, over round-number ticks. */
import { niceTicks, renderLinePlot } from '../../../training/render/linePlot.js';
import { encodePng } from '../../../training/render/png.js';

describe('renderLinePlot', () => {
  test('draws each point in its series colour at its mapped pixel, and encodes as PNG', () => {
    const red = [220, 30, 30] as const, blue = [30, 60, 220] as const;
    const plot = renderLinePlot([
      { label: 'a', color: red, points: [[0, 0.2], [5, 0.5], [10, 0.6]] },
      { label: 'b', color: blue, points: [[0, 0.85], [10, 0.9]] },
    ], { title: 'IoU', xLabel: 'core-minutes', yRange: [0, 1] });
    const colourAt = (x: number, y: number): number[] => Array.from(plot.rgb.subarray(3 * (x + plot.width * y), 3 * (x + plot.width * y) + 3));
    for (const [x, y] of [[5, 0.5], [10, 0.6]] as const) expect(colourAt(...plot.toPixel(x, y))).toEqual([...red]);
    expect(colourAt(...plot.toPixel(10, 0.9))).toEqual([...blue]);
    // Higher y is higher on the image; the x range spans the plot.
    expect(plot.toPixel(0, 0.9)[1]).toBeLessThan(plot.toPixel(0, 0.1)[1]);
    expect(plot.toPixel(10, 0)[0] - plot.toPixel(0, 0)[0]).toBeGreaterThan(0.8 * plot.width);
    const png = encodePng(plot.width, plot.height, plot.rgb);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  test('ticks are round numbers covering the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 37)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(2.5, 12.5)).toEqual([4, 6, 8, 10, 12]);
    expect(niceTicks(0, 0.25)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
  });

  test('names an empty plot', () => {
    expect(() => renderLinePlot([{ label: 'x', color: [0, 0, 0], points: [] }])).toThrow(/no points/);
  });
});
