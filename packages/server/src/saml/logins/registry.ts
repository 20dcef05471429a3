import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import { SamlLoginExists, SamlLoginInvalid, SamlLoginNotFound, SamlMetadataInvalid } from '../errors.ts';
import { readCertificates } from './certificates.ts';
import {
  BINDING,
  type Endpoint,
  type IdpDescription,
  MAX_IDP_METADATA_BYTES,
  parseIdpMetadata,
} from './idp-metadata.ts';
import {
  DEFAULT_SETTINGS,
  type FederationLogin,
  type IdpLogin,
  type LoginSettings,
  type SamlLogin,
} from './login.ts';
import './tables.ts';

/** What the registry asks of the federations module (its public API has these). */
export interface FederationsPort {
  add(f: {
    name: string;
    metadataUrl: string;
    signingCertsPem: string;
    mdqUrl?: string | null;
    discoveryUrl?: string | null;
  }): Promise<{
    id: string;
  }>;
  update(
    id: string,
    f: Partial<{
      name: string;
      metadataUrl: string;
      signingCertsPem: string;
      mdqUrl: string | null;
      discoveryUrl: string | null;
    }>,
  ): Promise<unknown>;
  remove(id: string): Promise<void>;
  refresh(id: string): Promise<string>;
}

/** The parameters of idp/register and idp/<id>/update, as ArcGIS clients send them (all text). */
export interface IdpParams {
  name?: string | undefined;
  signUpMode?: string | undefined;
  entityId?: string | undefined;
  roleId?: string | undefined;
  level?: string | undefined;
  userLicenseType?: string | undefined;
  userType?: string | undefined;
  groups?: string | undefined;
  idpMetadataUrl?: string | undefined;
  bindingUrl?: string | undefined;
  postBindingUrl?: string | undefined;
  bindingPostUrl?: string | undefined;
  certificate?: string | undefined;
  encryptionCertificate?: string | undefined;
  idpEntityId?: string | undefined;
  logoutUrl?: string | undefined;
  encryptionSupported?: string | undefined;
  supportSignedRequest?: string | undefined;
  useSHA256?: string | undefined;
  supportsLogoutRequest?: string | undefined;
  supportLogoutRequest?: string | undefined;
  updateProfileAtSignin?: string | undefined;
  allowIdpInitiated?: string | undefined;
}

export interface FederationParams extends IdpParams {
  discoveryServiceUrl?: string | undefined;
  metadataServiceUrl?: string | undefined;
  /** Meridian's: the base URL of the federation's MDQ service (metadata query protocol). */
  mdqUrl?: string | undefined;
}

export interface MetadataFile {
  filename: string;
  bytes: Buffer;
}

const invalid = (message: string) => new MeridianError(SamlLoginInvalid, message);

function bool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'yes' || v === 'on') return true;
  if (v === 'false' || v === '0' || v === 'no' || v === 'off') return false;
  throw invalid(`${name} must be true or false, not "${value.slice(0, 40)}".`);
}

function url(value: string, name: string): string {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw invalid(`${name} "${value.slice(0, 200)}" is not a URL.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw invalid(`${name} "${value.slice(0, 200)}" is not an https:// URL.`);
  return u.toString();
}

const ROLES: Record<string, string> = {
  org_user: 'org_user',
  user: 'org_user',
  org_publisher: 'org_publisher',
  publisher: 'org_publisher',
  org_admin: 'org_admin',
  admin: 'org_admin',
  administrator: 'org_admin',
};

function groupsOf(value: string): string[] {
  const v = value.trim();
  if (!v) return [];
  if (v.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw invalid('groups is neither a JSON array nor a comma-separated list of group ids.');
    }
    if (!Array.isArray(parsed) || parsed.some((g) => typeof g !== 'string'))
      throw invalid('groups must be an array of group ids.');
    return parsed.map((g: string) => g.trim()).filter(Boolean);
  }
  return v
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}

