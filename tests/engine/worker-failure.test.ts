import { describe, expect, it } from 'vitest';
import { workerFailureHint } from '../../src/engine/analyze.js';
import { WORKER_LIMITS } from '../../src/engine/heap.js';

describe('workerFailureHint', () => {
  it('tells a worker that ran out of its heap apart: running it again would fail the same way', () => {
    // What Node gives when a worker reaches its resource limits (seen with a plugin that keeps every lookup).
    const outOfMemory = Object.assign(new Error('Worker terminated due to reaching memory limit: JS heap out of memory'), {
      code: 'ERR_WORKER_OUT_OF_MEMORY',
    });
    const hint = workerFailureHint(outOfMemory);
    expect(hint).toContain(`${WORKER_LIMITS.maxOldGenerationSizeMb} MB`);
    expect(hint).toContain('--workers 0');
    expect(hint).not.toContain('run again');
  });

  it('asks for another run, and a report, for any other failure', () => {
    expect(workerFailureHint(new Error('worker exited with code 1'))).toBe('run again; if it fails again, run with --workers 0 --debug and report the message');
  });
});
