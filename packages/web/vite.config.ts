import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/home/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
});
