import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime of the process itself, and cutime + cstime of its reaped children, in ticks. */
  own: number;
  reaped: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const at = (field: number) => Number(fields[field - 3]);
  return { pid, ppid: at(4), own: at(14) + at(15), reaped: at(16) + at(17) };
}

function allStats(): ProcStat[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
}

/**
 * CPU milliseconds used so far by each named process tree: the process, its live descendants,
 * and the children it has reaped (PostgreSQL forks a backend per connection; one that exited
 * during the run still counts). Read twice and subtract to get a run's share.
 */
export function cpuMillisByTree(roots: ReadonlyMap<string, number>): Map<string, number> {
  const stats = allStats();
  const children = new Map<number, ProcStat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const treeTicks = (pid: number): number => {
    const stat = byPid.get(pid);
    if (!stat) return 0;
    return stat.own + stat.reaped + (children.get(pid) ?? []).reduce((sum, c) => sum + treeTicks(c.pid), 0);
  };
  return new Map([...roots].map(([name, pid]) => [name, (treeTicks(pid) * 1000) / TICKS_PER_SECOND]));
}

/** after − before, process by process. */
export function cpuBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  return new Map([...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)]));
}
