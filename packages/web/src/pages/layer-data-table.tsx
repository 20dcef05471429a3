import { useState } from 'react';
import { type LayerJson, queryAttributes, type ServiceRef } from '../api/feature-service.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { Pager } from '../components/pager.tsx';
import { useAsync } from '../lib/use-async.ts';

const PAGE_SIZE = 25;

interface LayerDataTableProps {
  serviceRef: ServiceRef;
  layer: LayerJson;
  /** The layer's feature count (null while unknown). */
  total: number | null;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The layer's attributes, a page at a time (resultOffset/resultRecordCount), with the feature count. */
export function LayerDataTable({ serviceRef, layer, total }: LayerDataTableProps) {
  const [offset, setOffset] = useState(0);
  const page = useAsync(
    () => queryAttributes(serviceRef, layer, offset, PAGE_SIZE),
    [serviceRef, layer, offset],
  );
  const rows = page.data?.rows ?? [];
  const known = total ?? offset + rows.length + (page.data?.exceededTransferLimit ? 1 : 0);
  const hasNext = total !== null ? offset + PAGE_SIZE < total : page.data?.exceededTransferLimit === true;

  return (
    <section className="stack" aria-labelledby="data-table-heading">
      <h3 id="data-table-heading">
        Attributes{' '}
        <span className="muted" data-testid="feature-count">
          {total === null
            ? ''
            : `(${new Intl.NumberFormat().format(total)} ${total === 1 ? 'feature' : 'features'})`}
        </span>
      </h3>
      <ErrorAlert error={page.error} />
      {page.loading && !page.data && <Loading />}
      {page.data && (
        <div className="table-scroll">
          <table className="table" data-testid="layer-data">
            <caption className="visually-hidden">Attributes of {layer.name}</caption>
            <thead>
              <tr>
                {layer.fields.map((f) => (
                  <th key={f.name} scope="col">
                    {f.alias || f.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={layer.objectIdField ? cell(r[layer.objectIdField]) : offset + i}>
                  {layer.fields.map((f) => (
                    <td key={f.name}>{cell(r[f.name])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        start={offset + 1}
        num={PAGE_SIZE}
        total={known}
        nextStart={hasNext ? offset + PAGE_SIZE + 1 : -1}
        onPage={(start) => setOffset(start - 1)}
      />
    </section>
  );
}
