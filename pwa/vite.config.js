// Builds the phone app into dist/ (served by Flask at `/`), with a Workbox service worker that precaches
// the shell and the ZXing decoder so that the app opens and scans with no network after the first visit.
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";
import { fileURLToPath } from "node:url";

export default defineConfig({
  build: {
    target: "es2020",
    assetsInlineLimit: 0, // never inline the wasm (or anything) as base64 into a script
    chunkSizeWarningLimit: 1200,
    // The phone app (index.html) plus the supervisor's board and the office pages: separate entries, so the
    // phone's first screen loads none of their code.
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL("index.html", import.meta.url)),
        board: fileURLToPath(new URL("board.html", import.meta.url)),
        office: fileURLToPath(new URL("office.html", import.meta.url)),
      },
    },
  },
  server: {
    // `npm run dev` against a local `baton demo` on :8000: same-origin paths keep working.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/socket.io": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  plugins: [
    VitePWA({
      strategies: "generateSW",
      registerType: "autoUpdate",
      injectRegister: false, // src/main.js registers /sw.js itself (registerServiceWorker)
      filename: "sw.js",
      manifestFilename: "manifest.webmanifest",
      includeManifestIcons: false, // globPatterns below already precache every icon, once
      manifest: {
        id: "/",
        name: "Baton — floor",
        short_name: "Baton",
        description: "Pick, sort and pack with instant scan checks, online or off.",
        lang: "en",
        start_url: "/",
        scope: "/",
        display: "standalone",
        orientation: "portrait",
        background_color: "#ffffff",
        theme_color: "#0d47a1",
        icons: [
          { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
          { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
          { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      },
      workbox: {
        // The shell, every lazy chunk and the ZXing wasm: a phone that loaded the app once can scan offline.
        globPatterns: ["**/*.{js,css,html,png,svg,wasm}"], // the plugin adds the manifest itself
        // The board and office pages are desktop pages, online only: phones need not precache them.
        globIgnores: ["board.html", "office.html", "assets/board-*", "assets/office-*", "assets/staff-*",
          "assets/uPlot*"],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: "/index.html",
        // The API and Socket.IO never come from the cache: the app keeps its own data in IndexedDB.
        // The public tracking page /t/<token> is the server's own HTML, never the phone app's shell.
        navigateFallbackDenylist: [/^\/api(\/|$)/, /^\/socket\.io(\/|$)/, /^\/board(\/|$|\?|\.html)/,
          /^\/office(\/|$|\?|\.html)/, /^\/t\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        // Vite's file names carry content hashes already.
        dontCacheBustURLsMatching: /^assets\//,
      },
    }),
  ],
});
