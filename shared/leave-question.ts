// The question asked before unsaved Settings edits are thrown away: by the page (a navigation, the
// browser tab closing) and by the desktop app's own dialog (its window closing).
export const LEAVE_QUESTION = 'Settings has changes that are not saved. Leave and discard them?';
