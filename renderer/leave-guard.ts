// Leaving a view that holds unsaved edits (Settings) asks first: a navigation link, a typed or
// back-button hash change (see useRoute), or closing the browser tab (beforeunload).
import { useEffect } from 'react';

import { LEAVE_QUESTION } from '../shared/leave-question.js';

export { LEAVE_QUESTION };

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
    // The browser asks with its own words; in the desktop app the shell asks with a dialog
    // (will-prevent-unload in electron/shell/windows/windows.ts).
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      holds.delete(hold);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [unsaved]);
}
