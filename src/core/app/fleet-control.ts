/**
 * The training fleet's control endpoint as the console's services call it
 * (training, replay): HTTPS pinned to the fleet's CA, its own bearer token,
 * JSON both ways. The token is sent, never quoted: Node's errors name host
 * and port at most, not the request's headers.
 */
import https from 'node:https';
import { ContractError } from '../../shared/contract/rpc';

/** Where the fleet's control endpoint is and how to reach it. */
export interface FleetControl {
  url: string;
  token: string;
  caCert: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * One request. The fleet's refusals (400, 404) become `bad-request` in its
 * own words after `refused` ("the training fleet refused: …"); anything else
 * is `unavailable`.
 */
export function controlRequest<T>(c: FleetControl, method: string, p: string, body: unknown, refused: string): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const headers = { authorization: `Bearer ${c.token}`, accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) };
    const req = https.request(new URL(p, c.url), { method, ca: c.caCert, agent: false, timeout: REQUEST_TIMEOUT_MS, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return reject(new ContractError('unavailable', `the training fleet answered ${res.statusCode ?? 0} with something that is not JSON`));
        }
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return resolve(json as T);
        const msg = typeof (json as { error?: unknown })?.error === 'string' ? (json as { error: string }).error : `HTTP ${code}`;
        reject(new ContractError(code === 400 || code === 404 ? 'bad-request' : 'unavailable', `${refused}: ${msg}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', (e) => reject(new ContractError('unavailable', `the training fleet's control endpoint cannot be reached: ${e.message}`)));
    req.end(payload);
  });
}
