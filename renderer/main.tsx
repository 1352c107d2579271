// Entry point of the renderer bundle (Electron windows and the browser alike).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client.js';
import { App } from './app.js';
import { startTheme } from './theme.js';

startTheme();
const client = createClient();
// The live channel opens now, while React renders: views load their data right after the first
// render, and a channel already open by then means no event between their answers and it is missed
// (useLoad reads again when a view loaded before the channel was open). It stays open for the page.
client.subscribe(() => undefined);
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks <div id="root">');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
