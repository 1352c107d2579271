// The shell of every window: header (live indicator), navigation, and the view the hash names.
// The Glance (tray window) gets a compact frame without the navigation bar.
import { lazy, Suspense, useEffect, useState } from 'react';
import type { FootprintClient } from './api/footprint-client.js';
import { ClientContext } from './components/client-context.js';
import { LiveIndicator } from './components/live-indicator.js';
import { Loading } from './components/status.js';
import { ThemeSwitch } from './components/theme-switch.js';
import { routeHref, useRoute, type Route, type View } from './routing.js';
import { OverviewView } from './views/overview.js';

// The Overview is what opens first, so it is in the page's own script; every other view (the charts
// and uPlot, Settings, Traffic…) is a chunk of its own, read when first shown: a third less script
// to compile before the first cards (issue 15).
const DetailsView = lazy(() => import('./views/details.js').then((module) => ({ default: module.DetailsView })));
const GlanceView = lazy(() => import('./views/glance.js').then((module) => ({ default: module.GlanceView })));
const HealthView = lazy(() => import('./views/health.js').then((module) => ({ default: module.HealthView })));
const SettingsView = lazy(() => import('./views/settings.js').then((module) => ({ default: module.SettingsView })));
const TrafficView = lazy(() => import('./views/traffic.js').then((module) => ({ default: module.TrafficView })));

const NAVIGATION: readonly { readonly view: View; readonly label: string }[] = [
  { view: 'overview', label: 'Overview' },
  { view: 'details', label: 'Details' },
  { view: 'traffic', label: 'Traffic' },
  { view: 'glance', label: 'Glance' },
  { view: 'health', label: 'Health' },
  { view: 'settings', label: 'Settings' },
];

/**
 * Counts returns of the live channel after a gap: events sent meanwhile are lost, so views load
 * again once (this is the only reload that is not a user's action).
 */
function useResyncGeneration(client: FootprintClient): number {
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let dropped = false;
    return client.onConnectionChange((state) => {
      if (state === 'reconnecting') dropped = true;
      else if (state === 'live' && dropped) {
        dropped = false;
        setGeneration((count) => count + 1);
      }
    });
  }, [client]);
  return generation;
}

export function App(props: { readonly client: FootprintClient }) {
  const { client } = props;
  const route = useRoute();
  const generation = useResyncGeneration(client);
  // One subscription for the app's lifetime keeps the live channel open while views come and go.
  useEffect(() => client.subscribe(() => undefined), [client]);
  useEffect(() => {
    document.title = `${NAVIGATION.find((item) => item.view === route.view)?.label ?? 'Overview'} · Footprint`;
  }, [route.view]);

  return (
    <ClientContext.Provider value={client}>
      {route.view === 'glance' ? (
        <div className="frame frame-compact">
          <header className="app-header compact">
            <span className="brand">Footprint</span>
            <LiveIndicator />
          </header>
          <main id="main">
            <Suspense fallback={<Loading what="the glance" />}>
              <GlanceView key={generation} />
            </Suspense>
          </main>
        </div>
      ) : (
        <div className="frame">
          <a className="skip-link" href="#main" onClick={(event) => { event.preventDefault(); document.getElementById('main')?.focus(); }}>
            Skip to content
          </a>
          <header className="app-header">
            <span className="brand">Footprint</span>
            <ViewsNavigation current={route.view} />
            <ThemeSwitch />
            <LiveIndicator />
          </header>
          <main id="main" tabIndex={-1}>
            {/* Settings is not mounted again after a gap (that would drop what was typed): it reads again itself. */}
            {/* The boundary is keyed, not the view inside: a view left for one whose script is still
                loading is unmounted at once (its edits discarded, as the leave guard said), not kept
                hidden by React and shown again if the user comes straight back. */}
            <Suspense key={`${route.view === 'settings' ? 'settings' : generation}:${route.view}`} fallback={<Loading what="the view" />}>
              <CurrentView route={route} generation={generation} />
            </Suspense>
          </main>
        </div>
      )}
    </ClientContext.Provider>
  );
}

/** The views' links; on a narrow screen one "Menu" button that opens them as a list. */
function ViewsNavigation(props: { readonly current: View }) {
  const [open, setOpen] = useState(false);
  // A chosen view closes the menu.
  useEffect(() => setOpen(false), [props.current]);
  const currentLabel = NAVIGATION.find((item) => item.view === props.current)?.label ?? '';
  return (
    <>
      <button type="button" className="nav-toggle" aria-expanded={open} aria-controls="views-nav" onClick={() => setOpen((was) => !was)} data-testid="nav-toggle">
        <span aria-hidden="true">☰ </span>
        <span className="sr-only">Views menu, showing </span>
        {currentLabel}
      </button>
      <nav id="views-nav" aria-label="Views" className={open ? 'nav-open' : undefined}>
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.view}>
              <a href={routeHref(item.view)} aria-current={props.current === item.view ? 'page' : undefined} data-testid={`nav-${item.view}`}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}

function CurrentView(props: { readonly route: Route; readonly generation: number }) {
  switch (props.route.view) {
    case 'overview':
      return <OverviewView />;
    case 'details':
      return <DetailsView params={props.route.params} />;
    case 'traffic':
      return <TrafficView params={props.route.params} />;
    case 'health':
      return <HealthView />;
    case 'settings':
      return <SettingsView params={props.route.params} generation={props.generation} />;
    case 'glance':
      return <GlanceView />;
  }
}
