import { parseDuration } from '../core/duration.js';
import type { Stage } from './schedule.js';

/**
 * Parses `10s:100,30s:1000,10s:0` into stages.
 *
 * @returns the stages, or a message saying what is wrong.
 */
export function parseStages(text: string): Stage[] | string {
  const stages: Stage[] = [];
  for (const part of text.split(',')) {
    const [duration, target, extra] = part.trim().split(':');
    const durationMs = duration === undefined ? undefined : parseDuration(duration);
    const value = Number(target);
    if (
      extra !== undefined ||
      durationMs === undefined ||
      durationMs <= 0 ||
      target === undefined ||
      target.trim() === '' ||
      !Number.isFinite(value) ||
      value < 0
    ) {
      return `"${part.trim()}" is not DURATION:TARGET (e.g. 10s:100)`;
    }
    stages.push({ durationMs, target: value });
  }
  return stages;
}
