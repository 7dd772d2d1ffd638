import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// No short name may resolve off loopback in a test: see test/fixtures/registries-loopback-only.conf.
const env = { CONTAINERS_REGISTRIES_CONF: fileURLToPath(new URL('./test/fixtures/registries-loopback-only.conf', import.meta.url)) };
// Integration and e2e tests may run at the same time: each kind gets a default network of its own.
const confOverride = (name: string) => ({ PODBAY_CONF_OVERRIDE: fileURLToPath(new URL(`./test/fixtures/${name}`, import.meta.url)) });

// Three kinds of tests (STYLE.md): unit/contract tests (fast, no host access beyond temp dirs),
// integration tests with real binaries, registries and several processes (root on Debian), and
// browser end-to-end tests driving Debian's Chromium against the built app (`npm run build` first).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/contract/**/*.test.ts'],
          exclude: ['**/*.integration.test.ts'],
          environment: 'node',
          env,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.integration.test.ts'],
          environment: 'node',
          env: { ...env, ...confOverride('podbay-integration.conf') },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          env: { ...env, ...confOverride('podbay-e2e.conf') },
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
