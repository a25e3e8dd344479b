import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { precompress } from './scripts/vite-precompress'

export default defineConfig({
  plugins: [
    preact(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: '代办 · 村级便民服务',
        short_name: '代办',
        description: '村级代办员离线受理、乡镇与县级审批的便民服务工具',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        theme_color: '#c0392b',
        background_color: '#ffffff',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,svg,woff2}'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/yjs\//, /^\/v\//],
        cleanupOutdatedCaches: true,
      },
    }),
    // Brotli and gzip beside every text file, for the server to send as they are.
    precompress(),
  ],
  worker: { format: 'es' },
  // Maps are built for debugging but not referenced from the bundles; the server serves them only when configured.
  build: { target: 'es2022', sourcemap: 'hidden' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
