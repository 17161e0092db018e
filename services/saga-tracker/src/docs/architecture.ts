/**
 * The parts of docs/ARCHITECTURE.md that are facts of the code: the saga's table, every path
 * through it, and who writes and reads each topic. Rendered from the definition and the contracts,
 * written between markers by `pnpm docs:write`, and checked by architecture.test.ts.
 */
import {
  consumerServices,
  deadLetterTopicOf,
  messageNames,
  serviceTopics,
  topicOf,
  type TopicName,
} from "@fulfillment/contracts";
import { saga } from "../domain/saga-definition.js";
import { sagaFlow } from "../domain/saga-flow.js";

const code = (text: string) => `\`${text}\``;
const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
  [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
const seconds = (ms: number) => `${ms / 1000} s`;

function stepsTable(): string {
  const { startedBy, compensation } = saga.start;
  return table(
    [
      "step",
      "waiting",
      "settled by",
      "refused by",
      "compensating",
      "deadline (default)",
      "undone by",
      "confirmed by",
    ],
    [
      [
        "order",
        "",
        code(startedBy.event),
        "",
        "",
        "",
        code(compensation.command),
        code(compensation.confirmedBy.event),
      ],
      ...saga.steps.map((step) => [
        step.name,
        code(step.pending),
        code(step.succeededBy.event),
        code(step.failedBy),
        code(step.failed),
        `${code(step.deadline.setting)} (${seconds(step.deadline.defaultMs)})`,
        ...(step.compensation === "point of no return"
          ? ["**point of no return**", ""]
          : [code(step.compensation.command), code(step.compensation.confirmedBy.event)]),
      ]),
    ],
  );
}

function flowTable(): string {
  return table(
    ["path", "what happens → the saga's status", "compensations sent"],
    sagaFlow().map((path) => [
      path.name,
      path.steps.map(({ happened, status }) => `${happened} → ${code(status)}`).join("<br>"),
      path.compensations.map(code).join(" → ") || "none",
    ]),
  );
}

function topicsTable(): string {
  const topics = [...new Set(messageNames.map(topicOf))].sort();
  const services = (does: "produces" | "consumes", topic: TopicName) =>
    consumerServices.filter((s) => serviceTopics[s][does].includes(topic)).join(", ");
  return table(
    ["topic", "records", "written by", "read by"],
    [
      ...topics.map((topic) => [
        code(topic),
        messageNames
          .filter((name) => topicOf(name) === topic)
          .map(code)
          .join(", "),
        services("produces", topic),
        services("consumes", topic),
      ]),
      ...consumerServices.map((s) => [
        code(deadLetterTopicOf(s)),
        "dead letters",
        s,
        "operators (`pnpm dlq`)",
      ]),
    ],
  );
}

/** Each generated section of the page, by the name of its markers. */
export const generatedSections: Record<string, () => string> = {
  "saga-steps": stepsTable,
  "saga-flow": flowTable,
  topics: topicsTable,
};

const markers = (name: string) => [`<!-- generated:${name} -->`, `<!-- /generated:${name} -->`] as const;

/** The page with every generated section rendered anew; fails naming a section whose markers are missing. */
export function renderArchitecture(page: string): string {
  let out = page;
  for (const [name, render] of Object.entries(generatedSections)) {
    const [open, close] = markers(name);
    const start = out.indexOf(open);
    const end = out.indexOf(close);
    if (start < 0 || end < start)
      throw new Error(
        `docs/ARCHITECTURE.md lacks the markers ${open} … ${close}: put them back where the section goes`,
      );
    out = `${out.slice(0, start + open.length)}\n\n${render()}\n\n${out.slice(end)}`;
  }
  return out;
}
