import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeElectron, resetFakeElectron } from '../../../support/shell/fake-electron.js';
import { installSecurity } from '../../../../electron/shell/security/install-security.js';
import type { RendererLocation } from '../../../../electron/shell/security/renderer-location.js';
import { contentSecurityPolicy } from '../../../../electron/shell/security/window-security.js';

vi.mock('electron', () => import('../../../support/shell/fake-electron.js'));

const location: RendererLocation = { kind: 'file', indexFile: '/app/dist/renderer/index.html', caseInsensitive: false };
const headersFor = (resourceType: string, url: string) => new Promise((resolve) => fakeElectron.headersListener!({ resourceType, url, responseHeaders: { 'x-other': ['1'] } }, resolve));

describe('installSecurity (through the fake Electron)', () => {
  beforeEach(() => {
    resetFakeElectron();
    installSecurity(location);
  });

  it('adds the Content Security Policy to the app\'s own documents only', async () => {
    expect(await headersFor('mainFrame', 'file:///app/dist/renderer/index.html#/glance')).toEqual({
      responseHeaders: { 'x-other': ['1'], 'Content-Security-Policy': [contentSecurityPolicy(location)] },
    });
    expect(await headersFor('subFrame', 'file:///app/dist/renderer/index.html')).toHaveProperty('responseHeaders.Content-Security-Policy');
    expect(await headersFor('mainFrame', 'https://github.com/')).toEqual({});
    expect(await headersFor('script', 'file:///app/dist/renderer/index.html')).toEqual({});
  });

  it('refuses every permission request and check', async () => {
    expect(await new Promise((resolve) => fakeElectron.permissionRequest!({}, 'notifications', resolve))).toBe(false);
    expect(fakeElectron.permissionCheck!({}, 'geolocation')).toBe(false);
  });

  it('prevents a <webview> in any web contents', () => {
    const contents = new EventEmitter();
    fakeElectron.appEvents.emit('web-contents-created', {}, contents);
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    contents.emit('will-attach-webview', event);
    expect(event.prevented).toBe(true);
  });
});
