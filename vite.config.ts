// The three builds:
//   vite build                 → dist/renderer: the React renderer, one bundle for the Electron windows
//                                (loaded from file://, hence relative asset paths) and for the browser
//                                in front of `footprint serve`
//   vite build --mode main     → dist/main/main.js: the Electron main process with the core inside
//   vite build --mode preload  → dist/preload/preload.cjs: the sandboxed preload bridge
// The main and preload builds are described in build/vite.electron.config.ts.
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { mainConfig, preloadConfig } from './build/vite.electron.config.js';

/**
 * The page's Content Security Policy, written into the built index.html so it holds under file://
 * as well as over HTTP. No inline scripts or styles: the bundle and the stylesheet are files, and
 * uPlot/React set element styles through the CSSOM, which style-src does not restrict.
 * Not applied to the dev server, whose hot reload injects styles.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'footprint-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

const rendererConfig: UserConfig = {
  root: 'renderer',
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // One modern target (Electron's Chromium and current browsers): no legacy polyfills.
    target: 'es2022',
    // Everything is one entry; the preload polyfill would be dead weight (and an inline-free page needs none).
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: { host: '127.0.0.1' },
};

export default defineConfig(({ mode }) => {
  if (mode === 'main') return mainConfig();
  if (mode === 'preload') return preloadConfig();
  return rendererConfig;
});
