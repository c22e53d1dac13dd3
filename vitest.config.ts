import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The load test runs on its own with `npm run test:load` (vitest.load.config.ts).
    exclude: [...configDefaults.exclude, "test/load/**"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
