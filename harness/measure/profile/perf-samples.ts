import { createInterface } from 'node:readline';
import { execa } from 'execa';

/** One sample: CLOCK_MONOTONIC time and its call chain, leaf first, as readable names. */
export interface PerfSample {
  timeNs: number;
  frames: string[];
}

/**
 * Streams `perf script` output as samples, so that a 4-minute boot's profile (hundreds of
 * thousands of samples) is aggregated with bounded memory. Frames without a symbol are named
 * by what they are: code that TCG generated at run time lives in anonymous memory.
 */
export async function* perfSamples(perfData: string): AsyncGenerator<PerfSample> {
  const child = execa('perf', ['script', '-i', perfData, '-F', 'time,ip,sym,dso', '--no-inline'], {
    buffer: false,
    reject: false,
    stderr: 'ignore',
  });
  let current: PerfSample | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    const header = line.match(/^\s*(\d+)\.(\d+):\s*$/);
    if (header) {
      if (current) yield current;
      current = { timeNs: Number(header[1]) * 1e9 + Number(header[2]!.padEnd(9, '0')), frames: [] };
      continue;
    }
    const frame = line.match(/^\s+[0-9a-f]+ (.+) \((.*)\)$/);
    if (frame && current) current.frames.push(frameName(frame[1]!, frame[2]!));
  }
  if (current) yield current;
  await child;
}

export function frameName(symbol: string, dso: string): string {
  if (symbol !== '[unknown]') {
    const name = symbol.replace(/\+0x[0-9a-f]+$/, '');
    return dso === '[kernel.kallsyms]' ? `[k] ${name}` : name;
  }
  // TCG's code buffer is an anonymous executable mapping (perf names it after the JIT map file
  // it looks for, /tmp/perf-PID.map); "[unknown]" is a frame perf could not place
  // (a caller in code built without frame pointers).
  if (dso.startsWith('//anon') || dso === '[anon]' || /perf-\d+\.map$/.test(dso)) return '[TCG-generated code]';
  if (dso === '[unknown]') return '[unknown]';
  return `[${dso.split('/').pop()}]`;
}
