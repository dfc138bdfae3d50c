import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryPair } from './memory';
import { connect, ContractError, EventBus, MAX_IN_FLIGHT, method, serve, type Impl } from './rpc';

const toy = {
  nodes: {
    get: method<{ name: string; ready: boolean }>()(z.tuple([z.string().min(1).max(253), z.string().max(8).optional()])),
    cordon: method<{ ok: true }>()(z.tuple([z.string().min(1), z.object({ reason: z.string().max(200) })]), { mutates: true }),
    boom: method<never>()(z.tuple([])),
  },
};
type Events = { 'node.changed': { name: string } };

function setup(role: 'viewer' | 'operator') {
  const calls: string[] = [];
  const impl: Impl<typeof toy> = {
    nodes: {
      get: (name, suffix) => {
        if (name === 'ghost') throw new ContractError('not-found', `node ${name} not found`);
        return { name: name + (suffix ?? ''), ready: true };
      },
      cordon: (name, { reason }) => {
        calls.push(`${name}:${reason}`);
        return { ok: true };
      },
      boom: () => {
        throw new Error('kaput');
      },
    },
  };
  const bus = new EventBus<Events>();
  const [serverEnd, clientEnd] = memoryPair();
  serve(toy, impl, bus, serverEnd, role);
  const client = connect<typeof toy, Events>(toy, clientEnd);
  return { client, calls, bus, clientEnd, serverEnd };
}

