// Builds the React renderer into dist/renderer: one bundle for the Electron windows (loaded from
// file://, hence relative asset paths) and for the browser in front of `footprint serve`.
//
// Later the Electron main process and preload can be built from this file too, as extra modes
// (`vite build --mode main`, `--mode preload`): branch on `mode` below and return their own `build`
// section (ssr/lib entry, outDir dist/electron). The default mode builds the renderer.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

export default defineConfig({
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
});
