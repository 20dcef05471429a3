/** A federation login with an indexed aggregate of generated entities, for the discovery tests. */
import { setTimeout as sleep } from 'node:timers/promises';
import { inflateRawSync } from 'node:zlib';
import type { TestPortal } from '../../../test/portal.ts';
import type { FederationsApi } from '../../federations/module.ts';
import {
  aggregateXml,
  entityCertificates,
  makeSigningKey,
  signMetadata,
} from '../../federations/test-aggregate.ts';
import { postForm } from '../signin/test-saml.ts';

async function* chunks(text: string, size = 64 * 1024): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

export interface TestFederation {
  loginId: string;
  federationId: string;
  federations: FederationsApi;
  /** Milliseconds the ingest of the aggregate took. */
  ingestMs: number;
}

/**
 * Registers a federation login (its metadata URL unreachable: the first refresh fails, as the
 * tests of the last good metadata want), then loads a signed aggregate of `entities` generated
 * entities (every 4th a service provider) through the federations module's ingest.
 */
export async function registerTestFederation(
  portal: TestPortal,
  admin: string,
  o: { entities: number; discoveryServiceUrl?: string; name?: string },
): Promise<TestFederation> {
  const key = await makeSigningKey();
  const certs = await entityCertificates(2);
  const fed = await postForm(portal, '/sharing/rest/portals/self/idp/federation/register', admin, {
    name: o.name ?? 'Example Federation',
    metadataServiceUrl: 'https://127.0.0.1:9/metadata.xml',
    certificate: key.certPem,
    discoveryServiceUrl: o.discoveryServiceUrl ?? '',
    signUpMode: 'Automatic',
  });
  if (!fed.id) throw new Error(`federation register: ${JSON.stringify(fed)}`);
  const login = await portal.call(
    '/sharing/rest/portals/self/idp/federation',
    { token: admin },
    { method: 'GET' },
  );
  const federationId = login.federationId as string;
  const federations = portal.modules.federations;
  // The refresh started at registration fails (nothing listens there); wait for it to end.
  for (let i = 0; i < 200; i++) {
    const f = await federations.get(federationId);
    if (f.lastAttempt !== null && !f.refreshing) break;
    await sleep(50);
  }
  const xml = signMetadata(
    aggregateXml({
      entities: o.entities,
      validUntil: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      cacheDuration: 'PT6H',
      certificates: certs,
    }),
    key,
  );
  const t0 = performance.now();
  await federations.ingest(federationId, chunks(xml));
  return { loginId: fed.id, federationId, federations, ingestMs: performance.now() - t0 };
}

/** The AuthnRequest of a Redirect binding URL (not checking a signature). */
export function authnRequestOf(location: string): { url: URL; xml: string } {
  const url = new URL(location);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest') ?? '', 'base64')).toString();
  return { url, xml };
}
