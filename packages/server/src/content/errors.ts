import { defineError } from '../kernel/errors/meridian-error.ts';

/** Same answer for a missing item and one the caller may not see: existence never leaks. */
export const ItemNotFound = defineError({
  code: 'content.item_not_found',
  status: 400,
  summary: 'Item does not exist or is inaccessible.',
  fix: 'Check the item id, and that you are signed in as a user the item is shared with.',
});

export const GroupNotFound = defineError({
  code: 'content.group_not_found',
  status: 400,
  summary: 'Group does not exist or is inaccessible.',
  fix: 'Check the group id, and that you are signed in as a member of a private group.',
});

export const FolderNotFound = defineError({
  code: 'content.folder_not_found',
  status: 400,
  summary: 'Folder does not exist.',
  fix: "Check the folder id (list the user's content to see the folders), or use '/' for the root folder.",
});

export const FolderExists = defineError({
  code: 'content.folder_exists',
  status: 409,
  arcgisCode: 400,
  summary: 'A folder with this title already exists for the user.',
  fix: 'Choose another title, or use the existing folder.',
});

export const UserNotFound = defineError({
  code: 'content.user_not_found',
  status: 400,
  summary: 'User does not exist.',
  fix: 'Check the username in the URL.',
});

export const NotPermitted = defineError({
  code: 'content.not_permitted',
  status: 403,
  summary: 'You do not have permissions to access this resource or perform this operation.',
  fix: 'Only the owner of the content (or group), a group administrator, or an organisation administrator may do this.',
});

export const ItemDataMissing = defineError({
  code: 'content.item_data_missing',
  status: 400,
  summary: 'The item has no data.',
  fix: 'Add data to the item with update (text or file) first.',
});

export const InvalidItemField = defineError({
  code: 'content.invalid_field',
  status: 400,
  summary: 'An item or group field has an invalid value.',
  fix: 'Correct the parameter named in the message and send the request again.',
});

export const InvalidSearch = defineError({
  code: 'content.invalid_search',
  status: 400,
  summary: 'The search query q (or bbox, sortField, start, num) could not be understood.',
  fix: 'Correct the part of the query named in the message; see the search syntax in the ArcGIS search reference (field:value, AND, OR, NOT, "phrases", parentheses).',
});

export const FileStoreFailed = defineError({
  code: 'content.file_store_failed',
  status: 500,
  summary: 'The uploaded file could not be stored.',
  fix: 'Check that the files directory (content.filesDir, by default <home>/files) is writable and has free space, then upload again.',
});

export const FileStoreNotShared = defineError({
  code: 'content.files_not_shared',
  status: 500,
  summary: "This node's files directory is not the portal's file store.",
  fix: 'Every node of one database must use the same files directory: mount the shared directory on this node and set MERIDIAN_FILES_DIR (content.filesDir) to it, as on the other nodes. If the store moved, copy all of it, its .meridian-store file included.',
});

export const ItemDataMismatch = defineError({
  code: 'content.data_type_mismatch',
  status: 400,
  summary: "The item's data is not in the format its declared type requires.",
  fix: 'Upload data in the format of the type (GeoJSON, Web Map JSON, CSV), or declare the type that matches the data.',
});

export const InvalidThumbnail = defineError({
  code: 'content.thumbnail_invalid',
  status: 400,
  summary: 'The thumbnail is not a PNG, JPEG or GIF image of at most 1 MiB.',
  fix: 'Upload a PNG, JPEG or GIF image of at most 1 MiB as the thumbnail file part.',
});
