/**
 * The configuration of a SimpleSAMLphp 1.19 identity provider (Debian's package in
 * /usr/share/simplesamlphp) for the interoperability tests, written to a temporary directory
 * that SIMPLESAMLPHP_CONFIG_DIR points at: config.php (Debian's own, with the paths, salt and
 * modules of this test), authsources.php (exampleauth:UserPass with the test's users),
 * metadata/saml20-idp-hosted.php and metadata/saml20-sp-remote.php (the portal, from its SP
 * metadata). Nothing here is committed but this generator: keys and files are made at test time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SspUser {
  password: string;
  givenName: string;
  sn: string;
  mail: string;
}

/** What the portal's SP metadata says, as SimpleSAMLphp's saml20-sp-remote needs it. */
export interface SpRemote {
  entityId: string;
  acs: string;
  slo: string | undefined;
  signingCertB64: string;
  encryptionCertB64: string;
}

/** A PHP string literal (single-quoted). */
const php = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

export function writeSspConfig(
  dir: string,
  o: {
    baseUrl: string;
    salt: string;
    keyPem: string;
    certPem: string;
    sp: SpRemote;
    /** Published as mdui:DisplayName (xml:lang en) in its metadata. */
    displayName?: string;
  },
): void {
  mkdirSync(join(dir, 'metadata'), { recursive: true });
  for (const d of ['log', 'data', 'tmp', 'sessions']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'idp.key'), o.keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'idp.crt'), o.certPem);
  writeFileSync(
    join(dir, 'config.php'),
    `<?php
// Debian's configuration, with this test's paths, secret, modules and base URL.
require '/etc/simplesamlphp/config.php';
$config = array_replace($config, [
    'baseurlpath' => ${php(o.baseUrl)},
    'certdir' => ${php(`${dir}/`)},
    'loggingdir' => ${php(join(dir, 'log'))},
    'datadir' => ${php(join(dir, 'data'))},
    'tempdir' => ${php(join(dir, 'tmp'))},
    'metadatadir' => ${php(join(dir, 'metadata'))},
    'secretsalt' => ${php(o.salt)},
    'auth.adminpassword' => ${php(o.salt)},
    'timezone' => 'UTC',
    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',
    'logging.level' => SimpleSAML\\Logger::DEBUG,
    'admin.checkforupdates' => false,
    'enable.saml20-idp' => true,
    'store.type' => 'phpsession',
    'session.phpsession.savepath' => ${php(join(dir, 'sessions'))},
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
    'authproc.idp' => [],
]);
`,
  );
  writeFileSync(
    join(dir, 'metadata', 'saml20-idp-hosted.php'),
    `<?php
$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.key',
    'certificate' => 'idp.crt',
    'auth' => 'example-userpass',
    'signature.algorithm' => ${php(RSA_SHA256)},
    'saml20.sign.response' => true,
    'saml20.sign.assertion' => true,
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
${o.displayName ? `    'UIInfo' => ['DisplayName' => ['en' => ${php(o.displayName)}]],\n` : ''}];
`,
  );
  const key = (use: 'signing' | 'encryption', b64: string) =>
    `['type' => 'X509Certificate', 'signing' => ${use === 'signing'}, 'encryption' => ${use === 'encryption'}, 'X509Certificate' => ${php(b64)}]`;
  writeFileSync(
    join(dir, 'metadata', 'saml20-sp-remote.php'),
    `<?php
$metadata[${php(o.sp.entityId)}] = [
    'AssertionConsumerService' => [
        ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => ${php(o.sp.acs)}],
    ],
${o.sp.slo ? `    'SingleLogoutService' => [['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'Location' => ${php(o.sp.slo)}]],\n` : ''}    'keys' => [${key('signing', o.sp.signingCertB64)}, ${key('encryption', o.sp.encryptionCertB64)}],
    // The portal's AuthnRequest must carry a valid signature by its metadata key.
    'validate.authnrequest' => true,
    // Its LogoutRequest too; the LogoutResponse back is signed (the portal requires it).
    'validate.logout' => true,
    'sign.logout' => true,
    'assertion.encryption' => true,
    'signature.algorithm' => ${php(RSA_SHA256)},
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'simplesaml.nameidattribute' => 'uid',
];
`,
  );
}

/**
 * authsources.php: exampleauth:UserPass with the users of users.json, read at each request (so
 * that the test changes a user's attributes by rewriting the JSON, which no PHP cache keeps).
 */
export function writeSspUsers(dir: string, users: Record<string, SspUser>): void {
  const list = Object.fromEntries(
    Object.entries(users).map(([uid, u]) => [
      `${uid}:${u.password}`,
      { uid: [uid], givenName: [u.givenName], sn: [u.sn], mail: [u.mail] },
    ]),
  );
  writeFileSync(join(dir, 'users.json'), JSON.stringify(list));
  writeFileSync(
    join(dir, 'authsources.php'),
    `<?php
$config = [
    'example-userpass' => array_merge(
        ['exampleauth:UserPass'],
        json_decode(file_get_contents(__DIR__ . '/users.json'), true)
    ),
];
`,
  );
}
