// Primary side of test/cluster/stop-gone-server.test.ts: forks a server process that exits at
// once, blocks until it has exited (so the channel still looks connected), then asks it to stop.
import cluster from 'node:cluster';

if (cluster.isPrimary) {
  const { askToStop } = await import(process.env.CLUSTER_MODULE);
  const server = cluster.fork();
  server.on('message', () => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    process.stdout.write(`connected before stop: ${server.isConnected()}\n`);
    askToStop(server);
  });
  server.on('exit', () => process.stdout.write('server exited\n'));
} else {
  process.send({ type: 'ready' }, () => process.exit(0));
}
