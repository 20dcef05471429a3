import { createHash } from 'node:crypto';

/** The OAuth pages are the portal's own: plain HTML, one inline stylesheet allowed by its hash. */
const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;background:#f6f8fa;color:#1d2329;margin:0}
main{max-width:24rem;margin:10vh auto;background:#fff;border:1px solid #d5dbe0;border-radius:.5rem;padding:2rem}
h1{font-size:1.4rem;margin:0 0 1rem}p.app{color:#5b6670;margin:-.75rem 0 1.5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{box-sizing:border-box;width:100%;padding:.5rem;border:1px solid #aab4bd;border-radius:.25rem;font-size:1rem}
.actions{display:flex;gap:.5rem;margin-top:1.5rem}
button,a.button{flex:1;box-sizing:border-box;padding:.6rem;border-radius:.25rem;border:1px solid #0b5fae;font:inherit;text-align:center;text-decoration:none;cursor:pointer}
.primary{background:#0b5fae;color:#fff}.secondary{background:#fff;color:#0b5fae}
p.note{color:#5b6670;font-size:.9rem}
.error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b;padding:.5rem .75rem;border-radius:.25rem}
p.or{text-align:center;color:#5b6670;margin:1rem 0 0}
code.oob{display:block;word-break:break-all;background:#f3f4f6;padding:.75rem;border-radius:.25rem;font-size:1.05rem}
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * No script, no framing (clickjacking a sign-in), no base or plugins. form-action is not
 * limited: the sign-in answers with a redirect to the app, which browsers check against it.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="same-origin"><title>${escapeHtml(
    title,
  )}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export interface SignInPage {
  portalName: string;
  /** The organisation's SAML login, offered beside the password form. */
  saml?: { name: string } | undefined;
  /** Who asks: the portal itself, or the app's name. */
  appName: string | undefined;
  authorizationId: string;
  username?: string;
  error?: string;
  /** false: built-in sign-in is turned off (canSignInArcGIS), no username and password form. */
  passwordForm?: boolean;
}

/** The built-in accounts' form: username and password. */
function passwordForm(p: SignInPage): string {
  return `<form method="post" action="/sharing/rest/oauth2/signin" autocomplete="on">
<input type="hidden" name="oauth_state" value="${escapeHtml(p.authorizationId)}">
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required value="${escapeHtml(
    p.username ?? '',
  )}"${p.username ? '' : ' autofocus'}>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${
    p.username ? ' autofocus' : ''
  }>
<div class="actions"><button class="secondary" type="submit" name="cancel" value="true" formnovalidate>Cancel</button><button class="primary" type="submit">Sign in</button></div>
</form>`;
}

/** Built-in sign-in turned off (canSignInArcGIS false): no password form; the sign-in can be cancelled. */
function builtInSignInOff(authorizationId: string): string {
  return `<p class="note">Signing in with a username and password is turned off for this organisation.</p>
<form method="post" action="/sharing/rest/oauth2/signin">
<input type="hidden" name="oauth_state" value="${escapeHtml(authorizationId)}">
<div class="actions"><button class="secondary" type="submit" name="cancel" value="true">Cancel</button></div>
</form>`;
}

/** The sign-in page of oauth2/authorize: the organisation's logins (built-in accounts). */
export function signInPage(p: SignInPage): string {
  const who = p.appName ? `<p class="app">to continue to ${escapeHtml(p.appName)}</p>` : '';
  const error = p.error ? `<p class="error" role="alert">${escapeHtml(p.error)}</p>` : '';
  const saml = p.saml
    ? `<div class="actions"><a class="button primary" id="saml-sign-in" href="/sharing/rest/oauth2/saml/authorize?oauth_state=${encodeURIComponent(
        p.authorizationId,
      )}">Using your ${escapeHtml(p.saml.name)} account</a></div>${
        p.passwordForm === false ? '' : '<p class="or">or with a portal account</p>'
      }`
    : '';
  return page(
    `Sign in to ${p.portalName}`,
    `<h1>Sign in to ${escapeHtml(p.portalName)}</h1>${who}${error}${saml}
${p.passwordForm === false ? builtInSignInOff(p.authorizationId) : passwordForm(p)}`,
  );
}

/**
 * The out-of-band approval page: the code in the title too, where native apps that watch the
 * window read it (as ArcGIS's oauth2/approval page does).
 */
export function approvalPage(portalName: string, code: string): string {
  return page(
    `SUCCESS code=${code}`,
    `<h1>Signed in to ${escapeHtml(portalName)}</h1><p>Copy this code into the app; it works once, within 5 minutes.</p><code class="oob">${escapeHtml(
      code,
    )}</code>`,
  );
}

/** An error the app cannot be told about (its redirect URI is not verified). */
export function errorPage(portalName: string, message: string, code: string, fix: string): string {
  return page(
    `${portalName}: ${message}`,
    `<h1>Cannot sign in</h1><p class="error" role="alert">${escapeHtml(message)}</p><p>${escapeHtml(fix)}</p><p>Error code: <code>${escapeHtml(code)}</code></p>`,
  );
}

/** GET oauth2/signout without a registered redirect URI: the browser's session is over. */
export function signedOutPage(portalName: string, redirectRefused: boolean): string {
  const refused = redirectRefused
    ? '<p class="note">The app’s return address is not registered for it, so you were not sent back.</p>'
    : '';
  return page(
    `Signed out of ${portalName}`,
    `<h1>Signed out</h1><p class="app">You are signed out of ${escapeHtml(portalName)} in this browser.</p>${refused}
<div class="actions"><a class="button primary" href="/home/">Sign in again</a></div>`,
  );
}

/**
 * GET oauth2/signout reached from another site: nothing is ended until the user confirms here
 * (the form is sent from this page, so the browser then says it comes from the portal).
 */
export function signOutConfirmPage(
  portalName: string,
  params: { clientId?: string | undefined; redirectUri?: string | undefined },
  /** Where "Stay signed in" goes: the app's registered redirect URI, else the portal's home. */
  back: string,
): string {
  const hidden = [
    params.clientId ? `<input type="hidden" name="client_id" value="${escapeHtml(params.clientId)}">` : '',
    params.redirectUri
      ? `<input type="hidden" name="redirect_uri" value="${escapeHtml(params.redirectUri)}">`
      : '',
  ].join('');
  return page(
    `Sign out of ${portalName}?`,
    `<h1>Sign out of ${escapeHtml(portalName)}?</h1><p class="app">Another site asked to sign you out of the portal in this browser.</p>
<form method="get" action="/sharing/rest/oauth2/signout">${hidden}
<div class="actions"><a class="button secondary" href="${escapeHtml(back)}">Stay signed in</a><button class="primary" type="submit">Sign out</button></div>
</form>`,
  );
}

/** A script-free fallback button, and one tiny script (allowed by its hash) that submits the form at once. */
const AUTO_SUBMIT = 'document.forms[0].submit();';
const AUTO_SUBMIT_HASH = createHash('sha256').update(AUTO_SUBMIT).digest('base64');

/** The CSP of the auto-submitting form page: PAGE_CSP plus the one script, by hash. */
export const AUTO_POST_CSP = `${PAGE_CSP}; script-src 'sha256-${AUTO_SUBMIT_HASH}'`;

/**
 * A page that posts a form to another site at once (a SAML HTTP-POST binding): the fields go
 * as hidden inputs; without script, the user presses Continue.
 */
export function autoPostPage(title: string, action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><form method="post" action="${escapeHtml(action)}">${inputs}<noscript><p>Your browser does not run scripts: press Continue.</p></noscript><div class="actions"><button class="primary" type="submit">Continue</button></div></form><script>${AUTO_SUBMIT}</script>`,
  );
}
