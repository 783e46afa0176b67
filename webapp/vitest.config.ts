import { fileURLToPath } from 'node:url'

import { configDefaults, defineConfig, mergeConfig } from 'vitest/config'

import viteConfig from './vite.config.ts'

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.spec.ts'],
      exclude: [...configDefaults.exclude, 'e2e/**'],
      root: fileURLToPath(new URL('./', import.meta.url)),
      restoreMocks: true,
      unstubGlobals: true,
      // `mvn verify` builds modules two at a time on a 2-core machine: a heavy spec (100,000 virtual rows) can take
      // several seconds while Java tests run beside it; a hang still fails, after 30 s instead of 5
      testTimeout: 30_000,
    },
  }),
)
