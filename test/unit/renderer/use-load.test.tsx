// @vitest-environment happy-dom
// useLoad against live events that race its loads: nothing an event says is lost, whether it
// arrives while the data loads, while a refresh runs, or before the live channel first opens.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientContext } from '../../../renderer/components/client-context.js';
import { useLoad, type LoadHandle } from '../../../renderer/hooks/use-load.js';
import { FakeApi } from '../../support/fake-api.js';

afterEach(cleanup);

/** A loader whose every call waits until the test answers it. */
function controlledLoader() {
  const pending: ((value: string) => void)[] = [];
  return {
    load: () => new Promise<string>((resolve) => pending.push(resolve)),
    get calls() {
      return pending.length;
    },
    /** Answers call `index` (from 0) with `value`. */
    async answer(index: number, value: string) {
      await act(async () => pending[index]!(value));
    },
  };
}

function Probe(props: { readonly loader: () => Promise<string>; readonly handle: { current: LoadHandle<string> | null } }) {
  const handle = useLoad(props.loader, []);
  props.handle.current = handle;
  return <p data-testid="state">{handle.load.status === 'ready' ? handle.load.data : handle.load.status}</p>;
}

function mount(loader: () => Promise<string>, client: FakeApi | null = null) {
  const handle: { current: LoadHandle<string> | null } = { current: null };
  const probe = <Probe loader={loader} handle={handle} />;
  render(client ? <ClientContext.Provider value={client}>{probe}</ClientContext.Provider> : probe);
  return handle;
}

const shown = () => screen.getByTestId('state').textContent;

describe('useLoad and live events', () => {
  it('an event while the data loads: the answer may predate it, so the data is read again once it is in', async () => {
    const loader = controlledLoader();
    const handle = mount(loader.load);
    act(() => handle.current!.update(() => 'done'));
    expect(shown()).toBe('loading');
    await loader.answer(0, 'running'); // read before the event
    expect(shown()).toBe('running');
    expect(loader.calls).toBe(2);
    await loader.answer(1, 'done');
    expect(shown()).toBe('done');
  });

  it('no event while loading: one load only', async () => {
    const loader = controlledLoader();
    mount(loader.load);
    await loader.answer(0, 'running');
    expect(shown()).toBe('running');
    expect(loader.calls).toBe(1);
  });

  it('an event during a refresh is shown at once, and a stale refresh answer is followed by one more read', async () => {
    const loader = controlledLoader();
    const handle = mount(loader.load);
    await loader.answer(0, 'one');
    act(() => handle.current!.refresh());
    expect(loader.calls).toBe(2);
    act(() => handle.current!.update(() => 'two'));
    expect(shown()).toBe('two');
    await loader.answer(1, 'one'); // the refresh read before the event
    expect(loader.calls).toBe(3);
    await loader.answer(2, 'two');
    expect(shown()).toBe('two');
    expect(loader.calls).toBe(3);
  });

  it('loaded before the live channel first opened: read again once it opens, and only then', async () => {
    const client = new FakeApi({});
    client.setConnectionState('connecting');
    const loader = controlledLoader();
    mount(loader.load, client);
    await loader.answer(0, 'running');
    expect(loader.calls).toBe(1);
    act(() => client.setConnectionState('live'));
    expect(loader.calls).toBe(2);
    await loader.answer(1, 'done');
    expect(shown()).toBe('done');
    act(() => client.setConnectionState('reconnecting'));
    act(() => client.setConnectionState('live'));
    expect(loader.calls).toBe(2); // a return after a gap is the App's to handle (it remounts views)
  });

  it('the channel opens while the first load runs: one more read after it', async () => {
    const client = new FakeApi({});
    client.setConnectionState('connecting');
    const loader = controlledLoader();
    mount(loader.load, client);
    act(() => client.setConnectionState('live'));
    expect(loader.calls).toBe(1);
    await loader.answer(0, 'running');
    expect(loader.calls).toBe(2);
    await loader.answer(1, 'done');
    expect(shown()).toBe('done');
  });

  it('already live at mount: no extra read', async () => {
    const client = new FakeApi({});
    const loader = controlledLoader();
    mount(loader.load, client);
    await loader.answer(0, 'running');
    expect(loader.calls).toBe(1);
  });

  it('a reload drops the answers of the run it replaced', async () => {
    const loader = controlledLoader();
    const handle = mount(loader.load);
    act(() => handle.current!.reload());
    expect(loader.calls).toBe(2);
    await loader.answer(1, 'new');
    await loader.answer(0, 'old');
    expect(shown()).toBe('new');
  });
});

describe('useLoad refresh with nothing changed', () => {
  it('keeps the data shown (the same object) when the answer read again holds the same', async () => {
    const pending: ((value: { cards: number[] }) => void)[] = [];
    const seen: unknown[] = [];
    function Cards() {
      const handle = useLoad(() => new Promise<{ cards: number[] }>((resolve) => pending.push(resolve)), []);
      refreshCards = handle.refresh;
      if (handle.load.status === 'ready') seen.push(handle.load.data);
      return null;
    }
    let refreshCards: () => void = () => undefined;
    render(<Cards />);
    await act(async () => pending[0]!({ cards: [1, 2] }));
    act(() => refreshCards());
    await act(async () => pending[1]!({ cards: [1, 2] }));
    act(() => refreshCards());
    await act(async () => pending[2]!({ cards: [1, 3] }));
    const distinct = [...new Set(seen)];
    expect(distinct).toEqual([{ cards: [1, 2] }, { cards: [1, 3] }]);
  });
});
