import { describe, expect, it } from 'vitest';
import { parseHostCpu, parseProcessStat, readHostCpu } from '../../../src/core/signals/proc-stat.js';

describe('/proc readers', () => {
  it('reads the machine: CPUs, busy and total ticks (idle and iowait are not busy), runnable threads, load', () => {
    const stat = [
      'cpu  20858 10 8313 41744 478 0 216 80 7 0',
      'cpu0 10445 5 3441 21736 98 0 53 41 7 0',
      'cpu1 10413 5 4872 20008 380 0 163 39 0 0',
      'intr 656878 0 0',
      'ctxt 2971392',
      'btime 1796540301',
      'processes 13159',
      'procs_running 14',
      'procs_blocked 0',
    ].join('\n');
    const r = parseHostCpu(stat, '5.62 2.29 0.94 12/314 13159\n');
    expect(r.cpus).toBe(2);
    // user nice system idle iowait irq softirq steal (guest is inside user already).
    expect(r.totalTicks).toBe(20858 + 10 + 8313 + 41744 + 478 + 0 + 216 + 80);
    expect(r.busyTicks).toBe(20858 + 10 + 8313 + 216 + 80);
    expect(r.running).toBe(14);
    expect(r.load1).toBe(5.62);
    expect(r.bootTime).toBe(1796540301);
  });

  it('reads a process whose name holds spaces and parentheses', () => {
    const stat =
      '4242 (postgres: app (x) idle) S 2231 2231 2231 0 -1 4194560 300 0 0 0 150 25 7 3 20 0 1 0 998877 229376000 3000 18446744073709551615';
    expect(parseProcessStat(stat)).toEqual({
      name: 'postgres: app (x) idle',
      ppid: 2231,
      cpuTicks: 175,
      childTicks: 10,
      startTicks: 998877,
      rssPages: 3000,
    });
  });

  it.skipIf(process.platform !== 'linux')(
    'reads this machine’s counters at once, with no promise (Linux only: elsewhere there is no /proc to read)',
    () => {
      const r = readHostCpu();
      expect(r).not.toBeInstanceOf(Promise);
      expect(r.cpus).toBeGreaterThanOrEqual(1);
      expect(r.totalTicks).toBeGreaterThan(0);
      expect(r.busyTicks).toBeGreaterThan(0);
      expect(r.busyTicks).toBeLessThanOrEqual(r.totalTicks);
      expect(r.bootTime).toBeGreaterThan(0);
    },
  );
});
