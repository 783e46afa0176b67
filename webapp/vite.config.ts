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
