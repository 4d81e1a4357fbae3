import { describe, expect, it } from 'vitest';
import { createProgress } from '../../../src/cli/output/progress.js';

function sink() {
  const out = { text: '', write: (t: string) => (out.text += t) };
  return out;
}

describe('createProgress', () => {
  it('prints milestones and lines as plain lines when stderr is not a terminal, and no live updates', () => {
    const err = sink();
    const p = createProgress(err, false, { columns: 80 });
    p.milestone('applying 1_a.sql');
    p.update('1_a.sql: statement 1/3');
    p.line('warning: slow');
    p.done();
    expect(err.text).toBe('applying 1_a.sql\nwarning: slow\n');
    expect(err.text).not.toContain('\x1b');
  });

  it('draws one live line on a terminal, throttles updates, clears it before a line', () => {
    const err = sink();
    let now = 0;
    const p = createProgress(err, true, { columns: 20, now: () => now });
    p.milestone('step one');
    now = 50;
    p.update('too soon');
    now = 150;
    p.update('a long update that does not fit in twenty columns');
    p.line('done');
    p.done();
    expect(err.text).toBe('\r\x1b[2Kstep one' + '\r\x1b[2Ka long update that ' + '\r\x1b[2Kdone\n');
  });

  it('never drops a milestone on a terminal, however soon it follows', () => {
    const err = sink();
    const p = createProgress(err, true, { columns: 80, now: () => 0 });
    p.milestone('one');
    p.milestone('two');
    expect(err.text).toBe('\r\x1b[2Kone\r\x1b[2Ktwo');
  });
});
