import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../../src/cli/cli-context.js';
import { checkOutputFile } from '../../src/cli/commands/output-file.js';

const ctx = (cwd: string) => ({ io: { cwd } }) as unknown as CliContext;

describe('checkOutputFile', () => {
  it('leaves no file behind when it probes a new path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-output-file-'));
    expect(checkOutputFile(ctx(dir), '--html', 'r.html')).toBe(join(dir, 'r.html'));
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });

  it('does not truncate an existing file (a run may still fail before writing it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenon-output-file-'));
    writeFileSync(join(dir, 'old.json'), '{"kept":true}');
    checkOutputFile(ctx(dir), '--out', 'old.json');
    expect(readFileSync(join(dir, 'old.json'), 'utf8')).toBe('{"kept":true}');
  });

  it.runIf(process.platform === 'linux')(
    'refuses a folder that takes no new file even for root (/proc)',
    () => {
      expect(() => checkOutputFile(ctx('/'), '--html', '/proc/tenon-r.html')).toThrow(
        expect.objectContaining({ code: 'TENON_LOAD_OUTPUT_INVALID' }),
      );
    },
  );
});