/** The settings with the parameters given applied (aliases included); the rest unchanged. */
export function applySettings(current: LoginSettings, p: IdpParams): LoginSettings {
  const s = { ...current };
  if (p.signUpMode !== undefined && p.signUpMode !== '') {
    const m = p.signUpMode.trim().toLowerCase();
    if (m === 'automatic') s.signUpMode = 'Automatic';
    else if (m === 'invitation') s.signUpMode = 'Invitation';
    else throw invalid(`signUpMode must be Automatic or Invitation, not "${p.signUpMode.slice(0, 40)}".`);
  }
  if (p.roleId !== undefined && p.roleId !== '') {
    const r = ROLES[p.roleId.trim().toLowerCase()];
    if (!r)
      throw invalid(
        `roleId "${p.roleId.slice(0, 40)}" is not a role: use org_user, org_publisher or org_admin.`,
      );
    s.roleId = r;
  }
  if (p.level !== undefined && p.level !== '') {
    if (!/^[12]$/.test(p.level.trim())) throw invalid('level must be 1 or 2.');
    s.level = p.level.trim();
  }
  const license = p.userLicenseType ?? p.userType;
  if (license !== undefined) s.userLicenseType = license.trim() || null;
  if (p.groups !== undefined) s.groups = groupsOf(p.groups);
  const flags: [keyof LoginSettings, string | undefined, string][] = [
    ['encryptionSupported', p.encryptionSupported, 'encryptionSupported'],
    ['supportSignedRequest', p.supportSignedRequest, 'supportSignedRequest'],
    ['useSHA256', p.useSHA256, 'useSHA256'],
    ['supportsLogoutRequest', p.supportsLogoutRequest ?? p.supportLogoutRequest, 'supportsLogoutRequest'],
    ['updateProfileAtSignin', p.updateProfileAtSignin, 'updateProfileAtSignin'],
    ['allowIdpInitiated', p.allowIdpInitiated, 'allowIdpInitiated'],
  ];
  for (const [key, value, name] of flags) {
    const b = bool(value, name);
    if (b !== undefined) (s as Record<string, unknown>)[key] = b;
  }
  if (p.logoutUrl !== undefined) s.logoutUrl = p.logoutUrl.trim() ? url(p.logoutUrl, 'logoutUrl') : null;
  return s;
}

/**
 * Propagated logout needs somewhere to send the LogoutRequest: logoutUrl, or (one IdP) a
 * SingleLogoutService in its metadata.
 */
function checkLogout(login: Pick<SamlLogin, 'kind' | 'settings' | 'idp'>): void {
  // A federation's IdPs name their own logout endpoints in the federation metadata.
  const fromMetadata =
    login.kind === 'federation' || (login.idp?.description.singleLogoutServices.length ?? 0) > 0;
  if (login.settings.supportsLogoutRequest && !login.settings.logoutUrl && !fromMetadata)
    throw invalid(
      "supportsLogoutRequest needs the IdP's logout URL: send logoutUrl, or metadata with a SingleLogoutService.",
    );
}

function spEntityIdOf(value: string | undefined, current: string | null): string | null {
  if (value === undefined) return current;
  const v = value.trim();
  if (v.length > 1024) throw invalid('entityId is longer than 1,024 characters.');
  if (/\s/.test(v)) throw invalid('entityId cannot contain spaces.');
  return v || null;
}

function nameOf(value: string | undefined, current: string | undefined): string {
  const v = value === undefined ? current : value.trim();
  if (!v) throw invalid('The login needs a name (name): it is shown on the sign-in page.');
  if (v.length > 256) throw invalid('name is longer than 256 characters.');
  return v;
}

type Row = Database['saml_logins'];

function fromRow(r: Row): SamlLogin {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    spEntityId: r.sp_entity_id,
    settings: { ...DEFAULT_SETTINGS, ...(JSON.parse(r.settings) as Partial<LoginSettings>) },
    idp: r.idp ? (JSON.parse(r.idp) as IdpLogin) : null,
    federation: r.federation ? (JSON.parse(r.federation) as FederationLogin) : null,
    created: Number(r.created),
    modified: Number(r.modified),
  };
}

const KIND_NAME = { idp: 'an identity provider', federation: 'a federation of identity providers' };

