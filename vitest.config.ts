import { configDefaults, defineConfig } from 'vitest/config'

/**
 * The short learning runs (minutes each, two cores' worth of child processes). `npm run test:unit`
 * runs them as one lane beside the rest of the suite (scripts/lanes.mjs) so that neither core
 * idles; `vitest run` alone still runs everything, one file at a time.
 */
const LEARNING = ['test/integration/*-learns.test.ts']

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'learning', include: LEARNING } },
      {
        extends: true,
        test: {
          name: 'suite',
          include: [
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/fuzz/**/*.test.ts'
          ],
          exclude: [...configDefaults.exclude, ...LEARNING]
        }
      }
    ]
  }
})
