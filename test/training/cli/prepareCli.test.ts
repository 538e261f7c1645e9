import { parseCommandArgs, formatCommandHelp, UsageError, type Command } from '../../../training/cli/args.js';
import { ProgressBar, formatDuration } from '../../../training/cli/progress.js';
import { selectBackend } from '../../../training/nn/backend.js';

const command: Command = {
  summary: 'test command',
  usage: 'imnet test <dir> [flags]',
  positionals: [{ name: 'dir', description: 'a folder' }],
  flags: [
    { name: 'out', type: 'string', required: true, valueName: 'dir', description: 'output' },
    { name: 'count', type: 'integer', min: 1, max: 10, default: 3, description: 'how many' },
    { name: 'rate', type: 'number', default: 0.5, description: 'a fraction' },
    { name: 'mode', type: 'string', choices: ['a', 'b'], default: 'a', description: 'which' },
    { name: 'force', type: 'boolean', default: false, description: 'do it' },
  ],
  run: async () => 0,
};

describe('imnet flag parsing', () => {
  test('parses typed values and fills defaults', () => {
    expect(parseCommandArgs(['x', '--out', 'o', '--count=7', '--force'], command)).toEqual({
      positionals: ['x'], flags: { out: 'o', count: 7, rate: 0.5, mode: 'a', force: true },
    });
  });

  test.each([
    [['x'], /missing --out <dir>: output/],
    [['--out', 'o'], /missing <dir>: a folder/],
    [['x', 'y', '--out', 'o'], /unexpected argument 'y'; expected <dir> and flags/],
    [['x', '--out', 'o', '--count', '2.5'], /--count "2.5": expected an integer/],
    [['x', '--out', 'o', '--count', '11'], /--count 11: expected an integer in \[1, 10\]/],
    [['x', '--out', 'o', '--rate', 'fast'], /--rate "fast": expected a number/],
    [['x', '--out', 'o', '--mode', 'c'], /--mode "c": expected one of a, b/],
    [['x', '--out'], /--out needs a value: <dir>/],
    [['x', '--out', 'o', '--force=yes'], /--force takes no value/],
    [['x', '--out', 'o', '--colour'], /unknown flag --colour; expected one of: --out, --count, --rate, --mode, --force, --help/],
  ])('%j is a usage error saying what was expected', (argv, message) => {
    const error = (() => { try { parseCommandArgs(argv, command); return null; } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  test('help lists every flag with its default', () => {
    const help = formatCommandHelp('test', command);
    expect(help).toContain('Usage: imnet test <dir> [flags]');
    expect(help).toMatch(/--count <integer>\s+how many \(default 3\)/);
    expect(help).toMatch(/--out <dir>\s+output \(required\)/);
    expect(help).toMatch(/--help\s+this help for 'imnet test'/);
  });
});

describe('progress', () => {
  test('without a terminal it prints a plain line per 10% with rate and ETA', () => {
    let now = 0;
    const lines: string[] = [];
    const bar = new ProgressBar({ label: 'prepare', total: 20, unit: 'shapes', tty: false, now: () => now, stream: { write: (t: string) => lines.push(t) } });
    for (let i = 0; i < 20; i++) {
      now += 500;
      bar.tick(1, `shape${i}`);
    }
    bar.finish();
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('prepare 2/20 10% 2.00 shapes/s ETA 0:09 elapsed 0:01\n');
    expect(lines[9]).toBe('prepare 20/20 100% 2.00 shapes/s ETA 0:00 elapsed 0:10\n');
  });

  test('on a terminal it redraws one line and keeps logged lines above it', () => {
    let now = 0;
    let screen = '';
    const bar = new ProgressBar({ label: 'p', total: 4, tty: true, now: () => now, stream: { write: (t: string) => (screen += t), columns: 200 } });
    now = 1000;
    bar.tick(1, 'a.obj');
    bar.log('skipped b.obj: broken');
    expect(screen).toContain('\r\x1b[Kskipped b.obj: broken\n');
    expect(screen.endsWith('p [######------------------] 1/4 25% 1.00 items/s ETA 0:03 elapsed 0:01 a.obj')).toBe(true);
  });

  test('a resumed job\'s earlier work counts toward the total but not the rate, so the ETA is this run\'s', () => {
    let now = 0;
    const lines: string[] = [];
    const bar = new ProgressBar({ label: 'train', total: 100, unit: 'steps', tty: false, now: () => now, stream: { write: (t: string) => lines.push(t) } });
    bar.skip(60);
    for (let i = 0; i < 20; i++) {
      now += 1000;
      bar.tick(1);
    }
    bar.finish();
    // 20 steps in 20 s: 1 step/s, 20 left.
    expect(lines.at(-1)).toBe('train 80/100 80% 1.00 steps/s ETA 0:20 elapsed 0:20\n');
  });

  test('durations read as m:ss or h:mm:ss', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(125)).toBe('2:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('?');
  });
});

describe('tfjs backend choice', () => {
  test('auto skips the node packages that are not installed, says so, and takes the next', async () => {
    const lines: string[] = [];
    const choice = await selectBackend('auto', (line) => lines.push(line));
    expect(['tensorflow', 'wasm', 'cpu']).toContain(choice.backend);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tfjs backend: \w+ via @tensorflow\/[\w-]+ \(.+\); auto: /);
    if (choice.backend === 'wasm') expect(lines[0]).toMatch(/tfjs-node-gpu (is not installed|failed to load).*; tfjs-node (is not installed|failed to load).*; wasm loaded/);
  });

  test('a forced backend is used and named as forced; a missing one is an error naming the package', async () => {
    const lines: string[] = [];
    expect((await selectBackend('cpu', (line) => lines.push(line))).backend).toBe('cpu');
    expect(lines[0]).toMatch(/^tfjs backend: cpu via @tensorflow\/tfjs \(plain JavaScript\); forced by --backend cpu$/);
    let missing: string | null = null;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      missing = '@tensorflow/tfjs-node';
    }
    if (missing) await expect(selectBackend('tfjs-node', () => {})).rejects.toThrow(/--backend tfjs-node: @tensorflow\/tfjs-node is not installed; install it \(npm install @tensorflow\/tfjs-node\)/);
  });
});
