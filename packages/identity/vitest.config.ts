import { packageTestConfig } from "../testing/src/vitest-config.js";

export default packageTestConfig(import.meta.dirname);
