import type { Knex } from "knex";
import { z } from "zod";

/** A position in a list ordered by (time, id), newest first: stable while new rows arrive. */
export interface KeysetPosition {
  at: Date;
  id: string;
}

/** The opaque `nextCursor` a list returns for the page after `last`. */
export function encodeCursor(last: KeysetPosition): string {
  return Buffer.from(JSON.stringify({ at: last.at.toISOString(), id: last.id })).toString("base64url");
}

const position = z.object({ at: z.iso.datetime({ offset: true }), id: z.string().min(1).max(200) }).strict();

/**
 * The `cursor` query parameter: one this API returned, or a 400 naming it. A well-formed cursor
 * with a bad date or a wrong shape is refused here, before it reaches the database.
 */
export const cursorParam = z
  .string()
  .max(600)
  .transform((value, ctx): KeysetPosition => {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    } catch {
      decoded = undefined;
    }
    const parsed = position.safeParse(decoded);
    if (!parsed.success) {
      ctx.addIssue({
        code: "custom",
        message: "is not a cursor this API returned; use nextCursor from the previous page",
      });
      return z.NEVER;
    }
    return { at: new Date(parsed.data.at), id: parsed.data.id };
  });

/** Page size: `limit` between 1 and `max`. */
export const limitParam = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

/** One page of a list: its rows, and the cursor of the next page (null on the last). */
export interface Page<Row> {
  rows: Row[];
  nextCursor: string | null;
}

/**
 * Runs a list query one page at a time, newest first by its (time, id) columns: orders it, reads
 * one row more than the page to know whether another follows, and starts after the cursor's
 * position. The query keeps its own filters and access restrictions.
 */
export async function keysetPage<Row extends object>(
  query: Knex.QueryBuilder,
  keys: { at: keyof Row & string; id: keyof Row & string },
  page: { limit: number; cursor?: KeysetPosition | undefined },
): Promise<Page<Row>> {
  query
    .orderBy([
      { column: keys.at, order: "desc" },
      { column: keys.id, order: "desc" },
    ])
    .limit(page.limit + 1);
  if (page.cursor) query.whereRaw("(??, ??) < (?, ?)", [keys.at, keys.id, page.cursor.at, page.cursor.id]);
  const found = (await query) as Row[];
  const rows = found.slice(0, page.limit);
  const last = rows[rows.length - 1];
  const nextCursor =
    found.length > page.limit && last
      ? encodeCursor({ at: last[keys.at] as Date, id: String(last[keys.id]) })
      : null;
  return { rows, nextCursor };
}

/** The body of a paged list: one page of `item`, and the cursor of the next page. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: "Pass as `cursor` for the next page; null on the last page." }),
    })
    .strict();
