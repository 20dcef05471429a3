import { numParam, START_PARAM } from '../../http/paging-params.ts';
import type { JsonSchemaProps } from '../../http/route.ts';

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;

/** Item fields of addItem and update, as @esri/arcgis-rest-portal sends them. */
export const ITEM_PARAMS: JsonSchemaProps = {
  title: { ...str, description: 'Item title (at most 256 characters).' },
  type: { ...str, description: 'Item type, for example "Web Map", "CSV", "Feature Service".' },
  typeKeywords: { ...str, description: 'Comma list or JSON array of type keywords.' },
  tags: { ...str, description: 'Comma list or JSON array of tags.' },
  description: { ...str, description: 'Description (may contain HTML; stored as given).' },
  snippet: { ...str, description: 'Summary (at most 2048 characters).' },
  url: { ...str, description: 'An http(s) URL the item refers to.' },
  text: { ...str, description: 'Item data as text (for example web map JSON).' },
  extent: { ...str, description: 'xmin,ymin,xmax,ymax or [[xmin,ymin],[xmax,ymax]].' },
  spatialReference: { ...str, description: 'Spatial reference of the extent.' },
  properties: { type: ['string', 'object'], description: 'JSON object of item properties.' },
  accessInformation: { ...str, description: 'Credits.' },
  licenseInfo: { ...str, description: 'Terms of use.' },
  culture: { ...str, description: 'Locale, for example en-us.' },
  filename: { ...str, description: 'Name for the uploaded file.' },
  fileName: { ...str, description: 'Name for the uploaded file.' },
  overwrite: { ...bool, description: 'Accepted for compatibility; every addItem creates a new item.' },
  async: { ...bool, description: 'Accepted for compatibility; uploads complete within the request.' },
  multipart: { ...bool, description: 'Chunked uploads (addPart/commit) are not supported: must be false.' },
  dataUrl: { ...str, description: 'Not supported: upload the file instead.' },
  thumbnail: {
    ...str,
    description:
      "As text (the item JSON's thumbnail path, echoed back by clients): accepted and ignored. As a file part: the new thumbnail.",
  },
  thumbnailUrl: { ...str, description: 'Not supported: upload the thumbnail as a file part.' },
};

/** The file parts of addItem and update. */
export const ITEM_FILES = {
  file: 'Item data as a multipart file part (limit: uploads.maxBytes).',
  thumbnail: 'Thumbnail image (PNG, JPEG or GIF, at most 1 MiB) as a multipart file part.',
};

/**
 * Read-only fields of the item JSON that clients send back when they pass a whole item to
 * updateItem (arcgis-rest-js merges the item into the parameters). Accepted and ignored.
 */
const READ_ONLY_ITEM_FIELDS = [
  'id',
  'owner',
  'orgId',
  'created',
  'modified',
  'guid',
  'name',
  'numViews',
  'size',
  'access',
  'ownerFolder',
  'protected',
  'commentsEnabled',
  'numComments',
  'numRatings',
  'avgRating',
  'documentation',
  'categories',
  'itemControl',
  'lastViewed',
  'contentOrigin',
  'listed',
  'subInfo',
  'proxyFilter',
  'advancedSettings',
  'appCategories',
  'industries',
  'languages',
  'largeThumbnail',
  'banner',
  'screenshots',
  'groupDesignations',
  'scoreCompleted',
  'isOrgItem',
];
export const IGNORED_ITEM_PARAMS: JsonSchemaProps = Object.fromEntries(
  READ_ONLY_ITEM_FIELDS.map((k) => [k, { description: 'Read-only item field: accepted and ignored.' }]),
);

export const GROUP_PARAMS: JsonSchemaProps = {
  title: { ...str, description: 'Group title.' },
  tags: { ...str, description: 'Comma list or JSON array of tags.' },
  description: str,
  snippet: str,
  access: {
    type: 'string',
    enum: ['private', 'org', 'public', 'account'],
    description: 'Who may see the group.',
  },
  isInvitationOnly: bool,
  isViewOnly: bool,
  sortField: str,
  sortOrder: str,
  phone: { ...str, description: 'Accepted and ignored.' },
  thumbnail: { description: 'Accepted and ignored.' },
  autoJoin: { ...bool, description: 'Accepted; groups are never auto-join.' },
};

const READ_ONLY_GROUP_FIELDS = [
  'id',
  'owner',
  'created',
  'modified',
  'protected',
  'isFav',
  'isReadOnly',
  'isOpenData',
  'userMembership',
  'orgId',
  'capabilities',
  'typeKeywords',
  'featuredItemsId',
  'provider',
  'providerGroupName',
  'notificationsEnabled',
  'leavingDisallowed',
  'hiddenMembers',
  'displaySettings',
  'hasCategorySchema',
];
export const IGNORED_GROUP_PARAMS: JsonSchemaProps = Object.fromEntries(
  READ_ONLY_GROUP_FIELDS.map((k) => [k, { description: 'Read-only group field: accepted and ignored.' }]),
);

export const SHARE_PARAMS: JsonSchemaProps = {
  everyone: { ...bool, description: 'Share with everyone (public); false removes public sharing.' },
  org: { ...bool, description: 'Share with the organisation; false removes it.' },
  groups: { ...str, description: 'Comma list of group ids.' },
  confirmItemControl: { ...bool, description: 'Accepted for compatibility (shared update groups).' },
  account: { ...bool, description: 'Older name of org, sent by some clients with everyone.' },
};

export const PAGING_PARAMS: JsonSchemaProps = {
  start: START_PARAM,
  num: numParam(100, 'Results per page (default 10)'),
};