export interface RegistryDeps {
  db: Kysely<Database>;
  clock: { now(): number };
  /** The guarded outbound client (metadata URLs go through nothing else). */
  outbound: () => OutboundClient;
  federations: FederationsPort | undefined;
  /** Told after every change (portals/self's canSignInIDP and the login's name). */
  changed(login: SamlLogin | undefined): Promise<void>;
}

/** The organisation's SAML login: one IdP or one federation, stored in saml_logins. */
export class LoginRegistry {
  readonly #d: RegistryDeps;

  constructor(deps: RegistryDeps) {
    this.#d = deps;
  }

  async current(): Promise<SamlLogin | undefined> {
    const r = await this.#d.db
      .selectFrom('saml_logins')
      .selectAll()
      .where('org', '=', 'self')
      .executeTakeFirst();
    return r ? fromRow(r) : undefined;
  }

  async get(kind: SamlLogin['kind'], id: string): Promise<SamlLogin> {
    const l = await this.current();
    if (!l || l.id !== id || l.kind !== kind)
      throw new MeridianError(
        SamlLoginNotFound,
        `There is no ${kind === 'idp' ? 'identity provider' : 'federation'} login ${JSON.stringify(id.slice(0, 64))}${
          l ? ` (the organisation's login is ${KIND_NAME[l.kind]}, id ${l.id})` : ''
        }. ${SamlLoginNotFound.fix}`,
      );
    return l;
  }

  /** The IdP described by metadata from the URL (guarded client), the file, or the entered fields. */
  async #describeIdp(
    p: IdpParams,
    file: MetadataFile | undefined,
    current: IdpLogin | null,
  ): Promise<IdpLogin> {
    const sources = [p.idpMetadataUrl ? 'idpMetadataUrl' : '', file ? 'idpMetadataFile' : ''].filter(Boolean);
    if (sources.length > 1)
      throw invalid('Give the metadata as idpMetadataUrl or as idpMetadataFile, not both.');
    if (file) {
      if (file.bytes.length > MAX_IDP_METADATA_BYTES)
        throw new MeridianError(
          SamlMetadataInvalid,
          `The metadata file is larger than ${MAX_IDP_METADATA_BYTES} bytes. ${SamlMetadataInvalid.fix}`,
        );
      return {
        description: parseIdpMetadata(file.bytes),
        source: { kind: 'file', filename: file.filename.slice(0, 200) },
      };
    }
    if (p.idpMetadataUrl) {
      const where = url(p.idpMetadataUrl, 'idpMetadataUrl');
      const res = await this.#d.outbound().request(where, {
        maxBytes: MAX_IDP_METADATA_BYTES,
        headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
      });
      if (res.status !== 200)
        throw new MeridianError(
          SamlMetadataInvalid,
          `${where} answered HTTP ${res.status}, not the metadata. ${SamlMetadataInvalid.fix}`,
        );
      return { description: parseIdpMetadata(res.body), source: { kind: 'url', url: where } };
    }
    const redirect = p.bindingUrl;
    const post = p.postBindingUrl ?? p.bindingPostUrl;
    const entered =
      redirect !== undefined ||
      post !== undefined ||
      p.certificate !== undefined ||
      p.encryptionCertificate !== undefined ||
      p.idpEntityId !== undefined;
    if (!entered) {
      if (current) return current;
      throw invalid(
        'The IdP is missing: give idpMetadataUrl, idpMetadataFile, or bindingUrl / postBindingUrl with certificate.',
      );
    }
    // Entered fields change the entered description (or replace metadata with entered fields).
    const base: IdpLogin | null = current?.source.kind === 'fields' ? current : null;
    const sso: Endpoint[] = [];
    const keep = (binding: string) =>
      base?.description.singleSignOnServices.find((e) => e.binding === binding);
    const r = redirect === undefined ? keep(BINDING.redirect)?.location : redirect.trim();
    const po = post === undefined ? keep(BINDING.post)?.location : post.trim();
    if (r) sso.push({ binding: BINDING.redirect, location: url(r, 'bindingUrl') });
    if (po) sso.push({ binding: BINDING.post, location: url(po, 'postBindingUrl') });
    if (!sso.length)
      throw invalid('Give the IdP’s sign-in URL: bindingUrl (HTTP-Redirect) or postBindingUrl (HTTP-POST).');
    const signing =
      p.certificate !== undefined
        ? readCertificates(p.certificate, 'certificate')
        : (base?.description.signingCertificates ?? []);
    if (!signing.length) throw invalid('Give the IdP’s signing certificate (certificate).');
    const encryption =
      p.encryptionCertificate !== undefined
        ? p.encryptionCertificate.trim()
          ? readCertificates(p.encryptionCertificate, 'encryptionCertificate')
          : []
        : (base?.description.encryptionCertificates ?? []);
    const entityId =
      p.idpEntityId === undefined ? (base?.description.entityId ?? null) : p.idpEntityId.trim() || null;
    const description: IdpDescription = {
      entityId,
      singleSignOnServices: sso,
      singleLogoutServices: base?.description.singleLogoutServices ?? [],
      signingCertificates: signing,
      encryptionCertificates: encryption,
      wantAuthnRequestsSigned: false,
    };
    return { description, source: { kind: 'fields' } };
  }

  async #insert(login: SamlLogin): Promise<void> {
    const existing = await this.current();
    if (existing) throw this.#exists(existing, login.kind);
    const inserted = await this.#d.db
      .insertInto('saml_logins')
      .values({
        id: login.id,
        org: 'self',
        kind: login.kind,
        name: login.name,
        sp_entity_id: login.spEntityId,
        settings: JSON.stringify(login.settings),
        idp: login.idp ? JSON.stringify(login.idp) : null,
        federation: login.federation ? JSON.stringify(login.federation) : null,
        created: login.created,
        modified: login.modified,
      })
      .onConflict((oc) => oc.column('org').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw this.#exists((await this.current())!, login.kind);
  }

  #exists(existing: SamlLogin, wanted: SamlLogin['kind']): MeridianError {
    const what =
      existing.kind === wanted
        ? `The organisation already has ${KIND_NAME[existing.kind]} as its SAML login ("${existing.name}", id ${existing.id}).`
        : `The organisation already has ${KIND_NAME[existing.kind]} as its SAML login ("${existing.name}", id ${existing.id}); it cannot also have ${KIND_NAME[wanted]}: an organisation has one SAML login.`;
    return new MeridianError(SamlLoginExists, `${what} ${SamlLoginExists.fix}`);
  }

  async #write(login: SamlLogin): Promise<void> {
    const r = await this.#d.db
      .updateTable('saml_logins')
      .set({
        name: login.name,
        sp_entity_id: login.spEntityId,
        settings: JSON.stringify(login.settings),
        idp: login.idp ? JSON.stringify(login.idp) : null,
        federation: login.federation ? JSON.stringify(login.federation) : null,
        modified: login.modified,
      })
      .where('id', '=', login.id)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new MeridianError(SamlLoginNotFound);
  }

  async registerIdp(p: IdpParams, file?: MetadataFile): Promise<SamlLogin> {
    const existing = await this.current();
    if (existing) throw this.#exists(existing, 'idp');
    const now = this.#d.clock.now();
    const login: SamlLogin = {
      id: randomBytes(16).toString('hex'),
      kind: 'idp',
      name: nameOf(p.name, undefined),
      spEntityId: spEntityIdOf(p.entityId, null),
      settings: applySettings(DEFAULT_SETTINGS, p),
      idp: await this.#describeIdp(p, file, null),
      federation: null,
      created: now,
      modified: now,
    };
    checkLogout(login);
    await this.#insert(login);
    await this.#d.changed(login);
    return login;
  }

  async updateIdp(id: string, p: IdpParams, file?: MetadataFile): Promise<SamlLogin> {
    const current = await this.get('idp', id);
    const login: SamlLogin = {
      ...current,
      name: nameOf(p.name, current.name),
      spEntityId: spEntityIdOf(p.entityId, current.spEntityId),
      settings: applySettings(current.settings, p),
      idp: await this.#describeIdp(p, file, current.idp),
      modified: this.#d.clock.now(),
    };
    checkLogout(login);
    await this.#write(login);
    await this.#d.changed(login);
    return login;
  }

  #federationOf(p: FederationParams, current: FederationLogin | null): FederationLogin {
    const metadata = (p.metadataServiceUrl ?? current?.metadataServiceUrl ?? '').trim();
    const mdq =
      p.mdqUrl === undefined ? (current?.mdqUrl ?? null) : p.mdqUrl.trim() ? url(p.mdqUrl, 'mdqUrl') : null;
    if (!metadata && !mdq)
      throw invalid(
        'The federation needs the URL of its metadata aggregate (metadataServiceUrl), of its MDQ service (mdqUrl), or both.',
      );
    const certText = p.certificate ?? current?.certificate;
    if (!certText)
      throw invalid('The federation needs the certificate that signs its metadata (certificate).');
    const discovery =
      p.discoveryServiceUrl === undefined
        ? (current?.discoveryServiceUrl ?? null)
        : p.discoveryServiceUrl.trim()
          ? url(p.discoveryServiceUrl, 'discoveryServiceUrl')
          : null;
    return {
      federationId: current?.federationId ?? null,
      metadataServiceUrl: metadata ? url(metadata, 'metadataServiceUrl') : '',
      mdqUrl: mdq,
      discoveryServiceUrl: discovery,
      certificate: readCertificates(certText, 'certificate').join(''),
    };
  }

  async registerFederation(p: FederationParams): Promise<SamlLogin> {
    const existing = await this.current();
    if (existing) throw this.#exists(existing, 'federation');
    const now = this.#d.clock.now();
    const login: SamlLogin = {
      id: randomBytes(16).toString('hex'),
      kind: 'federation',
      name: nameOf(p.name, undefined),
      spEntityId: spEntityIdOf(p.entityId, null),
      settings: applySettings(DEFAULT_SETTINGS, p),
      idp: null,
      federation: this.#federationOf(p, null),
      created: now,
      modified: now,
    };
    checkLogout(login);
    await this.#insert(login);
    const fed = this.#d.federations;
    if (fed) {
      try {
        const added = await fed.add({
          name: login.name,
          metadataUrl: login.federation!.metadataServiceUrl,
          signingCertsPem: login.federation!.certificate,
          mdqUrl: login.federation!.mdqUrl,
          discoveryUrl: login.federation!.discoveryServiceUrl,
        });
        login.federation!.federationId = added.id;
        await this.#write(login);
        if (login.federation!.metadataServiceUrl) await fed.refresh(added.id).catch(() => undefined);
      } catch (err) {
        await this.#d.db.deleteFrom('saml_logins').where('id', '=', login.id).execute();
        throw err;
      }
    }
    await this.#d.changed(login);
    return login;
  }

  async updateFederation(id: string, p: FederationParams): Promise<SamlLogin> {
    const current = await this.get('federation', id);
    const federation = this.#federationOf(p, current.federation);
    const login: SamlLogin = {
      ...current,
      name: nameOf(p.name, current.name),
      spEntityId: spEntityIdOf(p.entityId, current.spEntityId),
      settings: applySettings(current.settings, p),
      federation,
      modified: this.#d.clock.now(),
    };
    checkLogout(login);
    const fed = this.#d.federations;
    const fid = federation.federationId;
    if (fed && fid) {
      const before = current.federation!;
      const sourceChanged =
        before.metadataServiceUrl !== federation.metadataServiceUrl ||
        before.certificate !== federation.certificate;
      await fed.update(fid, {
        name: login.name,
        metadataUrl: federation.metadataServiceUrl,
        signingCertsPem: federation.certificate,
        mdqUrl: federation.mdqUrl,
        discoveryUrl: federation.discoveryServiceUrl,
      });
      if (sourceChanged && federation.metadataServiceUrl) await fed.refresh(fid).catch(() => undefined);
    }
    await this.#write(login);
    await this.#d.changed(login);
    return login;
  }

  async unregister(kind: SamlLogin['kind'], id: string): Promise<void> {
    const login = await this.get(kind, id);
    const r = await this.#d.db.deleteFrom('saml_logins').where('id', '=', login.id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new MeridianError(SamlLoginNotFound);
    const fid = login.federation?.federationId;
    if (fid && this.#d.federations) await this.#d.federations.remove(fid).catch(() => undefined);
    await this.#d.changed(undefined);
  }
}
