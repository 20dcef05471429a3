import { request } from './client.ts';
import type { Item, UserContent } from './types.ts';

const enc = encodeURIComponent;

export async function getUserContent(username: string): Promise<UserContent> {
  const answer = await request<Partial<UserContent>>(`/sharing/rest/content/users/${enc(username)}`);
  return { ...answer, items: answer.items ?? [], folders: answer.folders ?? [] };
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
): Promise<{ success: boolean; id: string; folder?: string | null }> {
  return request(`/sharing/rest/content/users/${enc(username)}/addItem`, {
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
  return request<Item>(`/sharing/rest/content/items/${enc(id)}`);
}

export function deleteItem(owner: string, id: string): Promise<{ success: boolean; itemId?: string }> {
  return request(`/sharing/rest/content/users/${enc(owner)}/items/${enc(id)}/delete`, {
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
  return request(`/sharing/rest/content/items/${enc(id)}/share`, {
    method: 'POST',
    form: { everyone: share.everyone, org: share.org, groups: share.groups.join(',') },
  });
}
