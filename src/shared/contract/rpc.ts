/**
 * The contract machinery: a service is described once (method argument
 * schemas, whether it mutates, its result type), and from that description
 * come the typed client proxy, the dispatcher that validates every inbound
 * call, and the event channel. Transports (Electron IPC, WebSocket, in-memory)
 * only move JSON-shaped messages; nothing here knows which one it runs on.
 */
import { z } from 'zod';

/** Who is calling: war-room screens and browser viewers get `viewer`, which never mutates. */
export type Role = 'viewer' | 'operator';

export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  args: A;
  /** A mutating method needs the operator role. */
  mutates: boolean;
  /**
   * Streams belong to the connection that opened them. `open`: the result
   * is `{ stream: id }`, now owned by the caller; `use`: the first argument
   * is a stream id the caller must own. Events whose payload has a `stream`
   * go to its owner only (a log tail or a shell is never broadcast).
   */
  stream?: 'open' | 'use';
  /** Phantom: the result type, for the client's typing only. */
  readonly result?: R;
}

/** Declares a method: `method<ResultType>()(z.tuple([...]), { mutates })`. */
export function method<R>() {
  return <A extends z.ZodTuple>(args: A, opts: { mutates?: boolean; stream?: 'open' | 'use' } = {}): MethodSpec<A, R> => ({ args, mutates: opts.mutates ?? false, stream: opts.stream });
}

export type ServiceSpec = Record<string, MethodSpec>;
export type ContractSpec = Record<string, ServiceSpec>;

/** The client-side shape of a contract: every method returns a promise of its result. */
export type Api<C extends ContractSpec> = {
  [S in keyof C]: { [M in keyof C[S]]: C[S][M] extends MethodSpec<infer A, infer R> ? (...args: z.input<A>) => Promise<R> : never };
};

/** The server-side shape: what core services must implement. */
export type Impl<C extends ContractSpec> = {
  [S in keyof C]: { [M in keyof C[S]]: C[S][M] extends MethodSpec<infer A, infer R> ? (...args: z.output<A>) => R | Promise<R> : never };
};

export type ErrorCode = 'bad-request' | 'not-found' | 'forbidden' | 'unavailable' | 'internal';

export class ContractError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type Message =
  | { t: 'req'; id: number; service: string; method: string; args: unknown[] }
  | { t: 'res'; id: number; ok: true; value: unknown }
  | { t: 'res'; id: number; ok: false; code: ErrorCode; message: string }
  | { t: 'evt'; name: string; payload: unknown };

/** Moves messages between the two ends. Implementations: memory pair, WebSocket, Electron IPC. */
export interface Transport {
  send(msg: Message): void;
  onMessage(fn: (msg: unknown) => void): () => void;
}

/** Calls one connection may have unanswered at once. */
export const MAX_IN_FLIGHT = 32;

const messageSchema = z.object({ t: z.literal('req'), id: z.number().int().nonnegative(), service: z.string().max(64), method: z.string().max(64), args: z.array(z.unknown()).max(32) });

/** Typed pub/sub for the contract's events, on the serving side. */
export class EventBus<E extends Record<string, unknown>> {
  private readonly subs = new Set<(name: string, payload: unknown) => void>();

  /** Reports a subscriber's error (default: console.error); the other subscribers still get the event. */
  constructor(private readonly onError: (name: string, error: unknown) => void = (name, e) => console.error(`event ${name}: a subscriber failed:`, e)) {}

  emit<K extends keyof E & string>(name: K, payload: E[K]): void {
    for (const s of this.subs) {
      try {
        s(name, payload);
      } catch (e) {
        // One broken subscriber must not keep the event from the others (or throw into the emitter's code).
        this.onError(name, e);
      }
    }
  }

