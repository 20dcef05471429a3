/**
 * The built-in discovery page (oauth2/saml/authorize of a federation without an external
 * discovery service): a form back to oauth2/saml/authorize whose buttons each send one
 * institution as idp=<entityID>. It works without script (the search box submits q and the
 * server answers the page with the matches); with script (CHOOSER_SCRIPT, a same-origin file
 * allowed by 'self'; no inline script or handler), results follow the typing through the
 * search API, and the last institution chosen in this browser is offered first (localStorage
 * of the portal's origin; the server checks it against the index like any other choice).
 */
import { createHash } from 'node:crypto';

export const SCRIPT_PATH = '/sharing/rest/oauth2/saml/chooser.js';
export const SEARCH_PATH = '/sharing/rest/oauth2/saml/idps';
export const LOGO_PATH = '/sharing/rest/oauth2/saml/idps/logo';

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;background:#f6f8fa;color:#1d2329;margin:0}
main{max-width:34rem;margin:6vh auto;background:#fff;border:1px solid #d5dbe0;border-radius:.5rem;padding:2rem}
h1{font-size:1.4rem;margin:0 0 .25rem}p.app{color:#5b6670;margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
.search{display:flex;gap:.5rem}
input{flex:1;box-sizing:border-box;padding:.55rem;border:1px solid #aab4bd;border-radius:.25rem;font-size:1rem}
button{font:inherit;cursor:pointer}
.go{padding:.5rem 1rem;border:1px solid #0b5fae;background:#0b5fae;color:#fff;border-radius:.25rem}
ul{list-style:none;margin:1rem 0 0;padding:0}
li{margin:0 0 .4rem}
button.idp{display:flex;align-items:center;gap:.75rem;width:100%;text-align:left;padding:.5rem .75rem;background:#fff;border:1px solid #d5dbe0;border-radius:.35rem;color:inherit}
button.idp:hover,button.idp:focus{border-color:#0b5fae;background:#f0f6fc}
button.idp img,button.idp .nologo{width:32px;height:32px;object-fit:contain;flex:none}
.nologo{display:inline-block;border-radius:.25rem;background:#e8edf2}
.idp span{display:block}.idp small{display:block;color:#5b6670;font-size:.85rem}
h2{font-size:.9rem;color:#5b6670;margin:1.25rem 0 .25rem;font-weight:600}
p.note{color:#5b6670;font-size:.9rem;margin:.75rem 0 0}
[hidden]{display:none!important}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * The page's CSP: as the portal's other pages (no framing, no base, nothing by default), plus
 * the one same-origin script and its fetches; images (the logos) only from the portal, which
 * proxies them (logos.ts). form-action is not limited: authorize answers with a redirect to the
 * institution, which browsers check against it.
 */
export const CHOOSER_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ChooserEntry {
  entityID: string;
  name: string;
  domains: string[];
  logo: string | null;
}

export interface ChooserPage {
  federationName: string;
  oauthState: string;
  q: string;
  total: number;
  results: ChooserEntry[];
  /** The federation has no identity providers indexed yet. */
  empty: boolean;
}

export function entryHtml(e: ChooserEntry): string {
  const logo = e.logo
    ? `<img src="${esc(e.logo)}" alt="" width="32" height="32" loading="lazy">`
    : '<span class="nologo"></span>';
  const domains = e.domains.length ? `<small>${esc(e.domains.join(', '))}</small>` : '';
  return `<li><button class="idp" type="submit" name="idp" value="${esc(e.entityID)}" data-name="${esc(e.name)}" data-logo="${esc(
    e.logo ?? '',
  )}">${logo}<span><span class="name">${esc(e.name)}</span>${domains}</span></button></li>`;
}

export function chooserPage(p: ChooserPage): string {
  const count = p.empty
    ? 'The list of institutions has not been loaded yet; try again in a few minutes.'
    : p.q
      ? `${p.total} institution${p.total === 1 ? '' : 's'} match.`
      : `${p.total} institutions; type part of a name or a domain.`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="same-origin"><title>Choose your institution</title><style>${STYLE}</style><script src="${SCRIPT_PATH}" defer></script></head><body><main>
<h1>Choose your institution</h1><p class="app">to sign in with ${esc(p.federationName)}</p>
<form id="chooser" method="get" action="/sharing/rest/oauth2/saml/authorize" data-search="${SEARCH_PATH}" autocomplete="off">
<input type="hidden" name="oauth_state" value="${esc(p.oauthState)}">
<label for="q">Institution name, or your email domain</label>
<div class="search"><input id="q" name="q" type="search" value="${esc(p.q)}" placeholder="e.g. University of Zurich, uzh.ch" autofocus aria-controls="results"><button class="go" id="search" type="submit">Search</button></div>
<div id="last" hidden><h2>Last used in this browser</h2><ul id="last-list"></ul></div>
<p class="note" id="status" role="status" aria-live="polite">${esc(count)}</p>
<ul id="results">${p.results.map(entryHtml).join('')}</ul>
</form></main></body></html>`;
}

/**
 * The chooser's script: search as you type (debounced; only the latest answer shown), the
 * result buttons built with DOM methods (names never parsed as HTML), the last choice kept in
 * localStorage when a button is pressed.
 */
export const CHOOSER_SCRIPT = `'use strict';
(() => {
  const form = document.getElementById('chooser');
  const input = document.getElementById('q');
  const list = document.getElementById('results');
  const status = document.getElementById('status');
  if (!form || !input || !list || !status) return;
  const KEY = 'meridian.saml.lastIdp';
  const lang = navigator.language || '';
  let seq = 0;
  let timer;

  // A logo the portal could not get (404): the placeholder instead of a broken image.
  function placeholder() {
    const s = document.createElement('span');
    s.className = 'nologo';
    return s;
  }
  function guard(img) {
    if (img.complete && img.naturalWidth === 0) img.replaceWith(placeholder());
    else img.addEventListener('error', () => img.replaceWith(placeholder()), { once: true });
  }
  for (const img of document.querySelectorAll('button.idp img')) guard(img);

  function entry(e) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.className = 'idp';
    b.type = 'submit';
    b.name = 'idp';
    b.value = e.entityID;
    b.dataset.name = e.name;
    b.dataset.logo = e.logo || '';
    if (e.logo) {
      const img = document.createElement('img');
      img.src = e.logo;
      img.alt = '';
      img.width = 32;
      img.height = 32;
      img.loading = 'lazy';
      guard(img);
      b.append(img);
    } else b.append(placeholder());
    const text = document.createElement('span');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = e.name;
    text.append(name);
    if (e.domains && e.domains.length) {
      const d = document.createElement('small');
      d.textContent = e.domains.join(', ');
      text.append(d);
    }
    b.append(text);
    li.append(b);
    return li;
  }

  async function search() {
    const my = ++seq;
    const u = new URL(form.dataset.search, location.href);
    u.searchParams.set('q', input.value);
    u.searchParams.set('num', '20');
    u.searchParams.set('lang', lang);
    u.searchParams.set('f', 'json');
    try {
      const r = await fetch(u, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      const j = await r.json();
      if (my !== seq) return;
      if (!r.ok || !Array.isArray(j.identityProviders)) throw new Error('search failed');
      list.replaceChildren(...j.identityProviders.map(entry));
      status.textContent = input.value.trim()
        ? j.total + (j.total === 1 ? ' institution matches.' : ' institutions match.')
        : j.total + ' institutions; type part of a name or a domain.';
    } catch {
      if (my === seq) status.textContent = 'The search is not available; press Search.';
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  form.addEventListener('submit', (ev) => {
    const b = ev.submitter;
    if (b && b.name === 'idp') {
      try {
        localStorage.setItem(KEY, JSON.stringify({ entityID: b.value, name: b.dataset.name || b.value, logo: b.dataset.logo || '' }));
      } catch {}
      return;
    }
    ev.preventDefault();
    clearTimeout(timer);
    search();
  });

  try {
    const last = JSON.parse(localStorage.getItem(KEY) || 'null');
    if (last && typeof last.entityID === 'string' && typeof last.name === 'string') {
      const logo = typeof last.logo === 'string' && last.logo.startsWith('/') && !last.logo.startsWith('//') ? last.logo : null;
      document.getElementById('last-list').append(entry({ entityID: last.entityID, name: last.name, domains: [], logo }));
      document.getElementById('last').hidden = false;
    }
  } catch {}
})();
`;
