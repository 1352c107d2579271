// The header's light/dark switch: System (the default), Light or Dark, remembered in this browser or app.
import { useState } from 'react';
import { THEME_CHOICES, chooseTheme, themeChoice, type ThemeChoice } from '../theme.js';

const LABEL: Readonly<Record<ThemeChoice, string>> = { system: 'System', light: 'Light', dark: 'Dark' };

export function ThemeSwitch() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice);
  return (
    <label className="theme-switch" title="Colours: the system's, light or dark">
      <span className="sr-only">Theme</span>
      <select
        value={choice}
        onChange={(event) => {
          const next = event.target.value as ThemeChoice;
          chooseTheme(next);
          setChoice(next);
        }}
        data-testid="theme-switch"
      >
        {THEME_CHOICES.map((value) => (
          <option key={value} value={value}>
            {value === 'system' ? '◐ ' : value === 'light' ? '☀ ' : '☾ '}
            {LABEL[value]}
          </option>
        ))}
      </select>
    </label>
  );
}
