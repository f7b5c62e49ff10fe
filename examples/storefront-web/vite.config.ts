import { defineConfig } from 'vite';

// By default the app calls its own origin's /graphql and Vite's dev and preview servers pass it on (HTTP
// and the graphql-ws upgrade) to the API; with VITE_DCRM_ENDPOINT it calls the API directly (CORS).
const api = process.env.DCRM_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  server: { port: 5173, proxy: { '/graphql': { target: api, ws: true } } },
  preview: { port: 4173, proxy: { '/graphql': { target: api, ws: true } } },
  build: { target: 'es2022', sourcemap: true },
});
