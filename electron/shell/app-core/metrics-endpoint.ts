// The Prometheus endpoint inside the app: the core's HTTP server (/metrics, /healthz, the dashboard),
// switched on and off from the tray. A busy port or a bad address is a message for the UI, never a crash.
import { checkListenAddress, listenExposureProblem, type ListenAddress } from '../../core/config/listen.js';
import { redactSecrets } from '../../core/secrets.js';

export interface ServerHandle {
  readonly url: string;
  close(): Promise<void>;
}

export interface EndpointPlan {
  readonly enabled: boolean;
  readonly listen: ListenAddress | null;
  /** Why it cannot run as asked (bad address, exposed without a token); null when it can. */
  readonly problem: string | null;
}

/**
 * What to serve: the app's own address when the user set one, else the config file's server.listen.
 * Beyond this machine the config's server.authToken is required, as for `footprint serve`.
 */
export function planEndpoint(settings: { enabled: boolean; listen: string | null }, server: { listen: ListenAddress; authToken: string | null }): EndpointPlan {
  if (!settings.enabled) return { enabled: false, listen: null, problem: null };
  let listen = server.listen;
  if (settings.listen !== null) {
    const parsed = checkListenAddress(settings.listen);
    if ('problem' in parsed) return { enabled: true, listen: null, problem: `metrics.listen in the app's settings ${parsed.problem}` };
    listen = parsed;
  }
  const exposure = listenExposureProblem(listen, server.authToken, 'the metrics address');
  return { enabled: true, listen, problem: exposure };
}

export class MetricsEndpoint {
  private readonly start: (listen: ListenAddress) => Promise<ServerHandle>;
  private server: ServerHandle | null = null;
  private current: string | null = null;
  private queue: Promise<void> = Promise.resolve();
  /** Why the endpoint is not served although enabled; null when serving or off. */
  problem: string | null = null;

  constructor(start: (listen: ListenAddress) => Promise<ServerHandle>) {
    this.start = start;
  }

  get url(): string | null {
    return this.server?.url ?? null;
  }

  /** Starts, stops or moves the server to match the plan. Calls are applied one after another. */
  apply(plan: EndpointPlan): Promise<void> {
    this.queue = this.queue.then(() => this.applyNow(plan));
    return this.queue;
  }

  private async applyNow(plan: EndpointPlan): Promise<void> {
    const wanted = plan.enabled && plan.listen && !plan.problem ? plan.listen.text : null;
    if (wanted !== null && wanted === this.current && this.server) return;
    await this.stop();
    this.problem = plan.problem;
    if (wanted === null || !plan.listen) return;
    try {
      this.server = await this.start(plan.listen);
      this.current = wanted;
    } catch (error) {
      // ListenError messages say what to do ("… is already in use — stop the other program or choose another port").
      this.problem = redactSecrets(error instanceof Error ? error.message : String(error));
    }
  }

  private async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.current = null;
    if (server) await server.close();
  }

  close(): Promise<void> {
    this.queue = this.queue.then(() => this.stop());
    return this.queue;
  }
}
