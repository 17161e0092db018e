import { z } from "zod";

/** One environment variable a service reads, as an operator needs to know it. */
export interface SettingDoc {
  name: string;
  /** The default as it is written in the environment, or undefined when there is none. */
  default: string | undefined;
  required: boolean;
  /** The `.describe()` text of the setting in its schema. */
  meaning: string | undefined;
  /** The values an enumerated setting accepts. */
  values: readonly string[] | undefined;
}

/** A service's name and the schema its configuration is validated with. */
export interface ServiceSettings {
  service: string;
  schema: z.ZodObject;
}

interface JsonSchemaProperty {
  default?: unknown;
  description?: string;
  enum?: unknown[];
}

/**
 * The settings of one schema, in the order they are declared, read from the input side of the
 * schema (what is written in the environment, before any transform).
 */
export function settingsOf(schema: z.ZodObject): SettingDoc[] {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, JsonSchemaProperty>;
    required?: string[];
  };
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    default: envText(property.default),
    required: required.has(name),
    meaning: property.description,
    values: property.enum?.map(String),
  }));
}

/** A default as it would be written in the environment. */
function envText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Settings a schema declares without a `.describe()` text: each must say what it means. */
export function undocumentedSettings(schema: z.ZodObject): string[] {
  return settingsOf(schema)
    .filter((setting) => !setting.meaning?.trim())
    .map((setting) => setting.name);
}

const sameSetting = (a: SettingDoc, b: SettingDoc) =>
  a.default === b.default && a.required === b.required && a.meaning === b.meaning;

/**
 * The Markdown of docs/operations.md's settings section: one table of the settings every
 * service shares with the same default and meaning, then one table per service of its own
 * (and of shared settings whose default differs, like PORT and DATABASE_URL).
 */
export function settingsMarkdown(services: readonly ServiceSettings[]): string {
  const perService = services.map(({ service, schema }) => ({ service, settings: settingsOf(schema) }));
  const [first, ...rest] = perService;
  if (!first) return "";
  const shared = first.settings.filter((setting) =>
    rest.every(({ settings }) =>
      settings.some((other) => other.name === setting.name && sameSetting(setting, other)),
    ),
  );
  const sharedNames = new Set(shared.map((s) => s.name));
  const sections = [
    `### Every service\n\n${table(shared)}`,
    ...perService.map(({ service, settings }) => {
      const own = settings.filter((s) => !sharedNames.has(s.name));
      return `### ${service}\n\n${own.length > 0 ? table(own) : "No settings of its own."}`;
    }),
  ];
  return sections.join("\n\n");
}

function table(settings: readonly SettingDoc[]): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
  const rows = settings.map((s) => `| \`${s.name}\` | ${cell(defaultCell(s))} | ${cell(meaningCell(s))} |`);
  return ["| Setting | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

function defaultCell(setting: SettingDoc): string {
  if (setting.required) return "required";
  if (setting.default === undefined) return "none";
  return setting.default === "" ? "empty" : `\`${setting.default}\``;
}

function meaningCell(setting: SettingDoc): string {
  const values = setting.values ? ` One of ${setting.values.map((v) => `\`${v}\``).join(", ")}.` : "";
  return `${setting.meaning ?? ""}${values}`;
}
