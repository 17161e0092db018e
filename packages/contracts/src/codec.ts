import { COMPATIBILITY, SchemaRegistry } from "@kafkajs/confluent-schema-registry";
import avro from "avsc";
import { ContractError, registryStatusOf } from "./errors.js";
import { messageSchemas, type MessageTypes } from "./generated/contracts.js";
import { messageNameOf, messageNames, subjectOf, type Envelope, type MessageName } from "./messages.js";

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

/** A message read off Kafka, with the registry id of the schema it was written with. */
export type DecodedMessage = Envelope & { schemaId: number };

export interface MessageCodecOptions {
  /** Compatibility the registry enforces on each subject; BACKWARD_TRANSITIVE or stricter. */
  compatibility?: COMPATIBILITY.BACKWARD_TRANSITIVE | COMPATIBILITY.FULL_TRANSITIVE;
  /**
   * "register" (deploy steps and tests) registers a schema on first use; "lookup" (the services)
   * only looks its id up, so a schema nobody deployed fails with UNREGISTERED_SCHEMA.
   */
  schemas?: "register" | "lookup";
}

/**
 * Encodes and decodes the system's messages in the Confluent wire format (magic byte 0,
 * 4-byte schema id, Avro binary). Schema ids and reader/writer resolvers are cached, so the
 * registry is asked once per schema per process, never per record.
 */
export class MessageCodec {
  private readonly types = new Map<MessageName, avro.Type>();
  private readonly ids = new Map<MessageName, Promise<number>>();
  private readonly readers = new Map<number, Promise<{ name: MessageName; resolver: avro.Resolver }>>();
  private readonly compatibility: COMPATIBILITY;
  private readonly schemas: "register" | "lookup";

  constructor(
    private readonly registry: SchemaRegistry,
    options: MessageCodecOptions = {},
  ) {
    this.compatibility = options.compatibility ?? COMPATIBILITY.BACKWARD_TRANSITIVE;
    this.schemas = options.schemas ?? "register";
  }

  /** A codec talking to the registry's Confluent-compatible API at `url` (for Apicurio: `.../apis/ccompat/v7`). */
  static connect(url: string, options?: MessageCodecOptions): MessageCodec {
    return new MessageCodec(new SchemaRegistry({ host: url, clientId: "fulfillment" }), options);
  }

  /**
   * Registers the current schema of each message under its topic-record subject, with the
   * compatibility level enforced. Fails with INCOMPATIBLE_SCHEMA when the registry rejects it.
   */
  async register(names: readonly MessageName[] = messageNames): Promise<void> {
    await Promise.all(
      names.map(async (name) => {
        const id = await registerSchema(
          this.registry,
          subjectOf(name),
          messageSchemas[name].schema,
          this.compatibility,
        );
        this.ids.set(name, Promise.resolve(id));
      }),
    );
  }

  /**
   * Resolves the id of every message's schema (registering it in "register" mode): a service calls
   * it at start, so a schema the deploy step did not register stops it with a clear message.
   */
  async resolveAll(names: readonly MessageName[] = messageNames): Promise<void> {
    await Promise.all(names.map((name) => this.schemaIdOf(name)));
  }

  /** The registry id of a message's current schema, registering or looking it up on first use. */
  schemaIdOf(name: MessageName): Promise<number> {
    let id = this.ids.get(name);
    if (!id) {
      id = this.registerOne(name);
      id.catch(() => this.ids.delete(name));
      this.ids.set(name, id);
    }
    return id;
  }

  /** Encodes a message; a payload that does not match its schema fails with INVALID_CONTENT naming the fields. */
  async encode<M extends MessageName>(name: M, value: MessageTypes[M]): Promise<Buffer> {
    const type = this.typeOf(name);
    const invalid: string[] = [];
    if (!type.isValid(value, { errorHook: (path) => invalid.push(path.join(".") || "(root)") })) {
      throw new ContractError(
        "INVALID_CONTENT",
        `${name} does not match its schema at: ${invalid.join(", ")}`,
      );
    }
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(MAGIC_BYTE, 0);
    header.writeInt32BE(await this.schemaIdOf(name), 1);
    return Buffer.concat([header, type.toBuffer(value)]);
  }

  /** Decodes a record value into a named message, reading it with this build's schema of that message. */
  async decode(buffer: Buffer | null): Promise<DecodedMessage> {
    if (!buffer || buffer.length < HEADER_BYTES || buffer.readUInt8(0) !== MAGIC_BYTE) {
      throw new ContractError(
        "NOT_WIRE_FORMAT",
        "The record value is not in the Confluent wire format (magic byte 0, 4-byte schema id, Avro body).",
      );
    }
    const schemaId = buffer.readInt32BE(1);
    const { name, resolver } = await this.readerFor(schemaId);
    let value: unknown;
    try {
      value = this.typeOf(name).fromBuffer(buffer.subarray(HEADER_BYTES), resolver);
    } catch (cause) {
      throw new ContractError(
        "INVALID_CONTENT",
        `The Avro body of ${name} (schema id ${schemaId}) cannot be read: ${String(cause)}`,
        { cause },
      );
    }
    return { name, value, schemaId } as DecodedMessage;
  }

