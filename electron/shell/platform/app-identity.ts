// How the app shows itself to the OS. A tray app has no Dock icon on macOS while only the tray runs
// (the dashboard window shows it while open); Windows files notifications under the app's own id.
import { app } from 'electron';

export const APP_USER_MODEL_ID = 'com.footprint.app';

/** Before any window: no Dock icon on macOS, the app id on Windows. */
export function declareAppIdentity(platform: NodeJS.Platform): void {
  if (platform === 'darwin') app.dock?.hide();
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
}

/** The Dock icon follows the dashboard window on macOS; other platforms have no Dock. */
export function showInDock(platform: NodeJS.Platform, visible: boolean): void {
  if (platform !== 'darwin') return;
  if (visible) void app.dock?.show();
  else app.dock?.hide();
}
