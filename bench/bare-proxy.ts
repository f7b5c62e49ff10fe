/**
 * The floor of any router hop: a bare `node:http` proxy that forwards `POST /<subgraph>` to that subgraph
 * as it came (the direct baseline's signed request: headers and body untouched) over a keep-alive agent,
 * and streams the answer back. No authentication, planning, cost, signature or log line: what a separate
 * Node process in front of a subgraph costs at the least on this machine, against which the router's own
 * overhead is read (issue 20). A child process of `pnpm bench`: PORT and `<NAME>_URL` per subgraph.
 */
import { Agent, createServer, request } from 'node:http';
import { SUBGRAPHS } from '../stack/src/subgraphs.js';

const port = Number(process.env.PORT);
if (!port) throw new Error('PORT is required');
const upstream = new Map(SUBGRAPHS.map((s) => [`/${s.name}`, process.env[`${s.name.toUpperCase()}_URL`]]));
// As the router's client (kit targets.ts): keep-alive, enough sockets for any bench concurrency.
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

createServer((req, res) => {
  if (req.url === '/readyz') return void res.end('ok');
  const url = upstream.get(req.url ?? '');
  if (req.method !== 'POST' || !url) {
    res.statusCode = 404;
    return void res.end();
  }
  const { host: _host, connection: _connection, ...headers } = req.headers;
  const out = request(url, { method: 'POST', agent, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => {
    res.statusCode = 502;
    res.end();
  });
  req.pipe(out);
}).listen(port, '127.0.0.1');
