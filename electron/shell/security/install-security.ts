// The session-wide guards, installed once before any window: the Content Security Policy on the
// app's own documents, every permission request refused, and no <webview> anywhere.
import { app, session } from 'electron';
import { isAppUrl, type RendererLocation } from './renderer-location.js';
import { contentSecurityPolicy } from './window-security.js';

export function installSecurity(location: RendererLocation): void {
  const policy = contentSecurityPolicy(location);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (!isDocument || !isAppUrl(details.url, location)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  // The pages need no camera, notifications, geolocation…: every permission request is refused.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, decide) => decide(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (event) => event.preventDefault()));
}