  /** Every event, for transports; returns the unsubscribe function. */
  tap(fn: (name: string, payload: unknown) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
}

/**
 * Serves `impl` over one transport connection with `role`. Every request is
 * checked: known service and method, role allowed, arguments valid for the
 * schema. Errors go back as codes with a message, never as stack traces.
 */
export function serve<C extends ContractSpec, E extends Record<string, unknown>>(
  contract: C,
  impl: Impl<C>,
  bus: EventBus<E>,
  transport: Transport,
  role: Role,
  opts: {
    /** Ends a stream this connection still owned when it went away (a tail, a shell). */
    release?: (stream: string) => void;
  } = {},
): () => void {
  let inFlight = 0;
  const owned = new Set<string>();
  const offMessages = transport.onMessage((raw) => {
    const parsed = messageSchema.safeParse(raw);
    if (!parsed.success) {
      // Without a valid id there is no one to answer; drop it.
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'number') transport.send({ t: 'res', id, ok: false, code: 'bad-request', message: 'malformed request' });
      return;
    }
    const req = parsed.data;
    // A client may not queue unbounded work (each call can cost an API request at a site).
    if (inFlight >= MAX_IN_FLIGHT) {
      transport.send({ t: 'res', id: req.id, ok: false, code: 'unavailable', message: `too many calls in flight (limit ${MAX_IN_FLIGHT}); wait for answers before sending more` });
      return;
    }
    inFlight++;
    void handle(req)
      .then((msg) => transport.send(msg))
      .finally(() => inFlight--);
  });
  const handle = async (req: z.infer<typeof messageSchema>): Promise<Message> => {
    const fail = (code: ErrorCode, message: string): Message => ({ t: 'res', id: req.id, ok: false, code, message });
    const service = Object.hasOwn(contract, req.service) ? contract[req.service] : undefined;
    const spec = service && Object.hasOwn(service, req.method) ? service[req.method] : undefined;
    if (!service || !spec) return fail('not-found', `no method ${req.service}.${req.method}`);
    if (spec.mutates && role !== 'operator') return fail('forbidden', `${req.service}.${req.method} needs the operator role; this connection is read-only (${role})`);
    const args = spec.args.safeParse(req.args);
    if (!args.success) {
      const issue = args.error.issues[0];
      return fail('bad-request', `invalid arguments for ${req.service}.${req.method}: ${issue ? `${issue.path.join('.') || 'args'}: ${issue.message}` : 'invalid'}`);
    }
    // Another connection's stream does not exist as far as this one is concerned.
    if (spec.stream === 'use' && !owned.has(String((args.data as unknown[])[0]))) return fail('not-found', `no such stream for this connection (it ended, or it was never opened here)`);
    try {
      const fn = (impl as Record<string, Record<string, (...a: unknown[]) => unknown>>)[req.service]?.[req.method];
      if (!fn) return fail('not-found', `${req.service}.${req.method} is not implemented`);
      const value = await fn(...(args.data as unknown[]));
      if (spec.stream === 'open') {
        const id = (value as { stream?: unknown } | null)?.stream;
        if (typeof id !== 'string') return fail('internal', `${req.service}.${req.method} opened no stream`);
        if (closed) opts.release?.(id);
        else owned.add(id);
      }
      return { t: 'res', id: req.id, ok: true, value };
    } catch (e) {
      if (e instanceof ContractError) return fail(e.code, e.message);
      return fail('internal', e instanceof Error ? e.message : String(e));
    }
  };
  const offEvents = bus.tap((name, payload) => {
    const stream = (payload as { stream?: unknown } | null)?.stream;
    if (typeof stream === 'string' && !owned.has(stream)) return;
    transport.send({ t: 'evt', name, payload });
  });
  let closed = false;
  return () => {
    closed = true;
    offMessages();
    offEvents();
    for (const id of owned) opts.release?.(id);
    owned.clear();
  };
}

/** The client end: a typed proxy plus event subscription. */
export interface Client<C extends ContractSpec, E extends Record<string, unknown>> {
  api: Api<C>;
  on<K extends keyof E & string>(name: K, fn: (payload: E[K]) => void): () => void;
  close(): void;
}

export function connect<C extends ContractSpec, E extends Record<string, unknown>>(contract: C, transport: Transport): Client<C, E> {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const off = transport.onMessage((raw) => {
    const msg = raw as Message;
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new ContractError(msg.code, msg.message));
    } else if (msg.t === 'evt') {
      for (const fn of listeners.get(msg.name) ?? []) fn(msg.payload);
    }
  });
  const api = {} as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>;
  for (const [service, methods] of Object.entries(contract)) {
    api[service] = {};
    for (const name of Object.keys(methods)) {
      (api[service] as Record<string, (...a: unknown[]) => Promise<unknown>>)[name] = (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          // Omitted optional arguments stay omitted: JSON would turn a trailing undefined into null.
          let n = args.length;
          while (n > 0 && args[n - 1] === undefined) n--;
          transport.send({ t: 'req', id, service, method: name, args: args.slice(0, n) });
        });
    }
  }
  return {
    api: api as Api<C>,
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as (p: unknown) => void);
      return () => set.delete(fn as (p: unknown) => void);
    },
    close() {
      off();
      for (const p of pending.values()) p.reject(new ContractError('unavailable', 'connection closed'));
      pending.clear();
    },
  };
}
