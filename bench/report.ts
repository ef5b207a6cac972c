/**
 * @module bench/report — renders a BenchReport as one side-by-side markdown table, a CPU table and
 * notes, or as JSON.
 */
import type { FirehoseResult, FunctionResult, GatewayResult, HttpTargetFigures, IdleResult, LoadResult, RecordRate, ShadowResult, StreamFunctionResult, ThroughputResult } from './load/config.js';
import type { LatencySummary } from './load/histogram.js';
import type { BenchReport, Outcome, ScenarioReport } from './runner.js';
import { SCENARIOS, type FunctionScenario } from './scenarios.js';

/** A rendered cell and the number ratios are computed from (null when failed or not verified). */
interface Cell {
  text: string;
  value: number | null;
}

interface Row {
  label: string;
  cell: (outcome: Outcome | undefined) => Cell;
}

/** Ratio columns, numerator over denominator, each shown when both brokers ran. */
const RATIOS: ReadonlyArray<readonly [string, string]> = [
  ['hako', 'mosquitto'],
  ['hako', 'aedes'],
  ['hako-policy', 'hako'],
  ['hako-rules10', 'hako'],
  ['hako-rules100', 'hako'],
  ['hako-fleet100', 'hako'],
];
/** Other processes' CPU share (% of one core) above which a measurement gets a warning. */
const DISTURBED_PCT = 25;

export function renderJson(report: BenchReport): string {
  return JSON.stringify(report, null, 2);
}

export function renderMarkdown(report: BenchReport): string {
  const names = report.brokers.map((b) => b.name);
  const ratios = RATIOS.filter(([a, b]) => names.includes(a) && names.includes(b));
  const header = [
    `scenario (${report.options.payload}-byte payloads)`,
    ...report.brokers.map((b) => b.label),
    ...ratios.map(([a, b]) => `${a}/${b}`),
  ];
  const lines = [tableRow(header), tableRow(header.map(() => '---'))];
  const notes: string[] = [];
  for (const scenario of report.scenarios) {
    for (const row of rowsFor(scenario)) {
      const cells = names.map((name) => row.cell(scenario.outcomes[name]));
      const valueOf = (name: string): number | null => cells[names.indexOf(name)]?.value ?? null;
      lines.push(tableRow([row.label, ...cells.map((c) => c.text), ...ratios.map(([a, b]) => ratio(valueOf(a), valueOf(b)))]));
    }
    for (const name of names) notes.push(...notesFor(scenario, name));
  }
  notes.push(...skippedNotes(report), ...rulesTargetNotes(report));
  const out = [summaryLine(report), '', ...lines];
  const cpu = renderCpuTable(report);
  if (cpu.length > 0) {
    out.push('', 'CPU in the measurement window, % of one core: broker / load generator / everything else.');
    if (report.scenarios.some((s) => s.kind === 'function')) {
      out.push('In the fn-* rows the broker is hako with its function environments, and the load generator includes its anchor processes.');
    }
    if (report.scenarios.some((s) => s.kind === 'gateway')) {
      out.push("In the gateway-* rows: the gateway phase's window, hako with its function environments; the load generator is autocannon.");
    }
    if (report.scenarios.some((s) => s.kind === 'firehose')) {
      out.push("In the firehose-* rows: the window while sending (not the delivery tail), hako with DuckDB's threads.");
    }
    if (report.scenarios.some((s) => s.kind === 'stream-function')) out.push('In the stream-to-function row the broker is hako with its function environment.');
    out.push('');
    out.push(...cpu);
  }
  if (notes.length > 0) out.push('', ...[...new Set(notes)].map((n) => `- ${n}`));
  return out.join('\n');
}