  private typeOf(name: MessageName): avro.Type {
    let type = this.types.get(name);
    if (!type) {
      type = avro.Type.forSchema(messageSchemas[name].schema as unknown as avro.Schema);
      this.types.set(name, type);
    }
    return type;
  }

  private registerOne(name: MessageName): Promise<number> {
    if (this.schemas === "lookup")
      return lookupSchema(this.registry, subjectOf(name), messageSchemas[name].schema);
    return registerSchema(this.registry, subjectOf(name), messageSchemas[name].schema, this.compatibility);
  }

  private readerFor(schemaId: number): Promise<{ name: MessageName; resolver: avro.Resolver }> {
    let reader = this.readers.get(schemaId);
    if (!reader) {
      reader = this.loadReader(schemaId);
      // Only a registry outage is worth asking again; permanent answers stay cached.
      reader.catch((error: unknown) => {
        if (error instanceof ContractError && error.retriable) this.readers.delete(schemaId);
      });
      this.readers.set(schemaId, reader);
    }
    return reader;
  }

  private async loadReader(schemaId: number): Promise<{ name: MessageName; resolver: avro.Resolver }> {
    let writer: avro.Type;
    try {
      writer = (await this.registry.getSchema(schemaId)) as unknown as avro.Type;
    } catch (cause) {
      if (registryStatusOf(cause) === 404) {
        throw new ContractError("UNKNOWN_SCHEMA_ID", `Schema id ${schemaId} is not in the registry.`, {
          cause,
        });
      }
      throw new ContractError(
        "REGISTRY_UNAVAILABLE",
        `Could not fetch schema id ${schemaId}: ${String(cause)}`,
        { cause },
      );
    }
    const fullName = writer.name ?? "(unnamed)";
    const name = messageNameOf(fullName);
    if (!name) {
      throw new ContractError(
        "UNKNOWN_RECORD_TYPE",
        `Schema id ${schemaId} is ${fullName}, which is not a message of this system.`,
      );
    }
    try {
      return { name, resolver: this.typeOf(name).createResolver(writer) };
    } catch (cause) {
      throw new ContractError(
        "INCOMPATIBLE_SCHEMA",
        `${fullName} written with schema id ${schemaId} cannot be read as ${name}.`,
        { cause },
      );
    }
  }
}

/**
 * Registers `schema` under `subject` with `compatibility` enforced on the subject, and returns its id.
 * A schema the registry rejects as incompatible fails with INCOMPATIBLE_SCHEMA saying what to do.
 */
export async function registerSchema(
  registry: SchemaRegistry,
  subject: string,
  schema: object,
  compatibility: COMPATIBILITY = COMPATIBILITY.BACKWARD_TRANSITIVE,
): Promise<number> {
  try {
    const { id } = await registry.register(schema as Parameters<SchemaRegistry["register"]>[0], {
      subject,
      compatibility,
    });
    return id;
  } catch (cause) {
    if (registryStatusOf(cause) === 409) {
      throw new ContractError(
        "INCOMPATIBLE_SCHEMA",
        `The registry rejected a schema for subject ${subject}: not ${compatibility} with its history. ` +
          `Add fields only as optional with a default, or publish the breaking change to a new topic version (.v2).`,
        { cause },
      );
    }
    throw new ContractError(
      "REGISTRY_UNAVAILABLE",
      `Could not register a schema under ${subject}: ${String(cause)}. Check that the schema registry is up and its URL is right.`,
      { cause },
    );
  }
}

/** The id `schema` is registered with under `subject`; UNREGISTERED_SCHEMA when the deploy step did not register it. */
export async function lookupSchema(
  registry: SchemaRegistry,
  subject: string,
  schema: object,
): Promise<number> {
  try {
    return await registry.getRegistryIdBySchema(subject, schema as Parameters<SchemaRegistry["register"]>[0]);
  } catch (cause) {
    // The client turns the registry's 404 (no such subject, or no such schema under it) into this error.
    const notFound = cause instanceof Error && cause.name === "ConfluentSchemaRegistryError";
    if (notFound || registryStatusOf(cause) === 404) {
      throw new ContractError(
        "UNREGISTERED_SCHEMA",
        `The registry holds no schema under ${subject} matching this build. Schemas are registered at deploy time: run pnpm topics, then start again.`,
        { cause },
      );
    }
    throw new ContractError(
      "REGISTRY_UNAVAILABLE",
      `Could not look up the schema under ${subject}: ${String(cause)}. Check that the schema registry is up and its URL is right.`,
      { cause },
    );
  }
}
