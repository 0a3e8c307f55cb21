import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { UserConfig } from 'vite'

/** The renderer's Vite config; `npm run dev` reuses it for the web-mode dev server. */
export const rendererConfig = {
  root: 'renderer',
  base: './',
  build: {
    outDir: 'out/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: { input: { index: resolve('renderer/index.html') } }
  },
  // In dev, Vite's inline React Refresh preamble lands before the CSP <meta>, so the CSP stays as is.
  plugins: [react()]
} satisfies UserConfig

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // electron-vite externalizes `dependencies` only; `webgpu` (optional) loads dawn.node from its own
      // folder, so bundling it would point that path into out/main.
      externalizeDeps: { include: ['webgpu'] },
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          trainer: resolve('electron/main/trainer-process.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: rendererConfig
})
