import { request } from './client.ts';
import type { Item, UserContent } from './types.ts';

const enc = encodeURIComponent;
const CONTENT = '/sharing/rest/content';

/** The items of the user's root folder, or of one folder, and the list of every folder. */
export async function getUserContent(
  username: string,
  folderId: string | null = null,
  start = 1,
  num = 100,
): Promise<UserContent> {
  const path = `${CONTENT}/users/${enc(username)}${folderId ? `/${enc(folderId)}` : ''}`;
  const answer = await request<UserContent>(path, { query: { start, num } });
  return {
    ...answer,
    items: answer.items ?? [],
    folders: answer.folders ?? [],
    total: answer.total ?? answer.items?.length ?? 0,
    nextStart: answer.nextStart ?? -1,
  };
}

export interface NewItem {
  title: string;
  type: string;
  tags: string;
  description: string;
  url?: string;
  text?: string;
  file?: File;
}

export function addItem(
  username: string,
  item: NewItem,
  folderId: string | null = null,
): Promise<{ success: boolean; id: string; folder?: string | null }> {
  const folder = folderId ? `/${enc(folderId)}` : '';
  return request(`${CONTENT}/users/${enc(username)}${folder}/addItem`, {
    method: 'POST',
    form: {
      title: item.title,
      type: item.type,
      tags: item.tags,
      description: item.description,
      url: item.url || undefined,
      text: item.text || undefined,
    },
    files: item.file ? { file: item.file } : undefined,
  });
}

export function getItem(id: string): Promise<Item> {
  return request<Item>(`${CONTENT}/items/${enc(id)}`);
}

/** The fields the item page edits; every one is sent, so a field emptied here is cleared. */
export interface ItemChanges {
  title: string;
  /** The summary. */
  snippet: string;
  description: string;
  /** Comma-separated. */
  tags: string;
}

export function updateItem(
  owner: string,
  id: string,
  changes: ItemChanges,
  thumbnail?: File | null,
): Promise<{ success: boolean; id: string }> {
  return request(`${CONTENT}/users/${enc(owner)}/items/${enc(id)}/update`, {
    method: 'POST',
    form: { ...changes, clearEmptyFields: true },
    files: thumbnail ? { thumbnail } : undefined,
  });
}

/** A plain same-origin link: the browser sends the session cookie with the download. */
export function itemDataUrl(id: string): string {
  return `${CONTENT}/items/${enc(id)}/data`;
}

/** Where an item's thumbnail is served (ArcGIS: items/<id>/info/<thumbnail path>). */
export function itemThumbnailUrl(item: Pick<Item, 'id' | 'thumbnail'>): string | null {
  if (!item.thumbnail) return null;
  const path = item.thumbnail.split('/').map(enc).join('/');
  return `${CONTENT}/items/${enc(item.id)}/info/${path}`;
}

export function deleteItem(owner: string, id: string): Promise<{ success: boolean; itemId?: string }> {
  return request(`${CONTENT}/users/${enc(owner)}/items/${enc(id)}/delete`, {
    method: 'POST',
    form: {},
  });
}

export interface ShareRequest {
  everyone: boolean;
  org: boolean;
  groups: string[];
}

export function shareItem(
  id: string,
  share: ShareRequest,
): Promise<{ notSharedWith: string[]; itemId: string }> {
  return request(`${CONTENT}/items/${enc(id)}/share`, {
    method: 'POST',
    form: { everyone: share.everyone, org: share.org, groups: share.groups.join(',') },
  });
}

interface BatchResult {
  itemId: string;
  success: boolean;
  notUnsharedFrom?: string[];
  error?: { message?: string };
}

/** Stops sharing one item with the given groups; answers the groups it could not leave. */
export async function unshareItem(owner: string, id: string, groupIds: string[]): Promise<string[]> {
  const answer = await request<{ results?: BatchResult[] }>(`${CONTENT}/users/${enc(owner)}/unshareItems`, {
    method: 'POST',
    form: { items: id, groups: groupIds.join(',') },
  });
  const result = answer.results?.find((r) => r.itemId === id);
  if (!result) throw new Error('The portal did not answer for this item.');
  if (!result.success) throw new Error(result.error?.message || 'The item could not be unshared.');
  return result.notUnsharedFrom ?? [];
}

export function createFolder(
  username: string,
  title: string,
): Promise<{ success: boolean; folder: { id: string; title: string } }> {
  return request(`${CONTENT}/users/${enc(username)}/createFolder`, { method: 'POST', form: { title } });
}

/** Moves an item to one of its owner's folders, or to the root folder with '/'. */
export function moveItem(
  owner: string,
  id: string,
  folderId: string | '/',
): Promise<{ success: boolean; folder: string | null }> {
  return request(`${CONTENT}/users/${enc(owner)}/items/${enc(id)}/move`, {
    method: 'POST',
    form: { folder: folderId },
  });
}
