import { describe, expect, it } from 'vitest';
import { GLANCE_GAP, glancePosition, trayEdge, visibleBounds } from '../../../../electron/shell/windows/glance-position.js';

const size = { width: 360, height: 480 };

describe('glancePosition', () => {
  it('macOS menu bar: below the icon, centred on it', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const tray = { x: 1200, y: 0, width: 24, height: 24 };
    expect(trayEdge(tray, workArea)).toBe('top');
    expect(glancePosition(tray, size, workArea)).toEqual({ x: 1200 + 12 - 180, y: 25 + GLANCE_GAP });
  });

  it('Windows taskbar at the bottom: above the icon, kept inside the screen on the right', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    const tray = { x: 1880, y: 1044, width: 32, height: 32 };
    expect(trayEdge(tray, workArea)).toBe('bottom');
    expect(glancePosition(tray, size, workArea)).toEqual({ x: 1920 - 360 - GLANCE_GAP, y: 1040 - 480 - GLANCE_GAP });
  });

  it('a taskbar on the left or right: beside the icon', () => {
    const left = { x: 60, y: 0, width: 1860, height: 1080 };
    const tray = { x: 14, y: 900, width: 32, height: 32 };
    expect(trayEdge(tray, left)).toBe('left');
    expect(glancePosition(tray, size, left)).toEqual({ x: 60 + GLANCE_GAP, y: 1080 - 480 - GLANCE_GAP });
    const right = { x: 0, y: 0, width: 1860, height: 1080 };
    const trayRight = { x: 1874, y: 300, width: 32, height: 32 };
    expect(trayEdge(trayRight, right)).toBe('right');
    expect(glancePosition(trayRight, size, right)).toEqual({ x: 1860 - 360 - GLANCE_GAP, y: 300 + 16 - 240 });
  });

  it('works on a second display with negative coordinates', () => {
    const workArea = { x: -1920, y: 25, width: 1920, height: 1055 };
    const tray = { x: -300, y: 0, width: 22, height: 22 };
    expect(glancePosition(tray, size, workArea)).toEqual({ x: -300 + 11 - 180, y: 25 + GLANCE_GAP });
  });

  it('without tray bounds (Linux): the top-right corner of the work area', () => {
    const workArea = { x: 0, y: 27, width: 1600, height: 873 };
    expect(glancePosition(null, size, workArea)).toEqual({ x: 1600 - 360 - GLANCE_GAP, y: 27 + GLANCE_GAP });
    expect(glancePosition({ x: 0, y: 0, width: 0, height: 0 }, size, workArea)).toEqual({ x: 1600 - 360 - GLANCE_GAP, y: 27 + GLANCE_GAP });
  });

  it('never leaves the work area even when the window is larger than the space', () => {
    const workArea = { x: 0, y: 0, width: 300, height: 400 };
    const { x, y } = glancePosition({ x: 280, y: 400, width: 20, height: 20 }, size, workArea);
    expect(x).toBe(GLANCE_GAP);
    expect(y).toBe(GLANCE_GAP);
  });
});

describe('visibleBounds', () => {
  const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];

  it('keeps saved bounds that are on a display', () => {
    const saved = { x: 100, y: 100, width: 1100, height: 720 };
    expect(visibleBounds(saved, displays)).toEqual(saved);
  });

  it('drops bounds from a display that is gone, or barely visible', () => {
    expect(visibleBounds({ x: 2500, y: 100, width: 1100, height: 720 }, displays)).toBeNull();
    expect(visibleBounds({ x: 1900, y: 100, width: 1100, height: 720 }, displays)).toBeNull();
    expect(visibleBounds(null, displays)).toBeNull();
  });
});
