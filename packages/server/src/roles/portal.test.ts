import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { startTestPortal } from '../../test/portal.ts';

test('a port in use is one error naming the port and its setting, and nothing stays open', async () => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
  const port = (blocker.address() as { port: number }).port;
  try {
    for (const [setting, override] of [
      ['https.port', { 'https.port': port }],
      ['http.port', { 'http.port': port }],
    ] as const) {
      await assert.rejects(startTestPortal({ overrides: override }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'config.port_unavailable');
        assert.equal(
          err.message,
          `Port ${port} (${setting}) on 127.0.0.1 is already in use. Stop the program that uses it, or choose another port with --${setting.replace('.', '-')}.`,
        );
        return true;
      });
    }
  } finally {
    blocker.close();
  }
});
