/**
 * A webhook receiver in a process of its own (bench/events.ts forks it), so that receipt times
 * are not delayed by the load generator's event loop. Records the first receipt (`Date.now()`)
 * of each event id and counts repeats; answers 200. Talks to its parent over IPC:
 * `count`, `report` (every receipt), `clear`, `close`.
 */
import { createServer } from 'node:http';

type Request = { type: 'count' | 'report' | 'clear' | 'close' };

const received = new Map<string, number>();
let duplicates = 0;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const at = Date.now();
    if (body.startsWith('{"version"')) {
      const id = (JSON.parse(body) as { id: string }).id;
      if (received.has(id)) duplicates++;
      else received.set(id, at);
    }
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', port: (server.address() as { port: number }).port }));
process.on('message', (message: Request) => {
  if (message.type === 'count') process.send!({ type: 'count', count: received.size, duplicates });
  else if (message.type === 'report') process.send!({ type: 'report', received: [...received], duplicates });
  else if (message.type === 'clear') {
    received.clear();
    duplicates = 0;
    process.send!({ type: 'clear' });
  } else if (message.type === 'close') {
    server.close();
    server.closeAllConnections();
    process.disconnect();
  }
});
