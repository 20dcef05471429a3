import { ApiError, errorFromBody } from './errors.ts';

export type Params = Record<string, string | number | boolean | undefined | null>;

/** The CSRF token lives in memory only (never localStorage); the session cookie is HttpOnly. */
let csrfToken: string | null = null;
let onAuthError: ((err: ApiError) => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on 498/499 so that the app can send the user to the sign-in page. */
export function setAuthErrorHandler(handler: ((err: ApiError) => void) | null): void {
  onAuthError = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  /** Query parameters; `f=json` is always added. */
  query?: Params;
  /** Form fields (POST). Sent form-encoded, or multipart when `files` is given. */
  form?: Params;
  files?: Record<string, File>;
  /** Set false for calls where 498/499 is an expected answer (e.g. the session probe). */
  authRedirect?: boolean;
}

function appendParams(target: URLSearchParams | FormData, params: Params): void {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    target.append(key, String(value));
  }
}

export function buildUrl(path: string, query: Params = {}): string {
  const search = new URLSearchParams();
  appendParams(search, { f: 'json', ...query });
  return `${path}?${search.toString()}`;
}

/** What a request answered: the response and its body's text. */
async function send(path: string, options: RequestOptions): Promise<{ response: Response; text: string }> {
  const method = options.method ?? (options.form || options.files ? 'POST' : 'GET');
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['X-Meridian-CSRF'] = csrfToken;

  let body: BodyInit | undefined;
  if (method === 'POST') {
    const fields: Params = { f: 'json', ...options.form };
    if (options.files && Object.keys(options.files).length > 0) {
      const data = new FormData();
      appendParams(data, fields);
      for (const [name, file] of Object.entries(options.files)) data.append(name, file, file.name);
      body = data; // the browser sets the multipart boundary
    } else {
      const data = new URLSearchParams();
      appendParams(data, fields);
      body = data; // application/x-www-form-urlencoded
    }
  }

  const url = buildUrl(path, options.query);
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The portal could not be reached. Check your network connection.');
  }
  return { response, text: await response.text() };
}

/** Throws the error a body carries (an auth error also goes to the handler); answers the parsed JSON. */
function checked(text: string, response: Response, options: RequestOptions): unknown {
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      if (response.ok) throw new ApiError(response.status, 'The portal sent an answer that is not JSON.');
    }
  }
  const error = errorFromBody(json, response.status);
  if (error) {
    if (error.isAuthError && options.authRedirect !== false) onAuthError?.(error);
    throw error;
  }
  return json;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { response, text } = await send(path, options);
  return checked(text, response, options) as T;
}

/** A file the portal answers (Content-Disposition: attachment): its name and its text, exactly as sent. */
export interface DownloadedFile {
  filename: string;
  text: string;
}

/**
 * A request whose answer is a JSON file to save (a signed invitation, say): an error body is
 * thrown as by `request`; otherwise the text as sent and the name the portal gives it (or
 * `fallbackName`).
 */
export async function requestFile(
  path: string,
  fallbackName: string,
  options: RequestOptions = {},
): Promise<DownloadedFile> {
  const { response, text } = await send(path, options);
  checked(text, response, options);
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"/\\]+)"/.exec(disposition)?.[1] ?? fallbackName;
  return { filename, text };
}
