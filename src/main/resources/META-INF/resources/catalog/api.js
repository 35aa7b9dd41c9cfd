// The catalog's only way to the service: the public GraphQL API, with the API key the person entered (kept for this
// browser tab only). Errors come back as ApiError with a sentence a person can act on.

const KEY = 'quiver.apiKey';

export const keys = {
  get: () => sessionStorage.getItem(KEY) || '',
  set: (k) => (k ? sessionStorage.setItem(KEY, k) : sessionStorage.removeItem(KEY)),
};

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** What a person should read for an error code, before the service's own sentence. */
function lead(code) {
  const c = code || '';
  if (c === 'UNAUTHENTICATED') return 'This catalog needs a valid API key: enter one at the top of the page.';
  if (c === 'FORBIDDEN') return 'Your API key may not do this.';
  if (c === 'RATE_LIMITED') return 'Too many requests: wait a moment and try again.';
  if (c === 'SERVICE_BUSY' || c.endsWith('_UNAVAILABLE')) return 'The service is busy or a store it needs is unreachable: try again shortly.';
  return '';
}

export function describe(error) {
  if (error instanceof ApiError) {
    const l = lead(error.code);
    return l && !error.message.startsWith(l) ? `${l} ${error.message}` : error.message;
  }
  return String(error && error.message ? error.message : error);
}

/** Runs a GraphQL document; returns its data or throws ApiError. */
export async function gql(query, variables = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = keys.get();
  if (key) headers['X-API-Key'] = key;
  let response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new ApiError('The service could not be reached: check that it is running, then reload the page.', 'NETWORK');
  }
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new ApiError(`The service answered ${response.status} without a readable body; try again.`, 'HTTP_' + response.status);
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const code = (first.extensions && first.extensions.code) || body.code || (response.status === 401 ? 'UNAUTHENTICATED' : undefined);
    const messages = [...new Set(body.errors.map((e) => e.message))];
    throw new ApiError(messages.join(' '), code);
  }
  if (!response.ok) {
    const code = body.code || (response.status === 401 ? 'UNAUTHENTICATED' : 'HTTP_' + response.status);
    throw new ApiError(body.message || body.detail || body.title || `The service answered ${response.status}.`, code);
  }
  return body.data;
}

/**
 * Follows a materialization job of a group version over the GraphQL WebSocket (the subscription; a browser cannot put
 * a header on a WebSocket, so the key goes as the subprotocol x-api-key.KEY), else, when the socket fails, by asking
 * every second. Calls onJob with each state; resolves with the last one when the job ends, when signal aborts (the
 * person left the page), or after ten minutes.
 */
export function followJob(id, group, version, onJob, signal) {
  const ended = (j) => j && (j.status === 'SUCCEEDED' || j.status === 'FAILED');
  const fields = 'id status rowsRead entities error errorCode startedAt finishedAt durationMs snapshotId';
  const deadline = Date.now() + 600000;
  let last = null;
  const report = (j) => {
    if (j && !(signal && signal.aborted)) {
      last = j;
      onJob(j);
    }
  };
  const poll = () => new Promise((resolve) => {
    const tick = async () => {
      if ((signal && signal.aborted) || Date.now() > deadline) return resolve(last);
      try {
        const jobs = (await gql('query($g:String!, $v:Int) { materializationJobs(group:$g, version:$v, first:50) { ' + fields + ' } }',
          { g: group, v: version })).materializationJobs;
        report(jobs.find((x) => String(x.id) === String(id)));
        if (ended(last)) return resolve(last);
      } catch (e) { /* asked again in a second */ }
      setTimeout(tick, 1000);
    };
    tick();
  });
  const key = keys.get();
  let ws;
  try {
    ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      key ? ['graphql-transport-ws', `x-api-key.${key}`] : 'graphql-transport-ws');
  } catch (e) {
    return poll(); // a key that cannot be a subprotocol (not a Quiver key)
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (j) => {
      if (settled) return;
      settled = true;
      ws.close();
      resolve(j);
    };
    const fallback = () => {
      if (settled) return;
      settled = true;
      ws.close();
      poll().then(resolve);
    };
    if (signal) signal.addEventListener('abort', () => finish(last));
    ws.onopen = () => ws.send(JSON.stringify({ type: 'connection_init' }));
    ws.onerror = fallback;
    ws.onclose = () => (ended(last) ? finish(last) : fallback());
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { materializationProgress(jobId: ${Number(id)}) { ${fields} } }` } }));
      } else if (msg.type === 'next') {
        report(msg.payload.data && msg.payload.data.materializationProgress);
        if (ended(last)) finish(last);
      } else if (msg.type === 'error') {
        fallback();
      } else if (msg.type === 'complete') {
        if (ended(last)) finish(last);
        else fallback();
      }
    };
  });
}
