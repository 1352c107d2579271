import { describe, expect, it } from 'vitest';
import { parseListenAddress, type ListenAddress } from '../../../../electron/core/config/listen.js';
import { ListenError } from '../../../../electron/core/server.js';
import { MetricsEndpoint, planEndpoint } from '../../../../electron/shell/app-core/metrics-endpoint.js';

const server = { listen: parseListenAddress('127.0.0.1:9171'), authToken: null };

describe('planEndpoint', () => {
  it('serves the config file\'s address unless the app has its own', () => {
    expect(planEndpoint({ enabled: true, listen: null }, server)).toEqual({ enabled: true, listen: server.listen, problem: null });
    expect(planEndpoint({ enabled: true, listen: '127.0.0.1:9300' }, server).listen?.port).toBe(9300);
    expect(planEndpoint({ enabled: false, listen: '127.0.0.1:9300' }, server)).toEqual({ enabled: false, listen: null, problem: null });
  });

  it('explains a bad address and refuses to expose the app without a token', () => {
    expect(planEndpoint({ enabled: true, listen: 'localhost' }, server).problem).toMatch(/^metrics.listen in the app's settings "localhost" has no port/);
    expect(planEndpoint({ enabled: true, listen: '0.0.0.0:9171' }, server).problem).toMatch(/server.authToken is required/);
    expect(planEndpoint({ enabled: true, listen: '0.0.0.0:9171' }, { ...server, authToken: 'x'.repeat(20) }).problem).toBeNull();
  });
});

describe('MetricsEndpoint', () => {
  function fakeServers(busy: Set<number> = new Set()) {
    const log: string[] = [];
    const start = async (listen: ListenAddress) => {
      if (busy.has(listen.port)) throw new ListenError(`server.listen: ${listen.text} is already in use — stop the other program or choose another port`);
      log.push(`start ${listen.text}`);
      return { url: `http://${listen.host}:${listen.port}`, close: async () => { log.push(`close ${listen.text}`); } };
    };
    return { start, log };
  }

  it('starts, keeps, moves and stops the server as the plan changes', async () => {
    const { start, log } = fakeServers();
    const endpoint = new MetricsEndpoint(start);
    await endpoint.apply(planEndpoint({ enabled: true, listen: null }, server));
    await endpoint.apply(planEndpoint({ enabled: true, listen: null }, server));
    expect(endpoint.url).toBe('http://127.0.0.1:9171');
    await endpoint.apply(planEndpoint({ enabled: true, listen: '127.0.0.1:9300' }, server));
    await endpoint.apply(planEndpoint({ enabled: false, listen: null }, server));
    expect(endpoint.url).toBeNull();
    expect(log).toEqual(['start 127.0.0.1:9171', 'close 127.0.0.1:9171', 'start 127.0.0.1:9300', 'close 127.0.0.1:9300']);
  });

  it('reports a busy port as a problem instead of failing, and recovers on the next plan', async () => {
    const { start } = fakeServers(new Set([9171]));
    const endpoint = new MetricsEndpoint(start);
    await expect(endpoint.apply(planEndpoint({ enabled: true, listen: null }, server))).resolves.toBeUndefined();
    expect(endpoint.url).toBeNull();
    expect(endpoint.problem).toBe('server.listen: 127.0.0.1:9171 is already in use — stop the other program or choose another port');
    await endpoint.apply(planEndpoint({ enabled: true, listen: '127.0.0.1:9300' }, server));
    expect(endpoint.problem).toBeNull();
    expect(endpoint.url).toBe('http://127.0.0.1:9300');
  });

  it('applies quick changes one after another', async () => {
    const { start, log } = fakeServers();
    const endpoint = new MetricsEndpoint(start);
    void endpoint.apply(planEndpoint({ enabled: true, listen: null }, server));
    void endpoint.apply(planEndpoint({ enabled: false, listen: null }, server));
    await endpoint.apply(planEndpoint({ enabled: true, listen: null }, server));
    expect(log).toEqual(['start 127.0.0.1:9171', 'close 127.0.0.1:9171', 'start 127.0.0.1:9171']);
    await endpoint.close();
    expect(log.at(-1)).toBe('close 127.0.0.1:9171');
  });
});
