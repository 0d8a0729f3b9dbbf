// The baseline of `npm run bench`: a bare grpc-js unary echo over mutual TLS, in its own
// process, with the same certificates the gateways use. Prints its port, then serves.
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ECHO_SERVICE } from './echo-service.js';

const [caPath, certPath, keyPath] = process.argv.slice(2);
const server = new grpc.Server();
server.addService(ECHO_SERVICE, {
  Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, call.request),
});
const creds = grpc.ServerCredentials.createSsl(
  readFileSync(caPath!),
  [{ cert_chain: readFileSync(certPath!), private_key: readFileSync(keyPath!) }],
  true,
);
server.bindAsync('127.0.0.1:0', creds, (err, port) => {
  if (err) throw err;
  process.stdout.write(`${port}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
