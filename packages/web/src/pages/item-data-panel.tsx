import { itemDataUrl } from '../api/content.ts';
import type { Item } from '../api/types.ts';
import { formatBytes } from '../lib/format.ts';

/** A file item's file (name, size, Download); for other items, the size of their data. */
export function ItemDataPanel({ item }: { item: Item }) {
  const size = item.size ?? 0;
  if (!item.name && size <= 0) return null;
  const filename = item.name || `${item.id}.json`;
  return (
    <section aria-labelledby="data-heading" className="panel data-panel" data-testid="item-data">
      <h2 id="data-heading">Data</h2>
      <p>
        {item.name ? (
          <>
            <strong data-testid="item-file-name">{item.name}</strong> ·{' '}
          </>
        ) : (
          'Stored as text · '
        )}
        <span data-testid="item-file-size" title={`${size} bytes`}>
          {formatBytes(size)}
        </span>
      </p>
      <div className="actions">
        <a className="button" href={itemDataUrl(item.id)} download={filename}>
          Download
        </a>
      </div>
    </section>
  );
}
