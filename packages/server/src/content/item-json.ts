import type { Selectable } from 'kysely';
import type { ItemsTable } from './tables.ts';

export type ItemRow = Selectable<ItemsTable>;

function parseJson(text: string | null): unknown {
  if (text === null || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A JSON array of strings as stored (tags, type_keywords); anything else reads as empty. */
export function stringList(text: string): string[] {
  const v = parseJson(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** An item in the ArcGIS item JSON shape (content/items/<id>, search results, user content). */
export function itemJson(row: ItemRow, orgId: string): Record<string, unknown> {
  const hasExtent =
    row.extent_xmin !== null &&
    row.extent_ymin !== null &&
    row.extent_xmax !== null &&
    row.extent_ymax !== null;
  return {
    id: row.id,
    owner: row.owner,
    orgId,
    created: row.created,
    modified: row.modified,
    guid: null,
    name: row.file_name,
    title: row.title,
    type: row.type,
    typeKeywords: stringList(row.type_keywords),
    description: row.description,
    tags: stringList(row.tags),
    snippet: row.snippet,
    thumbnail: row.thumbnail_name ? `thumbnail/${row.thumbnail_name}` : null,
    documentation: null,
    extent: hasExtent
      ? [
          [row.extent_xmin, row.extent_ymin],
          [row.extent_xmax, row.extent_ymax],
        ]
      : [],
    categories: [],
    spatialReference: parseJson(row.spatial_reference),
    accessInformation: row.access_information,
    licenseInfo: row.license_info,
    culture: row.culture,
    properties: parseJson(row.properties),
    advancedSettings: null,
    url: row.url,
    proxyFilter: null,
    access: row.access,
    size: row.size,
    subInfo: 0,
    appCategories: [],
    industries: [],
    languages: [],
    largeThumbnail: null,
    banner: null,
    screenshots: [],
    listed: false,
    ownerFolder: row.folder_id,
    protected: false,
    commentsEnabled: false,
    numComments: 0,
    numRatings: 0,
    avgRating: 0,
    numViews: row.num_views,
    contentOrigin: 'self',
    lastViewed: -1,
  };
}
