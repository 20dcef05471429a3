import { type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { numParam, START_PARAM } from '../../http/paging-params.ts';
import { StringEnum } from '../../http/schemas.ts';

const str = (description?: string) => Type.Optional(Type.String(description ? { description } : {}));
const bool = (description?: string) => Type.Optional(Type.Boolean(description ? { description } : {}));
/** A read-only field a client echoes back: any value, accepted and ignored. */
const ignored = (description: string) => Type.Optional(Type.Unknown({ description }));

/** Item fields of addItem and update, as @esri/arcgis-rest-portal sends them. */
export const ITEM_PARAMS = {
  title: str('Item title (at most 256 characters).'),
  type: str('Item type, for example "Web Map", "CSV", "Feature Service".'),
  typeKeywords: str('Comma list or JSON array of type keywords.'),
  tags: str('Comma list or JSON array of tags.'),
  description: str('Description (may contain HTML; stored as given).'),
  snippet: str('Summary (at most 2048 characters).'),
  url: str('An http(s) URL the item refers to.'),
  text: str('Item data as text (for example web map JSON).'),
  extent: str('xmin,ymin,xmax,ymax or [[xmin,ymin],[xmax,ymax]].'),
  spatialReference: str('Spatial reference of the extent.'),
  properties: Type.Optional(
    Type.Unsafe<string | Record<string, unknown>>({
      type: ['string', 'object'],
      description: 'JSON object of item properties.',
    }),
  ),
  accessInformation: str('Credits.'),
  licenseInfo: str('Terms of use.'),
  culture: str('Locale, for example en-us.'),
  filename: str('Name for the uploaded file.'),
  fileName: str('Name for the uploaded file.'),
  overwrite: bool('Accepted for compatibility; every addItem creates a new item.'),
  async: bool('Accepted for compatibility; uploads complete within the request.'),
  multipart: bool('Chunked uploads (addPart/commit) are not supported: must be false.'),
  dataUrl: str('Not supported: upload the file instead.'),
  thumbnail: str(
    "As text (the item JSON's thumbnail path, echoed back by clients): accepted and ignored. As a file part: the new thumbnail.",
  ),
  thumbnailUrl: str('Not supported: upload the thumbnail as a file part.'),
} satisfies TProperties;

/** The file parts of addItem and update. */
export const ITEM_FILES: Record<string, string> = {
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
/** Typed as no parameter: the handlers never read them. */
export const IGNORED_ITEM_PARAMS = Object.fromEntries(
  READ_ONLY_ITEM_FIELDS.map((k) => [k, ignored('Read-only item field: accepted and ignored.')]),
) as Record<never, TSchema>;

export const GROUP_PARAMS = {
  title: str('Group title.'),
  tags: str('Comma list or JSON array of tags.'),
  description: str(),
  snippet: str(),
  access: Type.Optional(
    StringEnum(['private', 'org', 'public', 'account'], { description: 'Who may see the group.' }),
  ),
  isInvitationOnly: bool(),
  isViewOnly: bool(),
  sortField: str(),
  sortOrder: str(),
  phone: str('Accepted and ignored.'),
  thumbnail: ignored('Accepted and ignored.'),
  autoJoin: bool('Accepted; groups are never auto-join.'),
} satisfies TProperties;

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
export const IGNORED_GROUP_PARAMS = Object.fromEntries(
  READ_ONLY_GROUP_FIELDS.map((k) => [k, ignored('Read-only group field: accepted and ignored.')]),
) as Record<never, TSchema>;

export const SHARE_PARAMS = {
  everyone: bool('Share with everyone (public); false removes public sharing.'),
  org: bool('Share with the organisation; false removes it.'),
  groups: str('Comma list of group ids.'),
  confirmItemControl: bool('Accepted for compatibility (shared update groups).'),
  account: bool('Older name of org, sent by some clients with everyone.'),
} satisfies TProperties;

export const PAGING_PARAMS = {
  start: START_PARAM,
  num: numParam(100, 'Results per page (default 10)'),
} satisfies TProperties;
