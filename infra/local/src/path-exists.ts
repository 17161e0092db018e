import { stat } from "node:fs/promises";

/** True when something exists at `path`. */
export function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
