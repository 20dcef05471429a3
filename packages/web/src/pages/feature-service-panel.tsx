import { useMemo, useState } from 'react';
import { getBasemap } from '../api/basemap.ts';
import { ApiError, messageOf } from '../api/errors.ts';
import { getFeatureService, type ServiceRef } from '../api/feature-service.ts';
import { getServerToken, serverRootOf } from '../api/server-token.ts';
import type { Item } from '../api/types.ts';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { useAsync } from '../lib/use-async.ts';
import { FeatureLayerView } from './feature-layer-view.tsx';

interface Connection {
  ref: ServiceRef;
  /** Why there is no token (the service is then read anonymously). */
  tokenError: unknown;
}

/** A server token for the service's server; without one (standalone or public server) the service is read anonymously. */
async function connect(url: string): Promise<Connection> {
  const root = serverRootOf(url);
  if (!root)
    throw new ApiError(
      400,
      `The item's URL ${url} is not a feature service URL (it has no /rest/services/).`,
    );
  try {
    const { token } = await getServerToken(root);
    return { ref: { url, token }, tokenError: null };
  } catch (err) {
    // The portal's pages may only reach its federated servers (its Content-Security-Policy):
    // another server's service is not read at all.
    if (err instanceof ApiError && err.errorCode === 'servers.not_federated')
      throw new ApiError(
        400,
        `The service is on ${new URL(url).origin}, a server that is not federated with this portal. The portal's pages read services of its federated servers only (Organization › Settings › Servers): federate that server, or open the service URL directly.`,
        [],
        err.errorCode,
      );
    return { ref: { url }, tokenError: err };
  }
}

/** What went wrong reading the service, with the token failure when that is the likely cause. */
function ServiceError({ error, tokenError }: { error: unknown; tokenError: unknown }) {
  const denied = error instanceof ApiError && [403, 498, 499].includes(error.code);
  return (
    <div role="alert" className="alert" data-testid="service-error">
      <p>
        {denied ? 'The GIS server refused access to this service' : 'The service could not be read'}:{' '}
        {messageOf(error)}
      </p>
      {tokenError !== null && <p>The portal gave no token for its server: {messageOf(tokenError)}</p>}
    </div>
  );
}

/** A Feature Service item: its map, layers, fields and attribute table, read from the GIS server. */
export function FeatureServicePanel({ item }: { item: Item }) {
  const url = item.url ?? '';
  const connection = useAsync(() => connect(url), [url]);
  const ref = connection.data?.ref ?? null;
  const service = useAsync(() => (ref ? getFeatureService(ref) : new Promise<never>(() => {})), [ref]);
  const basemap = useAsync(() => getBasemap().catch(() => null), []);
  const [chosen, setChosen] = useState<number | null>(null);

  const entries = useMemo(() => {
    const s = service.data;
    if (!s) return [];
    return [
      ...s.layers.map((l) => ({ ...l, label: l.name })),
      ...s.tables.map((t) => ({ ...t, label: `${t.name} (table)` })),
    ];
  }, [service.data]);
  const layerId = chosen ?? entries[0]?.id ?? null;

  return (
    <section className="panel stack" aria-labelledby="service-heading" data-testid="feature-service">
      <h2 id="service-heading">Feature service</h2>
      <p className="wrap muted">{url || 'This item has no service URL.'}</p>
      {connection.error !== null && <ServiceError error={connection.error} tokenError={null} />}
      {service.error !== null && (
        <ServiceError error={service.error} tokenError={connection.data?.tokenError ?? null} />
      )}
      {url && !service.data && !service.error && !connection.error && <Loading />}
      {service.data && entries.length === 0 && <p>The service has no layers or tables.</p>}
      {ref && entries.length > 0 && layerId !== null && (
        <>
          <Field label="Layer">
            {(id) => (
              <select id={id} value={layerId} onChange={(e) => setChosen(Number(e.target.value))}>
                {entries.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FeatureLayerView key={layerId} serviceRef={ref} layerId={layerId} basemap={basemap.data ?? null} />
        </>
      )}
    </section>
  );
}
