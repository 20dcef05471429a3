import { defineError } from '../kernel/errors/meridian-error.ts';

/**
 * Why federating, validating or using a GIS server failed. Each names the cause and the fix;
 * a failed federation stores nothing (and undoes what the server was told).
 */
export const ServerUntrustedCertificate = defineError({
  code: 'servers.untrusted_certificate',
  status: 400,
  summary:
    'The GIS server’s HTTPS certificate is not trusted by this portal (unknown or self-signed CA, expired, or issued for another name).',
  fix: 'Check the fingerprint shown (fingerprintToConfirm) against the server’s own CA certificate (GIS server: meridian server cert list), then federate again with trustPresentedCertificate=<that fingerprint>; for an expired certificate or a name mismatch, fix the server’s certificate instead.',
});

export const ServerFingerprintMismatch = defineError({
  code: 'servers.fingerprint_mismatch',
  status: 400,
  summary:
    'No certificate the GIS server presents has the SHA-256 fingerprint given in trustPresentedCertificate (a typo, or the server’s chain changed since it was shown): nothing was trusted.',
  fix: 'Federate again without trustPresentedCertificate to see the presented chain, check the fingerprint against the server’s CA, and confirm that one.',
});

export const ServerUnreachable = defineError({
  code: 'servers.unreachable',
  status: 502,
  summary: 'The GIS server could not be reached (name, address, port, time-out, or the address policy).',
  fix: 'Check the server URL (https://host:6443/arcgis) in a browser from the portal’s machine, that the server runs, and that outbound.allowPrivate / allowLoopback permit its address.',
});

export const ServerBadCredentials = defineError({
  code: 'servers.bad_credentials',
  status: 400,
  arcgisCode: 400,
  summary:
    'The GIS server refused the administrator username and password (or the account is not an administrator of the server).',
  fix: 'Give the username and password of an administrator of the GIS server (its initial administrator is “admin”, its password in <server home>/initial-admin-password).',
});

export const ServerNotMeridian = defineError({
  code: 'servers.not_a_meridian_server',
  status: 400,
  summary:
    'The URL does not answer as a Meridian GIS server (no ArcGIS REST rest/info, or no federation API under the administrator URL).',
  fix: 'Give the server’s services URL root (https://host:6443/arcgis) and its administrator URL (https://host:6443/arcgis/admin); check both in a browser.',
});

export const ServerAlreadyFederated = defineError({
  code: 'servers.already_federated',
  status: 409,
  arcgisCode: 400,
  summary: 'The GIS server is already federated (with this portal, or with another one).',
  fix: 'List the federated servers (portaladmin/federation/servers); to move a server to this portal, unfederate it from the other portal first.',
});

export const ServerFederationFailed = defineError({
  code: 'servers.federation_failed',
  status: 502,
  summary: 'The GIS server refused a federation step (its answer is in the message); nothing was stored.',
  fix: 'Read the server’s message; check the server’s log and that both sides run the same Meridian version.',
});

export const ServerNotFound = defineError({
  code: 'servers.not_found',
  status: 404,
  arcgisCode: 400,
  summary: 'There is no federated server with this id.',
  fix: 'List the federated servers (GET portaladmin/federation/servers) for their ids.',
});

export const ServerNotFederated = defineError({
  code: 'servers.not_federated',
  status: 400,
  summary: 'The server URL is not a server federated with this portal.',
  fix: 'Send serverUrl as the federated server’s URL (https://host:6443/arcgis, as portals/self/servers lists it), or federate the server first.',
});

export const ServerInvalidInput = defineError({
  code: 'servers.invalid_input',
  status: 400,
  summary:
    'A parameter is not valid (a URL that is not https://…, an unknown serverRole, an empty item list).',
  fix: 'Correct the parameter named in the message.',
});

export const ServerHostingExists = defineError({
  code: 'servers.hosting_server_exists',
  status: 409,
  arcgisCode: 400,
  summary: 'Another federated server is already the hosting server: a portal has one hosting server.',
  fix: 'Change that server’s role to FEDERATED_SERVER first (federation/servers/<id>/update), then make this one HOSTING_SERVER.',
});

export const ServerCredentialInvalid = defineError({
  code: 'servers.credential_invalid',
  status: 403,
  summary:
    'The X-Meridian-Server credential of a federated server’s call is missing, malformed, for another server, signed with another key, or older than five minutes.',
  fix: 'Check that the server and the portal agree on the time (within five minutes) and that the server is still federated with this portal (validate it).',
});
