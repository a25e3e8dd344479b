import { defineConfig } from 'vite'

// The sync server as one ES module for Node: TypeScript compiled ahead of time, packages external.
export default defineConfig({
  build: {
    // The server, and the admin command for machines that run the build without tsx.
    ssr: true,
    outDir: 'dist-server',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { main: 'sync-server/main.ts', admin: 'sync-server/admin/cli.ts' }, output: { entryFileNames: '[name].js' } },
  },
  publicDir: false,
  logLevel: 'warn',
})
