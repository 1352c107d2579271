// The tray icon on Electron: the first icon before any data (the "ok" glyph), the TrayAdapter that
// keeps it up to date, a click that toggles the glance window, and the menu on right-click on macOS.
import { Menu, nativeImage, Tray, type NativeImage } from 'electron';
import path from 'node:path';
import type { Rect } from '../windows/glance-position.js';
import { renderStateGlyph, representations, templateIconFile, trayIconSize } from './icons/tray-icons.js';
import { TrayAdapter, type TrayImages } from './tray-adapter.js';
import type { ShellAction } from './tray-menu.js';

/** Icons as Electron images: drawn ones with a representation per scale factor, or a template file. */
export const electronImages: TrayImages = {
  fromRepresentations: (reps) => {
    const [first, ...rest] = reps;
    if (!first) return nativeImage.createEmpty();
    const image = nativeImage.createFromBuffer(first.png, { scaleFactor: first.scaleFactor });
    for (const rep of rest) image.addRepresentation({ scaleFactor: rep.scaleFactor, buffer: rep.png });
    return image;
  },
  fromFile: (file) => nativeImage.createFromPath(file),
};

export interface AppTray {
  readonly adapter: TrayAdapter<Menu>;
  bounds(): Rect;
  destroy(): void;
}

export function createTray(options: { appPath: string; platform: NodeJS.Platform; dispatch: (action: ShellAction) => void }): AppTray {
  const { appPath, platform, dispatch } = options;
  const templateDir = path.join(appPath, 'build', 'icons', 'tray');
  const initialIcon: NativeImage = platform === 'darwin'
    ? electronImages.fromFile(path.join(templateDir, templateIconFile('ok', 1)))
    : electronImages.fromRepresentations(representations(trayIconSize(platform), (pixels) => renderStateGlyph('ok', pixels, 'color')));
  const tray = new Tray(initialIcon);
  const adapter = new TrayAdapter({ tray, platform, images: electronImages, buildMenu: (template) => Menu.buildFromTemplate(template), dispatch, templateDir });
  tray.on('click', () => dispatch({ type: 'toggle-glance' }));
  if (platform === 'darwin') tray.on('right-click', () => adapter.popUpMenu());
  return { adapter, bounds: () => tray.getBounds(), destroy: () => tray.destroy() };
}