function summaryLine(report: BenchReport): string {
  const { machine, options: o } = report;
  return (
    `hako bench, ${report.startedAt}: ${machine.cpus} × ${machine.model}, Node ${machine.node}, MQTT level ` +
    `${o.protocol}, ${o.seconds} s measured after ${o.warmupSeconds} s warm-up` +
    `${o.repeat > 1 ? ` (median of ${o.repeat})` : ''}, QoS 1 window ${o.window}, end-to-end window ` +
    `${o.endToEndWindow}; took ${report.elapsedSeconds} s. Ratios > 1 favour hako for msg/s, connections/s and updates/s, ` +
    '< 1 otherwise.'
  );
}

function rowsFor(scenario: ScenarioReport): Row[] {
  if (scenario.kind === 'throughput') {
    return [
      { label: `${scenario.title} (msg/s)`, cell: throughputCell },
      { label: `${scenario.title}: broker CPU per delivered message (µs)`, cell: cpuPerMessageCell },
    ];
  }
  if (scenario.kind === 'latency') {
    const at = `at ${formatCount(scenario.rate ?? 0)} msg/s`;
    return [
      { label: `${scenario.title}: p50 ${at} (ms)`, cell: (o) => latencyCell(o, 'p50Ms') },
      { label: `${scenario.title}: p99 ${at} (ms)`, cell: (o) => latencyCell(o, 'p99Ms') },
    ];
  }
  if (scenario.kind === 'tls-connect') {
    return [
      { label: `${scenario.title} (connections/s)`, cell: tlsConnectCell },
      { label: `${scenario.title}: p50 setup time (ms)`, cell: (o) => latencyCell(o, 'p50Ms') },
      { label: `${scenario.title}: p99 setup time (ms)`, cell: (o) => latencyCell(o, 'p99Ms') },
      { label: `${scenario.title}: broker CPU per connection (ms)`, cell: cpuPerConnectionCell },
    ];
  }
  if (scenario.kind === 'shadow') {
    return [
      { label: `${scenario.title} (accepted updates/s)`, cell: shadowRateCell },
      { label: `${scenario.title}: p50 / p90 / p99 / max to accepted (ms)`, cell: shadowLatencyCell },
      { label: `${scenario.title}: broker CPU per update (µs)`, cell: cpuPerUpdateCell },
    ];
  }
  if (scenario.kind === 'function') return functionRows(scenario);
  if (scenario.kind === 'gateway') return gatewayRows(scenario);
  if (scenario.kind === 'firehose') return firehoseRows(scenario);
  if (scenario.kind === 'stream-function') return streamFunctionRows(scenario);
  const connections = Object.values(scenario.outcomes).flatMap((o) =>
    o.ok && o.result.kind === 'idle' ? [o.result.connections] : [],
  )[0];
  const count = connections === undefined ? '' : `${connections.toLocaleString('en-US')} `;
  return [
    { label: `broker RSS with ${count}idle connections (MiB)`, cell: (o) => idleCell(o, rssMiB, 1) },
    { label: 'RSS growth per idle connection (KiB)', cell: (o) => idleCell(o, (r) => r.perConnectionKiB, 2) },
  ];
}

const rssMiB = (r: IdleResult): number => r.rssAfterKiB / 1024;

function throughputCell(outcome: Outcome | undefined): Cell {
  const r = throughputOf(outcome);
  if (r === null) return failedCell(outcome);
  const mark = !r.ok ? ' ✗' : r.lost > 0 ? ' †' : '';
  return { text: formatCount(r.deliveredPerSec) + mark, value: r.ok ? r.deliveredPerSec : null };
}

/**
 * The broker's CPU time per message a subscriber received: its cost per message whichever side was the
 * bottleneck, so brokers (or hako with and without rules) compare even when the generator set the pace.
 */
