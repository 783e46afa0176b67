import { fileURLToPath, URL } from 'node:url'

import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vite'

// The Vert.x server; the dev server forwards everything the SPA does not serve itself.
const backend = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
    },
  },
  build: {
    // The only chunk past Vite's 500 kB default is Monaco (~3.9 MB), loaded lazily by the editor; the entry chunk has
    // its own, stricter budget (bench/web_budgets.mjs). A chunk beyond this limit would still warn.
    chunkSizeWarningLimit: 4500,
    rolldownOptions: {
      // Rolldown's report of which plugins took the build's time is for profiling, not for every build.
      checks: { bundlerTimings: false },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/readyz': backend,
      // SockJS event-bus bridge: HTTP transports plus the WebSocket upgrade.
      '/eventbus': { target: backend, ws: true },
    },
  },
})
