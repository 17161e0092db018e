import { packageTestConfig } from "../../packages/testing/src/vitest-config.js";

export default packageTestConfig(import.meta.dirname);
