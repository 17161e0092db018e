/**
 * Faults a test injects into a service's own database to force a timing deterministically: a
 * transaction of the test's that holds a lock, and the sessions of the service that wait on it.
 */
import pg from "pg";
import { expect } from "vitest";

export interface HeldLock {
  /** The test's own session that holds the lock. */
  pid: number;
  /** Rolls the test's transaction back: whoever waited on the lock goes on, and nothing it wrote stays. */
  release(): Promise<void>;
}

/**
 * Opens a transaction in `databaseUrl`, runs `sql` in it (a lock, or a row written and never
 * committed, which makes a writer of the same key wait), and keeps it open until released.
 */
export async function holdLock(databaseUrl: string, sql: string, params: unknown[] = []): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("BEGIN");
  await client.query(sql, params);
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  let released = false;
  return {
    pid: rows[0]!.pid,
    release: async () => {
      if (released) return;
      released = true;
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

export interface WaitingSession {
  pid: number;
  query: string;
  /** The tables it holds a lock on (any mode): what it has read or written so far. */
  holds: string[];
}

/** The service's sessions waiting for a lock right now, with the statement each is stuck in. */
export async function waitingSessions(databaseUrl: string): Promise<WaitingSession[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<WaitingSession>(
      `SELECT a.pid, a.query,
              coalesce(array_agg(l.relation::regclass::text) FILTER (WHERE l.relation IS NOT NULL), '{}') AS holds
         FROM pg_stat_activity a
         LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'relation' AND l.granted
        WHERE a.datname = current_database() AND a.wait_event_type = 'Lock' AND a.pid <> pg_backend_pid()
        GROUP BY a.pid, a.query, a.query_start
        ORDER BY a.query_start`,
    );
    return rows;
  } finally {
    await client.end();
  }
}

/**
 * Waits until exactly the expected statements wait for a lock: for each pattern, as many sessions
 * as its count. Returns the waiting sessions of each pattern.
 */
export async function waitUntilWaiting(
  databaseUrl: string,
  expected: ReadonlyArray<readonly [pattern: RegExp, count: number]>,
  timeoutMs = 30_000,
): Promise<WaitingSession[][]> {
  let sessions: WaitingSession[] = [];
  const matching = (pattern: RegExp) => sessions.filter((s) => pattern.test(s.query));
  await expect
    .poll(
      async () => {
        sessions = await waitingSessions(databaseUrl);
        return expected.map(([pattern]) => matching(pattern).length);
      },
      { timeout: timeoutMs, interval: 100 },
    )
    .toEqual(expected.map(([, count]) => count));
  return expected.map(([pattern]) => matching(pattern));
}

/** The sessions that keep `pid` waiting: holding the lock it wants, or ahead of it in the queue. */
export async function blockingPids(databaseUrl: string, pid: number): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pids: number[] }>("SELECT pg_blocking_pids($1) AS pids", [pid]);
    return rows[0]?.pids ?? [];
  } finally {
    await client.end();
  }
}

/** Ends a service's session as a database restart would (SQLSTATE 57P01): its transaction rolls back. */
export async function terminateSession(databaseUrl: string, pid: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>("SELECT pg_terminate_backend($1) AS ended", [
      pid,
    ]);
    expect(rows[0]?.ended, `session ${pid} ended`).toBe(true);
  } finally {
    await client.end();
  }
}

/** One row of a service's table, as the database holds it (null when there is none). */
export async function rowOf<T>(databaseUrl: string, sql: string, params: unknown[]): Promise<T | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return ((await client.query(sql, params)).rows[0] as T | undefined) ?? null;
  } finally {
    await client.end();
  }
}
