// Copies text to the clipboard and says so; where the Clipboard API is missing (plain http on a LAN
// address) it falls back to the older copy command.
import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  document.body.append(area);
  area.select();
  const copied = typeof document.execCommand === 'function' && document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

export function CopyButton(props: { readonly text: string; readonly label: string; readonly testId?: string }) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 3_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    copyText(props.text).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <>
      <button type="button" onClick={copy} data-testid={props.testId}>
        {props.label}
      </button>
      <span role="status" className="copy-status" data-testid={props.testId ? `${props.testId}-status` : undefined}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the address and copy it' : ''}
      </span>
    </>
  );
}
