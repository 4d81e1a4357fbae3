import { describe, expect, it } from 'vitest';
import type { HostCpuReading } from '../../../src/core/signals/proc-stat.js';
import { createHostSampler } from '../../../src/load/signals/host-sampler.js';

const reading = (
  busyTicks: number,
  totalTicks: number,
  extra: Partial<HostCpuReading> = {},
): HostCpuReading => ({
  cpus: 2,
  busyTicks,
  totalTicks,
  running: 1,
  load1: 0.5,
  bootTime: 1_700_000_000,
  ...extra,
});

/** A reader that answers `readings` in turn (an Error is thrown), as /proc would at each sample. */
function reader(readings: (HostCpuReading | Error)[]) {
  let i = 0;
  return () => {
    const next = readings[Math.min(i++, readings.length - 1)]!;
    if (next instanceof Error) throw next;
    return next;
  };
}

describe('the host sampler', () => {
  it('gives the busy share of all CPUs per interval, from the ticks between two readings', async () => {
    const sampler = createHostSampler(
      reader([
        reading(100, 1000),
        reading(100, 1000),
        reading(150, 1100, { running: 3, load1: 1.25 }),
        reading(250, 1300, { running: 2, load1: 1.5 }),
      ]),
    );
    await sampler.start();
    await sampler.sample(0); // the baseline of measurement
    await sampler.sample(1);
    await sampler.sample(2);
    expect(await sampler.finish()).toEqual({
      cpus: 2,
      series: [
        { second: 1, busy: 0.5, busyCores: 1, running: 3, load1: 1.25 },
        { second: 2, busy: 0.5, busyCores: 1, running: 2, load1: 1.5 },
      ],
      notes: [],
    });
  });

  it('keeps the earlier reading when no tick passed, so the next interval spans both', async () => {
    const sampler = createHostSampler(
      reader([reading(0, 0), reading(0, 0), reading(0, 0), reading(30, 100)]),
    );
    await sampler.start();
    await sampler.sample(0);
    await sampler.sample(1);
    await sampler.sample(2);
    expect((await sampler.finish()).series).toEqual([
      { second: 2, busy: 0.3, busyCores: 0.6, running: 1, load1: 0.5 },
    ]);
  });

  it('turns a failed read into a note, never a failed run', async () => {
    const atStart = createHostSampler(reader([new Error('ENOENT: /proc/stat')]));
    await atStart.start();
    await atStart.sample(1);
    expect(await atStart.finish()).toEqual({
      cpus: 0,
      series: [],
      notes: ["the machine's CPU cannot be read (ENOENT: /proc/stat)"],
    });
    const later = createHostSampler(reader([reading(0, 0), new Error('EIO')]));
    await later.start();
    await later.sample(1.25);
    await later.sample(2);
    expect((await later.finish()).notes).toEqual(["the machine's CPU could not be read at 1.3 s (EIO)"]);
  });
});
