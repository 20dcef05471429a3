import { itemThumbnailUrl } from '../api/content.ts';
import type { Item } from '../api/types.ts';

/** The item's thumbnail image, or nothing when it has none. */
export function ItemThumbnail({ item }: { item: Pick<Item, 'id' | 'title' | 'thumbnail'> }) {
  const src = itemThumbnailUrl(item);
  if (!src) return null;
  return (
    <img className="thumbnail" src={src} alt={`Thumbnail of ${item.title}`} data-testid="item-thumbnail" />
  );
}
