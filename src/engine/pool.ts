import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { WORKER_LIMITS } from './heap.js';
import type { EngineSettings } from './setup.js';
import type { ChunkResult, ChunkTask } from './task.js';

const WORKER = new URL('./worker.js', import.meta.url).href;

/** What a worker asks for on the settings channel once it listens, and what it is sent (see WorkerPool). */
export const SETTINGS_WANTED = 'settings wanted';
export interface SettingsMessage {
  kind: 'settings';
  settings: EngineSettings;
}

/** What the pool gives its workers at start: the name of the channel their settings come on. */
export interface PoolData {
  settingsChannel: string;
}

export function isSettingsMessage(data: unknown): data is SettingsMessage {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'settings';
}

/**
 * The run's worker threads, started before the run's settings are known. A worker takes about 0.2 s to
 * start (Node's own modules, then ours) and the main thread as long to read a caseload of 40,000 rows:
 * started after it, as piscina's `workerData` would have them, the workers began their first chunk 0.6 s
 * into a run of 3.5. So each worker starts at once, then waits for its settings on a BroadcastChannel of
 * the pool's own: `configure` sends them when they are ready, and again to a worker that asks later (a
 * message reaches only the threads listening when it is sent).
 */
export class WorkerPool {
  readonly #pool: Piscina;
  readonly #channel: BroadcastChannel;
  #message: SettingsMessage | null = null;
  #failure: Error | null = null;
  #destroyed: Promise<void> | null = null;

  constructor(readonly size: number) {
    const settingsChannel = `suwinet-audit settings ${randomUUID()}`;
    this.#channel = new BroadcastChannel(settingsChannel);
    // The channel waits for workers; it must not keep the process alive on its own.
    this.#channel.unref();
    this.#channel.onmessage = (event) => {
      if ((event as MessageEvent).data === SETTINGS_WANTED && this.#message !== null) this.#channel.postMessage(this.#message);
    };
    const workerData: PoolData = { settingsChannel };
    this.#pool = new Piscina({
      filename: WORKER,
      minThreads: size,
      maxThreads: size,
      workerData,
      idleTimeout: Infinity,
      resourceLimits: WORKER_LIMITS,
    });
    // A worker that fails outside a task (its engine cannot be built there, say) is reported by the pool, not
    // by a task: without a listener that would crash the process. Stopping the pool makes the waiting tasks
    // fail, and the run reports the pool's reason (see failure).
    this.#pool.on('error', (error: Error) => {
      this.#failure ??= error;
      void this.#pool.destroy();
    });
  }

  /** Sends the workers their engine settings (plain data): each builds its engine from them, once. */
  configure(settings: EngineSettings): void {
    if (this.#message !== null) throw new Error('the worker pool is configured already');
    this.#message = { kind: 'settings', settings };
    this.#channel.postMessage(this.#message);
  }

  /**
   * Evaluates a chunk in a worker. Bytes in shared memory (see ChunkBuffers) are shared with it; others are
   * transferred there, and come back with the result.
   */
  run(task: ChunkTask): Promise<ChunkResult> {
    const { buffer } = task.bytes;
    return this.#pool.run(task, buffer instanceof ArrayBuffer ? { transferList: [buffer] } : {}) as Promise<ChunkResult>;
  }

  /** Why a worker failed outside a task, if one did. */
  get failure(): Error | null {
    return this.#failure;
  }

  /**
   * Stops the workers; safe to call more than once. The channel stays open (it does not keep the process
   * alive): piscina replaces a worker that fails as it is being stopped, and that one must get its settings
   * like any other, to fail or go idle, or it would wait for them for good and keep the process running.
   */
  destroy(): Promise<void> {
    this.#destroyed ??= this.#pool.destroy();
    return this.#destroyed;
  }
}

/** A pool of `count` workers, or null for none (everything runs in the main thread). */
export function startWorkers(count: number): WorkerPool | null {
  return count > 0 ? new WorkerPool(count) : null;
}
