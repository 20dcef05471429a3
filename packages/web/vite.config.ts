import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` proxies the API to a running portal (self-signed certificates accepted in dev only).
const portal = process.env.MERIDIAN_URL ?? 'https://localhost:7443';
const proxy = Object.fromEntries(
  ['/sharing', '/portaladmin'].map((path) => [path, { target: portal, changeOrigin: true, secure: false }]),
);

export default defineConfig({
  base: '/home/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy },
});
