import type { Floor } from "./floor.js";
import type { Latency, StepOutcome } from "./stats.js";

/** One offered rate's figures, as the JSON result holds them. */
export interface StepResult extends StepOutcome {
  seconds: number;
  accepted: number;
  completed: number;
  failed: number;
  refused: Record<string, number>;
  cpuMsPerSaga: Record<string, number>;
  relayLagMs: { p50: number; p99: number };
  commitsPerSaga: number;
  recordsPerSaga: number;
  commitsPerSecond: number;
}

export interface BenchResult {
  startedAt: string;
  machine: { cpus: number; node: string };
  floor: Floor;
  steps: StepResult[];
  /** Offered rates not tried because a lower one already fell behind. */
  skipped: number[];
  highestSustainedP99Within250Ms: number;
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(value < 10 ? 1 : 0) : "—");
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}×` : "—");
const total = (cpu: Record<string, number>) => Object.values(cpu).reduce((a, b) => a + b, 0);

function latencyCells(latency: Latency): string[] {
  return [ms(latency.p50), ms(latency.p95), ms(latency.p99), ms(latency.max)];
}

/** The run as markdown: a table per concern, each figure beside its ratio to the machine's floor. */
export function renderMarkdown(result: BenchResult): string {
  const { floor, steps } = result;
  const rtt = floor.kafkaPingPong.latency.p50;
  const lines = [
    `# Benchmark ${result.startedAt}`,
    "",
    `${result.machine.cpus} CPUs, Node ${result.machine.node}. Latency is from the order accepted (202) to the saga's SagaCompleted record; CPU is every process of the system, per completed saga, over the step and its drain.`,
    "",
    "## The machine's floor, measured in this run",
    "",
    `- pgbench, outbox-shaped transaction (UPDATE + 300-byte INSERT), ${floor.pgbench.clients} clients, ${floor.pgbench.seconds} s: **${floor.pgbench.tps.toFixed(0)} TPS**, ${floor.pgbench.cpuMsPerTransaction.toFixed(3)} ms of PostgreSQL CPU per transaction`,
    `- kafkajs produce → consume ping-pong (idempotent, acks=all), ${floor.kafkaPingPong.roundTrips} round trips: p50 **${ms(rtt)} ms**, p99 ${ms(floor.kafkaPingPong.latency.p99)} ms`,
    "",
    "## Per offered rate",
    "",
    "| offered/s | achieved/s | accepted | completed | unfinished | p50 ms | p95 ms | p99 ms | max ms | p50 ÷ Kafka RTT | CPU ms/saga | ÷ pgbench txn CPU | relay lag p50/p99 ms | commits/saga | commits/s ÷ pgbench TPS | records/saga |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...steps
      .map((s) =>
        [
          s.offeredPerSecond,
          s.achievedPerSecond.toFixed(1),
          s.accepted,
          s.completed,
          s.unfinished,
          ...latencyCells(s.latency),
          ratio(s.latency.p50 / rtt),
          ms(total(s.cpuMsPerSaga)),
          ratio(total(s.cpuMsPerSaga) / floor.pgbench.cpuMsPerTransaction),
          `${ms(s.relayLagMs.p50)} / ${ms(s.relayLagMs.p99)}`,
          s.commitsPerSaga.toFixed(1),
          `${((100 * s.commitsPerSecond) / floor.pgbench.tps).toFixed(0)} %`,
          s.recordsPerSaga.toFixed(1),
        ].join(" | "),
      )
      .map((row) => `| ${row} |`),
    "",
    `Highest rate sustained with p99 ≤ 250 ms: **${result.highestSustainedP99Within250Ms}/s**.${
      result.skipped.length > 0
        ? ` Not tried (a lower rate already fell behind): ${result.skipped.join(", ")}/s.`
        : ""
    }`,
    "",
    "## CPU ms per saga, by process",
    "",
  ];
  const parts = Object.keys(steps[0]?.cpuMsPerSaga ?? {});
  lines.push(
    `| offered/s | ${parts.join(" | ")} |`,
    `|---:|${parts.map(() => "---:").join("|")}|`,
    ...steps.map(
      (s) =>
        `| ${s.offeredPerSecond} | ${parts.map((p) => ms(s.cpuMsPerSaga[p] ?? Number.NaN)).join(" | ")} |`,
    ),
  );
  const refusals = steps.filter((s) => Object.keys(s.refused).length > 0);
  if (refusals.length > 0) {
    lines.push("", "## Orders refused", "");
    for (const s of refusals) lines.push(`- ${s.offeredPerSecond}/s: ${JSON.stringify(s.refused)}`);
  }
  return `${lines.join("\n")}\n`;
}