function cpuPerMessageCell(outcome: Outcome | undefined): Cell {
  const r = throughputOf(outcome);
  if (r === null) return failedCell(outcome);
  if (r.deliveredPerSec === 0) return { text: r.ok ? '—' : '— ✗', value: null };
  const value = (r.cpu.brokerPct * 10_000) / r.deliveredPerSec;
  return { text: value.toFixed(value < 10 ? 2 : 1) + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

function tlsConnectCell(outcome: Outcome | undefined): Cell {
  const r = timedOf(outcome);
  if (r === null || r.kind !== 'tls-connect') return failedCell(outcome);
  return { text: formatCount(r.connectsPerSec) + (r.ok ? '' : ' ✗'), value: r.ok ? r.connectsPerSec : null };
}

/** The broker's CPU time per connection set up: its cost, whichever side of the machine was the bottleneck. */
function cpuPerConnectionCell(outcome: Outcome | undefined): Cell {
  const r = timedOf(outcome);
  if (r === null || r.kind !== 'tls-connect' || r.connectsPerSec === 0) return failedCell(outcome);
  const value = (r.cpu.brokerPct * 10) / r.connectsPerSec;
  return { text: value.toFixed(2) + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

function shadowRateCell(outcome: Outcome | undefined): Cell {
  const r = shadowOf(outcome);
  if (r === null) return failedCell(outcome);
  return { text: formatCount(r.updatesPerSec) + (r.ok ? '' : ' ✗'), value: r.ok ? r.updatesPerSec : null };
}

/** Four figures in one cell, so a shadow scenario takes three rows, not six; no ratio. */
function shadowLatencyCell(outcome: Outcome | undefined): Cell {
  const r = shadowOf(outcome);
  if (r === null) return failedCell(outcome);
  if (r.latency.count === 0) return { text: r.ok ? '—' : '— ✗', value: null };
  const { p50Ms, p90Ms, p99Ms, maxMs } = r.latency;
  const text = [p50Ms, p90Ms, p99Ms, maxMs].map((ms) => ms.toFixed(ms < 10 ? 2 : 1)).join(' / ');
  return { text: text + (r.ok ? '' : ' ✗'), value: null };
}

/** The broker's CPU time per accepted update: what one update costs it, whatever the bottleneck. */
function cpuPerUpdateCell(outcome: Outcome | undefined): Cell {
  const r = shadowOf(outcome);
  if (r === null) return failedCell(outcome);
  if (r.updatesPerSec === 0) return { text: r.ok ? '—' : '— ✗', value: null }; // nothing accepted to divide by
  const value = (r.cpu.brokerPct * 10_000) / r.updatesPerSec;
  return { text: value.toFixed(0) + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

/**
 * A function scenario's rows. The anchors are rows of their own, in hako's column because they were
 * measured in hako's run, alternating with it; their labels say they are plain Node, not hako.
 */
function functionRows(scenario: ScenarioReport): Row[] {
  const { title } = scenario;
  const target = (figure: 'p50' | 'overhead'): string =>
    scenario.target?.figure === figure ? `; target < ${scenario.target.underMs}` : '';
  const mode = SCENARIOS.find((s): s is FunctionScenario => s.kind === 'function' && s.id === scenario.id)?.mode;
  if (mode === 'cold') {
    return [
      { label: `${title}: Invoke → answer, p50 / p99 (ms${target('p50')})`, cell: (o) => pairCell(o, (r) => r.latency) },
      { label: `${title}: of which Init Duration (spawn → first poll), p50 / p99 (ms)`, cell: (o) => pairCell(o, (r) => r.initDuration) },
      { label: `${title}: anchor, plain \`node -e\` spawn → exit, p50 / p99 (ms)`, cell: (o) => pairCell(o, (r) => r.anchor) },
    ];
  }
  if (mode === 'warm') {
    return [
      { label: `${title}: p50 / p99 (ms)`, cell: (o) => pairCell(o, (r) => r.latency) },
      { label: `${title}: anchor, plain Node HTTP echo round trip, p50 / p99 (ms)`, cell: (o) => pairCell(o, (r) => r.anchor) },
      { label: `${title}: overhead, hako p50 − anchor p50 (ms${target('overhead')})`, cell: overheadCell },
    ];
  }
  return [
    { label: `${title} (invocations/s)`, cell: invocationRateCell },
    { label: `${title}: p50 / p99 (ms)`, cell: (o) => pairCell(o, (r) => r.latency) },
    { label: `${title}: CPU per Invoke, hako + its environments (µs)`, cell: cpuPerInvokeCell },
  ];
}

/**
 * A gateway scenario's rows: the gateway's figures, then the two references measured in the same run (a direct
 * Invoke of the same function, and a bare fastify route, the limit), then what the issue's targets are about.
 */
function gatewayRows(scenario: ScenarioReport): Row[] {
  const { title } = scenario;
  const overhead = scenario.gatewayTargets?.overheadUnderMs;
  const share = scenario.gatewayTargets?.bareShareAtLeast;
  const gateway = (r: GatewayResult): HttpTargetFigures => r;
  const invoke = (r: GatewayResult): HttpTargetFigures => r.invoke;
  const bare = (r: GatewayResult): HttpTargetFigures => r.bare;
  return [
    { label: `${title} (requests/s)`, cell: rateCell(gateway) },
    { label: `${title}: p50 / p99 (ms)`, cell: latencyPairCell(gateway) },
    { label: `${title}: reference, direct Lambda Invoke of the function (requests/s)`, cell: rateCell(invoke) },
    { label: `${title}: reference, direct Lambda Invoke, p50 / p99 (ms)`, cell: latencyPairCell(invoke) },
    { label: `${title}: limit, bare fastify route in another process (requests/s)`, cell: rateCell(bare) },
    { label: `${title}: limit, bare fastify route, p50 / p99 (ms)`, cell: latencyPairCell(bare) },
    {
      label: `${title}: overhead, gateway p50 − Invoke p50 (ms${overhead === undefined ? '' : `; target < ${overhead}`})`,
      cell: (o) => gatewayCell(o, (r) => ({ text: formatMs(r.overheadP50Ms), value: r.overheadP50Ms })),
    },
    {
      label: `${title}: share of the bare route's requests/s${share === undefined ? '' : ` (target ≥ ${share * 100} %)`}`,
      cell: (o) => gatewayCell(o, (r) => ({ text: `${(r.bareShare * 100).toFixed(1)} %`, value: r.bareShare })),
    },
    {
      label: `${title}: CPU per request, hako + environments: gateway / Invoke (µs)`,
      cell: (o) => gatewayCell(o, (r) => ({ text: `${r.cpuPerRequestUs} / ${r.invoke.cpuPerRequestUs}`, value: r.cpuPerRequestUs })),
    },
  ];
}

const rateCell =
  (pick: (r: GatewayResult) => HttpTargetFigures) =>
  (outcome: Outcome | undefined): Cell =>
    gatewayCell(outcome, (r) => ({ text: formatCount(pick(r).requestsPerSec), value: pick(r).requestsPerSec }));

const latencyPairCell =
  (pick: (r: GatewayResult) => HttpTargetFigures) =>
  (outcome: Outcome | undefined): Cell =>
    gatewayCell(outcome, (r) => {
      const { p50Ms, p99Ms } = pick(r).latency;
      return { text: `${formatMs(p50Ms)} / ${formatMs(p99Ms)}`, value: p50Ms };
    });

/** A cell of a gateway result, marked ✗ (and left out of ratios) when the run found problems. */
function gatewayCell(outcome: Outcome | undefined, pick: (r: GatewayResult) => Cell): Cell {
  const r = outcome?.ok === true && outcome.result.kind === 'gateway' ? outcome.result : null;
  if (r === null) return failedCell(outcome);
  const cell = pick(r);
  return { text: cell.text + (r.ok ? '' : ' ✗'), value: r.ok ? cell.value : null };
}

/** The API gateway issue's targets that `scenario` judges, met or missed. */
function gatewayTargetNotes(scenario: ScenarioReport, name: string, r: GatewayResult): string[] {
  const { overheadUnderMs, bareShareAtLeast } = scenario.gatewayTargets ?? {};
  const verdict = (met: boolean): string => (r.ok && met ? 'met' : 'missed');
  const notes: string[] = [];
  if (overheadUnderMs !== undefined) {
    notes.push(`${name}, ${scenario.id}: gateway overhead p50 ${formatMs(r.overheadP50Ms)} ms over a direct Invoke, target under ${overheadUnderMs} ms: ${verdict(r.overheadP50Ms < overheadUnderMs)}`);
  }
  if (bareShareAtLeast !== undefined) {
    notes.push(`${name}, ${scenario.id}: ${(r.bareShare * 100).toFixed(1)} % of the bare fastify route's requests/s, target at least ${bareShareAtLeast * 100} %: ${verdict(r.bareShare >= bareShareAtLeast)}`);
  }
  return notes;
}

/**
 * A Firehose scenario's rows: what hako acknowledged and delivered, the limit (a plain write stream of the same
 * bytes, in the generator), and the ratio the streams issue's target is about.
 */
function firehoseRows(scenario: ScenarioReport): Row[] {
  const { title } = scenario;
  const atLeast = scenario.firehoseTargets?.recordsPerSecAtLeast;
  const atMost = scenario.firehoseTargets?.plainRatioAtMost;
  const rate = (pick: (r: FirehoseResult) => RecordRate) => (o: Outcome | undefined): Cell =>
    firehoseCell(o, (r) => ({ text: `${formatCount(pick(r).recordsPerSec)} (${pick(r).mbPerSec.toFixed(1)} MB/s)`, value: pick(r).recordsPerSec }));
  return [
    { label: `${title}: acknowledged, records/s (MB/s)${atLeast === undefined ? '' : `; target ≥ ${formatCount(atLeast)}`}`, cell: rate((r) => r.acked) },
    { label: `${title}: delivered, window start → every record in the folder, records/s (MB/s)`, cell: rate((r) => r.delivered) },
    {
      label: `${title}: delivery tail, last answer → every record in the folder (ms); objects written`,
      cell: (o) => firehoseCell(o, (r) => ({ text: `${r.deliveryTailMs} ms; ${r.objects}`, value: r.deliveryTailMs })),
    },
    {
      label: `${title}: PutRecordBatch call, p50 / p99 (ms)`,
      cell: (o) => firehoseCell(o, (r) => ({ text: `${formatMs(r.latency.p50Ms)} / ${formatMs(r.latency.p99Ms)}`, value: r.latency.p50Ms })),
    },
    { label: `${title}: limit, plain Node write stream of the same bytes${scenario.id === 'firehose-gzip' ? ' through zlib' : ''}, records/s (MB/s)`, cell: rate((r) => r.plain) },
    {
      label: `${title}: plain write ÷ hako acknowledged${atMost === undefined ? '' : ` (target ≤ ${atMost}×)`}`,
      cell: (o) => firehoseCell(o, (r) => ({ text: `${r.plainRatio.toFixed(2)}×`, value: r.plainRatio })),
    },
    ...(scenario.id === 'firehose-parquet'
      ? [
          { label: `${title}: limit with the encoder, the same records through DuckDB's Parquet writer alone (NDJSON file → COPY, fsync), records/s (MB/s)`, cell: rate((r) => r.plainParquet ?? { recordsPerSec: 0, mbPerSec: 0 }) },
          {
            label: `${title}: DuckDB alone ÷ hako acknowledged${atMost === undefined ? '' : ` (target ≤ ${atMost}×, the encoder in the limit as zlib is in gzip's)`}`,
            cell: (o: Outcome | undefined) => firehoseCell(o, (r) => ({ text: `${(r.plainParquetRatio ?? 0).toFixed(2)}×`, value: r.plainParquetRatio ?? 0 })),
          },
        ]
      : []),
    {
      label: `${title}: hako CPU per record, ingest and delivery (µs)`,
      cell: (o) => firehoseCell(o, (r) => ({ text: r.cpuPerRecordUs.toFixed(2), value: r.cpuPerRecordUs })),
    },
  ];
}

/** A cell of a Firehose result, marked ✗ (and left out of ratios) when the run found problems. */
function firehoseCell(outcome: Outcome | undefined, pick: (r: FirehoseResult) => Cell): Cell {
  const r = outcome?.ok === true && outcome.result.kind === 'firehose' ? outcome.result : null;
  if (r === null) return failedCell(outcome);
  const cell = pick(r);
  return { text: cell.text + (r.ok ? '' : ' ✗'), value: r.ok ? cell.value : null };
}

/** The streams issue's ingest targets, met or missed. */
function firehoseTargetNotes(scenario: ScenarioReport, name: string, r: FirehoseResult): string[] {
  const { recordsPerSecAtLeast, plainRatioAtMost } = scenario.firehoseTargets ?? {};
  const verdict = (met: boolean): string => (r.ok && met ? 'met' : 'missed');
  const notes: string[] = [];
  if (recordsPerSecAtLeast !== undefined) {
    notes.push(`${name}, ${scenario.id}: ${formatCount(r.acked.recordsPerSec)} records/s acknowledged, target at least ${formatCount(recordsPerSecAtLeast)}: ${verdict(r.acked.recordsPerSec >= recordsPerSecAtLeast)}`);
    notes.push(`${name}, ${scenario.id}: ${formatCount(r.delivered.recordsPerSec)} records/s delivered into the folder, target at least ${formatCount(recordsPerSecAtLeast)}: ${verdict(r.delivered.recordsPerSec >= recordsPerSecAtLeast)}`);
  }
  if (plainRatioAtMost !== undefined) {
    notes.push(`${name}, ${scenario.id}: the plain write stream wrote the same bytes ${r.plainRatio.toFixed(2)}× as fast as hako acknowledged them, target at most ${plainRatioAtMost}×: ${verdict(r.plainRatio <= plainRatioAtMost)}`);
    if (r.plainParquetRatio !== undefined) notes.push(`${name}, ${scenario.id}: DuckDB alone turned the same records into Parquet ${r.plainParquetRatio.toFixed(2)}× as fast as hako acknowledged them, target at most ${plainRatioAtMost}× (the limit with the encoder, as gzip's has zlib): ${verdict(r.plainParquetRatio <= plainRatioAtMost)}`);
  }
  return notes;
}

/** The stream-to-function scenario's rows: the latency to the function, and PutRecord's own for reference. */
function streamFunctionRows(scenario: ScenarioReport): Row[] {
  const { title } = scenario;
  const pair = (pick: (r: StreamFunctionResult) => LatencySummary) => (outcome: Outcome | undefined): Cell => {
    const r = outcome?.ok === true && outcome.result.kind === 'stream-function' ? outcome.result : null;
    if (r === null) return failedCell(outcome);
    const latency = pick(r);
    if (latency.count === 0) return { text: r.ok ? '—' : '— ✗', value: null };
    return { text: `${formatMs(latency.p50Ms)} / ${formatMs(latency.p99Ms)}${r.ok ? '' : ' ✗'}`, value: r.ok ? latency.p50Ms : null };
  };
  return [
    { label: `${title}: PutRecord sent → function ran, p50 / p99 (ms)`, cell: pair((r) => r.latency) },
    { label: `${title}: reference, PutRecord sent → its answer, p50 / p99 (ms)`, cell: pair((r) => r.putLatency) },
  ];
}

/** `p50 / p99` of one of a function result's latencies; the value (for ratios) is the p50. */
function pairCell(outcome: Outcome | undefined, pick: (r: FunctionResult) => LatencySummary | undefined): Cell {
  const r = functionOf(outcome);
  if (r === null) return failedCell(outcome);
  const latency = pick(r);
  if (latency === undefined || latency.count === 0) return { text: r.ok ? '—' : '— ✗', value: null };
  const text = [latency.p50Ms, latency.p99Ms].map(formatMs).join(' / ');
  return { text: text + (r.ok ? '' : ' ✗'), value: r.ok ? latency.p50Ms : null };
}

function overheadCell(outcome: Outcome | undefined): Cell {
  const r = functionOf(outcome);
  if (r === null) return failedCell(outcome);
  const value = r.overheadP50Ms;
  if (value === undefined) return { text: r.ok ? '—' : '— ✗', value: null };
  return { text: formatMs(value) + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

function invocationRateCell(outcome: Outcome | undefined): Cell {
  const r = functionOf(outcome);
  if (r === null) return failedCell(outcome);
  return { text: formatCount(r.invocationsPerSec) + (r.ok ? '' : ' ✗'), value: r.ok ? r.invocationsPerSec : null };
}

/** CPU time of hako and its environment processes per answered Invoke, with the environments' share. */
function cpuPerInvokeCell(outcome: Outcome | undefined): Cell {
  const r = functionOf(outcome);
  if (r === null) return failedCell(outcome);
  if (r.invocationsPerSec === 0) return { text: r.ok ? '—' : '— ✗', value: null };
  const perInvoke = (pct: number): number => (pct * 10_000) / r.invocationsPerSec;
  const value = perInvoke(r.cpu.brokerPct);
  const text = `${value.toFixed(0)} (environments ${perInvoke(r.cpu.environmentsPct).toFixed(0)})`;
  return { text: text + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

/** `<name> <figure> ms: target under <n> ms met|missed`, for a scenario with a target. */
function targetNote(scenario: ScenarioReport, name: string, r: FunctionResult): string | undefined {
  const { target } = scenario;
  if (target === undefined) return undefined;
  const figure = target.figure === 'p50' ? (r.latency.count > 0 ? r.latency.p50Ms : undefined) : r.overheadP50Ms;
  if (figure === undefined) return undefined;
  const verdict = r.ok && figure < target.underMs ? 'met' : 'missed';
  return `${name}, ${scenario.id}: ${target.name} ${formatMs(figure)} ms, target under ${target.underMs} ms: ${verdict}`;
}

function latencyCell(outcome: Outcome | undefined, key: 'p50Ms' | 'p99Ms'): Cell {
  const r = timedOf(outcome);
  if (r === null) return failedCell(outcome);
  const value = r.latency[key];
  return { text: value.toFixed(value < 10 ? 2 : 1) + (r.ok ? '' : ' ✗'), value: r.ok ? value : null };
}

function idleCell(outcome: Outcome | undefined, pick: (r: IdleResult) => number, digits: number): Cell {
  if (outcome === undefined || !outcome.ok || outcome.result.kind !== 'idle') return failedCell(outcome);
  const value = pick(outcome.result);
  return { text: value.toFixed(digits) + (outcome.result.ok ? '' : ' ✗'), value: outcome.result.ok ? value : null };
}

function failedCell(outcome: Outcome | undefined): Cell {
  if (outcome === undefined) return { text: '—', value: null };
  const reason = outcome.ok ? 'unexpected result' : outcome.error;
  return { text: `failed: ${reason.length <= 60 ? reason : `${reason.slice(0, 59)}…`}`, value: null };
}

function throughputOf(outcome: Outcome | undefined): ThroughputResult | null {
  return outcome?.ok === true && outcome.result.kind === 'throughput' ? outcome.result : null;
}

function functionOf(outcome: Outcome | undefined): FunctionResult | null {
  return outcome?.ok === true && outcome.result.kind === 'function' ? outcome.result : null;
}

function shadowOf(outcome: Outcome | undefined): ShadowResult | null {
  return outcome?.ok === true && outcome.result.kind === 'shadow' ? outcome.result : null;
}

/** A result with a measurement window: latencies and CPU shares. */
function timedOf(outcome: Outcome | undefined): Exclude<LoadResult, IdleResult> | null {
  return outcome?.ok === true && outcome.result.kind !== 'idle' ? outcome.result : null;
}

function notesFor(scenario: ScenarioReport, name: string): string[] {
  const outcome = scenario.outcomes[name];
  if (outcome === undefined) return [];
  if (!outcome.ok) return [`${name}: failed: ${outcome.error}`];
  const r = outcome.result;
  const notes = r.problems.map((p) => `✗ ${name}, ${scenario.id}: ${p}`);
  if (r.kind === 'throughput' && r.lost > 0) {
    notes.push(`† ${name}, ${scenario.id}: lost ${r.lost} of ${r.expected} QoS 0 deliveries`);
  }
  if (r.kind !== 'idle' && r.cpu.otherPct > DISTURBED_PCT) {
    notes.push(`${name}, ${scenario.id}: disturbed, other processes used ${r.cpu.otherPct}% of a core`);
  }
  if (r.kind === 'function') {
    const note = targetNote(scenario, name, r);
    if (note !== undefined) notes.push(note);
  }
  if (r.kind === 'gateway') notes.push(...gatewayTargetNotes(scenario, name, r));
  if (r.kind === 'firehose') notes.push(...firehoseTargetNotes(scenario, name, r));
  if (r.kind === 'tls-connect') {
    const what = name === 'forwarder' ? " (Node's tls.createServer answering CONNECT with a canned CONNACK)" : '';
    notes.push(`${name}, ${scenario.id}${what}: ${r.negotiated}`);
  }
  return notes;
}

/** The rules issue's target: with 100 rules, throughput within 25 % of hako without rules. */
const RULES_TARGET = { brokers: ['hako-rules100', 'hako-fleet100'], base: 'hako', atLeast: 0.75 };

function rulesTargetNotes(report: BenchReport): string[] {
  const { brokers, base, atLeast } = RULES_TARGET;
  return brokers.flatMap((broker) => report.scenarios.filter((s) => s.kind === 'throughput').flatMap((scenario) => {
    const ours = throughputOf(scenario.outcomes[broker]);
    const theirs = throughputOf(scenario.outcomes[base]);
    if (ours === null || theirs === null || !theirs.ok || theirs.deliveredPerSec === 0) return [];
    const share = ours.deliveredPerSec / theirs.deliveredPerSec;
    const verdict = ours.ok && share >= atLeast ? 'met' : 'missed';
    return [`${broker}, ${scenario.id}: ${(share * 100).toFixed(0)} % of ${base}'s msg/s, target at least ${atLeast * 100} %: ${verdict}`];
  }));
}

/** One note per broker and reason, naming every scenario it was left out of, e.g. `mosquitto: no Device Shadow (— in shadow-mqtt, shadow-http)`. */
function skippedNotes(report: BenchReport): string[] {
  const scenariosByNote = new Map<string, string[]>();
  for (const scenario of report.scenarios) {
    for (const [name, reason] of Object.entries(scenario.skipped)) {
      const key = `${name}: ${reason}`;
      scenariosByNote.set(key, [...(scenariosByNote.get(key) ?? []), scenario.id]);
    }
  }
  return [...scenariosByNote].map(([note, ids]) => `${note} (— in ${ids.join(', ')})`);
}

function renderCpuTable(report: BenchReport): string[] {
  const scenarios = report.scenarios.filter((s) => s.kind !== 'idle');
  if (scenarios.length === 0) return [];
  const header = ['scenario', ...report.brokers.map((b) => b.name)];
  const lines = [tableRow(header), tableRow(header.map(() => '---'))];
  for (const scenario of scenarios) {
    const cells = report.brokers.map((b) => {
      const cpu = timedOf(scenario.outcomes[b.name])?.cpu;
      return cpu === undefined ? '—' : [cpu.brokerPct, cpu.loadPct, cpu.otherPct].map(Math.round).join(' / ');
    });
    lines.push(tableRow([scenario.id, ...cells]));
  }
  return lines;
}

function ratio(hako: number | null, base: number | null): string {
  return hako === null || base === null || base === 0 ? '—' : `${(hako / base).toFixed(2)}×`;
}

const formatMs = (ms: number): string => ms.toFixed(Math.abs(ms) < 10 ? 2 : 1);

function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(2)}M`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}

const tableRow = (cells: string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
