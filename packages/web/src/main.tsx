import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { BASENAME } from './router/paths.ts';
import { routes } from './router/routes.tsx';
import { SessionProvider } from './session/session-provider.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('No #root element in index.html');

const router = createBrowserRouter(routes, { basename: BASENAME });

createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  </StrictMode>,
);
