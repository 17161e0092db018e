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
