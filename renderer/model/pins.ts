// Cards the user pinned (their keys, "source:group"), shown first on the Glance. Kept in
// localStorage: a view preference of this window, not configuration.
import { useCallback, useState } from 'react';

export const PINS_STORAGE_KEY = 'footprint.pinned';

export function readPins(storage: Storage | null): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(PINS_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

export function writePins(storage: Storage | null, pins: readonly string[]): void {
  try {
    storage?.setItem(PINS_STORAGE_KEY, JSON.stringify(pins));
  } catch {
    // Without storage, pins last as long as the page.
  }
}

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function usePins(): { readonly pins: readonly string[]; readonly toggle: (key: string) => void } {
  const [pins, setPins] = useState(() => readPins(localStorageOrNull()));
  const toggle = useCallback((key: string) => {
    setPins((current) => {
      const next = current.includes(key) ? current.filter((item) => item !== key) : [...current, key];
      writePins(localStorageOrNull(), next);
      return next;
    });
  }, []);
  return { pins, toggle };
}
