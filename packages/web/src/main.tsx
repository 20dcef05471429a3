import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './router/app.tsx';
import { BASENAME } from './router/paths.ts';
import { SessionProvider } from './session/session-provider.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('No #root element in index.html');

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter basename={BASENAME}>
        <App />
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
