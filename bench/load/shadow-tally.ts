/**
 * @module bench/load/shadow-tally — what the things of one shadow run share, whichever transport carries
 * their updates: the update document, the counts, the latency histogram and the problem list.
 */
import { Histogram } from './histogram.js';

/** One thing's connection (MQTT) or request stream (HTTP) to hako. */
export interface ShadowThing {
  /** Updates sent and not answered yet. */
  readonly unanswered: number;
  /** Sends one update, unless the run has stopped sending; an answer sends the next. */
  send(): void;
  close(): void;
}

/**
 * The next update of thing `index`: `reported` changes every time (so every update writes the document),
 * and the clientToken `<index>-<seq>` comes back in the answer to match it with its send time.
 */
export function shadowUpdate(index: number, seq: number): { clientToken: string; body: string } {
  const clientToken = `${index}-${seq}`;
  // A template rather than JSON.stringify: the same bytes, for less of the generator's CPU.
  const body = `{"state":{"reported":{"temperature":${20 + (seq % 10)},"seq":${seq}}},"clientToken":"${clientToken}"}`;
  return { clientToken, body };
}

export class ShadowTally {
  readonly histogram = new Histogram();
  readonly problems: string[] = [];
  sent = 0;
  accepted = 0;
  rejected = 0;
  /** MQTT: PUBACKs received (each update is a QoS 1 PUBLISH). */
  acked = 0;
  /** Updates in flight on a connection that failed: never answered, never sent again. */
  lost = 0;
  /** Record latencies only inside the measurement window. */
  recording = false;
  /** Set after the window: answers no longer trigger new updates. */
  stopped = false;
  /** Set once the run closes its own connections, so closes stop being problems. */
  closing = false;

  /** `sentAt` is the `performance.now()` of the PUBLISH or request. */
  accept(sentAt: number): void {
    this.accepted++;
    if (this.recording) this.histogram.record((performance.now() - sentAt) * 1000);
  }

  /** `detail` (status, error document) of the first rejection goes into the problems. */
  reject(detail: string): void {
    if (++this.rejected === 1) this.report(`first rejection: ${detail}`);
  }

  /** Records a problem once per distinct message (a broken run would otherwise repeat it per update). */
  report(problem: string): void {
    if (!this.problems.includes(problem) && this.problems.length < 20) this.problems.push(problem);
  }
}
