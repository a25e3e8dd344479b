import { defineConfig } from 'vite'

// The sync server as one ES module for Node: TypeScript compiled ahead of time, packages external.
export default defineConfig({
  build: {
    ssr: 'sync-server/main.ts',
    outDir: 'dist-server',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { entryFileNames: 'main.js' } },
  },
  publicDir: false,
  logLevel: 'warn',
})
