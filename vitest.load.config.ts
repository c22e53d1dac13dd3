import { defineConfig } from "vitest/config";

/** The load test, run by `npm run test:load` and kept out of `npm test`. */
export default defineConfig({
  test: {
    include: ["test/load/**/*.test.ts"],
    testTimeout: 150_000,
    hookTimeout: 20_000,
  },
});
