import { performance } from "node:perf_hooks";
import { addCounts, type Counts, zeroCounts } from "./bookkeeping.js";
import type { MigrationContext, ProgressEvent } from "./context.js";
import type { ItemKey } from "./definition.js";

const KEPT_KEYS = 20;

/** What one invocation has done so far, reported to `context.progress` as it goes. */
export class Tally {
  readonly counts: Counts = zeroCounts();
  /** Writes that lost their condition to a concurrent write (the item was re-read). */
  conflicts = 0;
  /** Throttled or conflicting requests sent again after a backoff. */
  retries = 0;
  /** The first few skipped items' keys. */
  readonly skippedKeys: ItemKey[] = [];
  segmentsDone = 0;
  private readonly started = performance.now();

  constructor(
    private readonly context: MigrationContext,
    private readonly migrationId: string,
    private readonly action: ProgressEvent["action"],
    private readonly totalSegments: number,
  ) {}

  readonly onRetry = () => {
    this.retries++;
  };

  add(counts: Partial<Counts>): void {
    addCounts(this.counts, counts);
    this.emit();
  }

  skip(key: ItemKey): void {
    if (this.skippedKeys.length < KEPT_KEYS) this.skippedKeys.push(key);
  }

  segmentDone(): void {
    this.segmentsDone++;
    this.emit();
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }

  emit(extra: Record<string, number> = {}): void {
    this.context.progress?.({
      migrationId: this.migrationId,
      action: this.action,
      counts: { ...this.counts, conflicts: this.conflicts, retries: this.retries, ...extra },
      segmentsDone: this.segmentsDone,
      totalSegments: this.totalSegments,
      elapsedMs: this.elapsedMs,
    });
  }
}
