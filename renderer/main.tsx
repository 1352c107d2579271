// Entry point of the renderer bundle (Electron windows and the browser alike).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.js';
import { App } from './app.js';
import { startTheme } from './theme.js';

startTheme();
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');
createRoot(root).render(
  <StrictMode>
    <App client={createClient()} />
  </StrictMode>,
);
