// Shared set-up of the renderer's component tests: render a view with a fake client, and stand-ins
// for what happy-dom lacks (a 2D canvas context and Path2D, which uPlot draws with).
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { ClientContext } from '../../../renderer/components/client-context.js';
import type { FakeApi } from '../../support/fake-api.js';

export function renderWith(api: FakeApi, ui: ReactElement): RenderResult {
  return render(<ClientContext.Provider value={api}>{ui}</ClientContext.Provider>);
}

/**
 * A canvas that accepts every drawing call and draws nothing; measureText gives a plausible width.
 * Installed by tests that mount the uPlot chart; returns a function that restores the originals.
 */
export function installCanvasStub(): () => void {
  const canvasProto = HTMLCanvasElement.prototype as unknown as { getContext: unknown };
  const originalGetContext = canvasProto.getContext;
  const globals = globalThis as unknown as { Path2D?: unknown };
  const originalPath2D = globals.Path2D;
  const noop = () => undefined;
  canvasProto.getContext = function getContext(this: HTMLCanvasElement) {
    const state: Record<string | symbol, unknown> = { canvas: this };
    return new Proxy(state, {
      get(target, key) {
        if (key === 'measureText') return (text: string) => ({ width: String(text).length * 7 });
        if (key in target) return target[key];
        return noop;
      },
      set(target, key, value) {
        target[key] = value;
        return true;
      },
    });
  };
  globals.Path2D = class {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
    bezierCurveTo() {}
    quadraticCurveTo() {}
    addPath() {}
  };
  return () => {
    canvasProto.getContext = originalGetContext;
    globals.Path2D = originalPath2D;
  };
}
