// Where the glance window opens: against the tray icon, on the side of the screen the tray is on
// (below a top menu bar, above a bottom taskbar, beside a side taskbar), kept inside the work area.
// Linux trays report no usable bounds (and Wayland places windows itself): the window then goes to
// the top-right corner of the work area.

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export type TrayEdge = 'top' | 'bottom' | 'left' | 'right';

/** Space between the tray (or the screen edge) and the window. */
export const GLANCE_GAP = 6;

/** Which edge of the screen the tray sits on: the side of the work area its centre is beyond or nearest to. */
export function trayEdge(tray: Rect, workArea: Rect): TrayEdge {
  const centerX = tray.x + tray.width / 2;
  const centerY = tray.y + tray.height / 2;
  const distances: [TrayEdge, number][] = [
    ['top', centerY - workArea.y],
    ['bottom', workArea.y + workArea.height - centerY],
    ['left', centerX - workArea.x],
    ['right', workArea.x + workArea.width - centerX],
  ];
  // Outside the work area (the usual case: menu bars and taskbars are excluded from it) gives a negative distance.
  return distances.reduce((nearest, candidate) => (candidate[1] < nearest[1] ? candidate : nearest))[0];
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high));
}

export function glancePosition(tray: Rect | null, window: Size, workArea: Rect): { x: number; y: number } {
  const minX = workArea.x + GLANCE_GAP;
  const maxX = workArea.x + workArea.width - window.width - GLANCE_GAP;
  const minY = workArea.y + GLANCE_GAP;
  const maxY = workArea.y + workArea.height - window.height - GLANCE_GAP;
  if (tray === null || tray.width <= 0 || tray.height <= 0) return { x: Math.round(clamp(maxX, minX, maxX)), y: Math.round(minY) };
  const centeredX = tray.x + tray.width / 2 - window.width / 2;
  const centeredY = tray.y + tray.height / 2 - window.height / 2;
  let x: number;
  let y: number;
  switch (trayEdge(tray, workArea)) {
    case 'top':
      x = centeredX;
      y = Math.max(tray.y + tray.height, workArea.y) + GLANCE_GAP;
      break;
    case 'bottom':
      x = centeredX;
      y = Math.min(tray.y, workArea.y + workArea.height) - window.height - GLANCE_GAP;
      break;
    case 'left':
      x = Math.max(tray.x + tray.width, workArea.x) + GLANCE_GAP;
      y = centeredY;
      break;
    case 'right':
      x = Math.min(tray.x, workArea.x + workArea.width) - window.width - GLANCE_GAP;
      y = centeredY;
      break;
  }
  return { x: Math.round(clamp(x, minX, maxX)), y: Math.round(clamp(y, minY, maxY)) };
}

/** Saved window bounds, if they still overlap a display by enough to grab the window; else null. */
export function visibleBounds(saved: Rect | null, displays: readonly Rect[], minVisible = 64): Rect | null {
  if (saved === null) return null;
  const visible = displays.some((display) => {
    const overlapX = Math.min(saved.x + saved.width, display.x + display.width) - Math.max(saved.x, display.x);
    const overlapY = Math.min(saved.y + saved.height, display.y + display.height) - Math.max(saved.y, display.y);
    return overlapX >= minVisible && overlapY >= minVisible;
  });
  return visible ? saved : null;
}
