// Leaving a view that holds unsaved edits (Settings) asks first: a navigation link, a typed or
// back-button hash change (see useRoute), or closing the browser tab (beforeunload).
import { useEffect } from 'react';

export const LEAVE_QUESTION = 'Settings has changes that are not saved. Leave and discard them?';

const holds = new Set<symbol>();

/** Whether leaving may go ahead: nothing unsaved, or the user said to discard it. */
export function confirmLeave(ask: (question: string) => boolean = (question) => window.confirm(question)): boolean {
  return holds.size === 0 || ask(LEAVE_QUESTION);
}

/** Keeps leaving behind a question while `unsaved` is true; released when false or unmounted. */
export function useLeaveGuard(unsaved: boolean): void {
  useEffect(() => {
    if (!unsaved) return;
    const hold = Symbol('unsaved edits');
    holds.add(hold);
    // The browser asks with its own words; the desktop app's windows have no such prompt (a veto
    // there would only keep the window from closing), so only the browser gets the listener.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    const inBrowser = window.footprint === undefined;
    if (inBrowser) window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      holds.delete(hold);
      if (inBrowser) window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [unsaved]);
}