describe('contract over the in-memory transport', () => {
  it('calls are typed and return results', async () => {
    const { client } = setup('viewer');
    await expect(client.api.nodes.get('fra-a-r01-u02')).resolves.toEqual({ name: 'fra-a-r01-u02', ready: true });
  });

  it('an omitted optional argument arrives omitted, not as null', async () => {
    const { client } = setup('viewer');
    await expect(client.api.nodes.get('n1', undefined)).resolves.toEqual({ name: 'n1', ready: true });
    await expect(client.api.nodes.get('n1', '-x')).resolves.toEqual({ name: 'n1-x', ready: true });
  });

  it('bad arguments are rejected before reaching the service', async () => {
    const { client, calls } = setup('operator');
    const call = client.api.nodes.cordon as unknown as (...a: unknown[]) => Promise<unknown>;
    await expect(call('n1', { reason: 42 })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('1.reason') });
    await expect(call('', { reason: 'x' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('n1')).rejects.toMatchObject({ code: 'bad-request' });
    expect(calls).toEqual([]);
  });

  it('a viewer connection cannot call a mutating method', async () => {
    const { client, calls } = setup('viewer');
    await expect(client.api.nodes.cordon('n1', { reason: 'psu' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('read-only') });
    expect(calls).toEqual([]);
  });

  it('an operator can, and the service sees validated arguments', async () => {
    const { client, calls } = setup('operator');
    await expect(client.api.nodes.cordon('n1', { reason: 'psu swap' })).resolves.toEqual({ ok: true });
    expect(calls).toEqual(['n1:psu swap']);
  });

  it('service errors keep their code; unexpected ones become internal without a stack', async () => {
    const { client } = setup('viewer');
    await expect(client.api.nodes.get('ghost')).rejects.toMatchObject({ code: 'not-found', message: 'node ghost not found' });
    const err = (await client.api.nodes.boom().catch((e: unknown) => e)) as ContractError;
    expect(err.code).toBe('internal');
    expect(err.message).toBe('kaput');
  });

  it('unknown services and methods, prototype keys and malformed messages are refused', async () => {
    const { clientEnd } = setup('operator');
    const replies: unknown[] = [];
    clientEnd.onMessage((m) => replies.push(m));
    clientEnd.send({ t: 'req', id: 900, service: 'nodes', method: 'constructor', args: [] });
    clientEnd.send({ t: 'req', id: 901, service: '__proto__', method: 'toString', args: [] });
    clientEnd.send({ t: 'req', id: 902, service: 'nodes', method: 'get', args: 'not-an-array' } as never);
    await new Promise((r) => setTimeout(r, 10));
    expect([...replies].sort((a, b) => (a as { id: number }).id - (b as { id: number }).id)).toEqual([
      { t: 'res', id: 900, ok: false, code: 'not-found', message: 'no method nodes.constructor' },
      { t: 'res', id: 901, ok: false, code: 'not-found', message: 'no method __proto__.toString' },
      { t: 'res', id: 902, ok: false, code: 'bad-request', message: 'malformed request' },
    ]);
  });

  it('events reach subscribers until they unsubscribe', async () => {
    const { client, bus } = setup('viewer');
    const seen: string[] = [];
    const off = client.on('node.changed', (p) => seen.push(p.name));
    bus.emit('node.changed', { name: 'a' });
    await new Promise((r) => setTimeout(r, 0));
    off();
    bus.emit('node.changed', { name: 'b' });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['a']);
  });

  it('closing the client fails calls still in flight', async () => {
    const { client } = setup('viewer');
    const p = client.api.nodes.get('x');
    client.close();
    await expect(p).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('a connection may not queue unbounded work: calls beyond the in-flight limit are refused', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = { s: { wait: method<number>()(z.tuple([z.number()])) } };
    const [a, b] = memoryPair();
    serve(slow, { s: { wait: async (n) => (await gate, n) } }, new EventBus<Record<string, never>>(), a, 'viewer');
    const c = connect<typeof slow, Record<string, never>>(slow, b);
    const calls = Array.from({ length: MAX_IN_FLIGHT + 5 }, (_, i) => c.api.s.wait(i).then(() => 'ok', (e: ContractError) => e.code));
    await new Promise((r) => setTimeout(r, 10));
    release();
    const results = await Promise.all(calls);
    expect(results.filter((r) => r === 'ok')).toHaveLength(MAX_IN_FLIGHT);
    expect(results.filter((r) => r === 'unavailable')).toHaveLength(5);
  });
});

describe('streams belong to the connection that opened them', () => {
  const streams = {
    tail: {
      open: method<{ stream: string }>()(z.tuple([z.string()]), { stream: 'open' }),
      stop: method<{ ok: true }>()(z.tuple([z.string()]), { stream: 'use' }),
    },
  };
  type StreamEvents = { 'tail.lines': { stream: string; text: string }; 'site.status': { site: string } };

  function twoConnections() {
    const bus = new EventBus<StreamEvents>();
    const released: string[] = [];
    const stopped: string[] = [];
    let n = 0;
    const impl: Impl<typeof streams> = {
      tail: {
        open: (what) => ({ stream: `${what}-${++n}` }),
        stop: (id) => {
          stopped.push(id);
          return { ok: true };
        },
      },
    };
    const ends = [memoryPair(), memoryPair()].map(([server, client]) => {
      const stop = serve(streams, impl, bus, server, 'viewer', { release: (id) => released.push(id) });
      const c = connect<typeof streams, StreamEvents>(streams, client);
      const seen: string[] = [];
      c.on('tail.lines', (p) => seen.push(`${p.stream}:${p.text}`));
      c.on('site.status', (p) => seen.push(`status:${p.site}`));
      return { c, seen, stop };
    });
    return { bus, ends: ends as [(typeof ends)[0], (typeof ends)[0]], released, stopped };
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it("a stream's events reach its owner only; broadcasts reach everyone", async () => {
    const { bus, ends } = twoConnections();
    const [a, b] = ends;
    const { stream } = await a.c.api.tail.open('logs');
    bus.emit('tail.lines', { stream, text: 'secret line' });
    bus.emit('site.status', { site: 'fra' });
    await tick();
    expect(a.seen).toEqual([`${stream}:secret line`, 'status:fra']);
    expect(b.seen).toEqual(['status:fra']);
  });

  it("another connection cannot use a stream it did not open", async () => {
    const { ends, stopped } = twoConnections();
    const [a, b] = ends;
    const { stream } = await a.c.api.tail.open('logs');
    await expect(b.c.api.tail.stop(stream)).rejects.toMatchObject({ code: 'not-found' });
    expect(stopped).toEqual([]);
    await expect(a.c.api.tail.stop(stream)).resolves.toEqual({ ok: true });
    expect(stopped).toEqual([stream]);
  });

  it('streams still owned when a connection goes away are released', async () => {
    const { ends, released } = twoConnections();
    const [a, b] = ends;
    const one = await a.c.api.tail.open('logs');
    const two = await a.c.api.tail.open('shell');
    await b.c.api.tail.open('other');
    a.stop();
    expect(released.sort()).toEqual([one.stream, two.stream].sort());
  });
});
