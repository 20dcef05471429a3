/**
 * Ticket keys rotate with overlap on a schedule every node derives from the clock and the
 * database: at a period boundary both nodes issue with the new period's key and still accept
 * the previous one (and the next one, from a node whose clock is ahead), so sessions resume
 * across a rotation on either node; a key two periods old is retired. The clock is moved by
 * refreshing the nodes' keys at later instants.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { handshake } from './test-handshake.ts';
import { TICKET_KEY_LIFETIME_MS as L, ticketPeriod } from './ticket-keys.ts';

describe('TLS ticket key rotation across two nodes', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  /** Moves both nodes' ticket keys to the instant `at`. */
  const moveTo = async (at: number, nodes = [a, b]) => {
    for (const n of nodes) await n.modules.tls.web.refreshTicketKeys(at);
  };

  for (const version of ['1.2', '1.3'] as const)
    test(`TLS ${version}: sessions resume across a rotation on either node, with and without SNI`, async () => {
      // The middle of a period far from now, so each step lands in a period of its own.
      const t0 = (ticketPeriod(Date.now()) + (version === '1.2' ? 10 : 20)) * L + L / 2;
      await moveTo(t0);
      const ca = a.caCertPem;
      const first = await handshake(a.httpsPort, ca, { version });
      assert.equal(first.reused, false);

      await moveTo(t0 + L);
      assert.deepEqual(
        a.modules.tls.web.tickets.periods,
        [0, 1, 2].map((d) => ticketPeriod(t0) + d),
      );
      for (const [node, sni] of [
        [b, true],
        [b, false],
        [a, true],
      ] as const) {
        const r = await handshake(node.httpsPort, ca, { version, sni, session: first.session });
        assert.equal(r.reused, true, `a ticket of the previous period resumes (SNI ${sni})`);
      }
      const renewed = await handshake(b.httpsPort, ca, { version, session: first.session });
      assert.equal(renewed.reused, true);

      await moveTo(t0 + 2 * L);
      const old = await handshake(a.httpsPort, ca, { version, session: first.session });
      assert.equal(old.reused, false, 'a ticket two periods old needs a full handshake');
      const current = await handshake(a.httpsPort, ca, { version, session: renewed.session });
      assert.equal(current.reused, true, 'the ticket renewed under the next key still resumes');

      // Node A's clock runs a period ahead of B's: B accepts what A issues, and A what B issues.
      await moveTo(t0 + 3 * L, [a]);
      const ahead = await handshake(a.httpsPort, ca, { version });
      const onB = await handshake(b.httpsPort, ca, { version, session: ahead.session });
      assert.equal(onB.reused, true, "a lagging node accepts the next period's tickets");
      const behind = await handshake(b.httpsPort, ca, { version });
      const onA = await handshake(a.httpsPort, ca, { version, session: behind.session });
      assert.equal(onA.reused, true, "a node ahead still accepts the previous period's tickets");
    });

  test('keys older than the previous period are deleted; one key per period on both nodes', async () => {
    const t = (ticketPeriod(Date.now()) + 40) * L + 1;
    await moveTo(t);
    const rows = await a.kernel.db.kysely.selectFrom('tls_ticket_keys').select('id').execute();
    const periods = rows.map((r) => Number(r.id.slice(1))).sort((x, y) => x - y);
    assert.ok(
      periods.every((p) => p >= ticketPeriod(t) - 1),
      `stored periods ${periods}`,
    );
    assert.deepEqual(a.modules.tls.web.tickets.issuing?.key, b.modules.tls.web.tickets.issuing?.key);
    assert.equal(a.modules.tls.web.tickets.issuing?.period, ticketPeriod(t));
  });
});
