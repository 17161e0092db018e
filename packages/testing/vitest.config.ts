import { packageTestConfig } from "./src/vitest-config.js";

export default packageTestConfig(import.meta.dirname);
