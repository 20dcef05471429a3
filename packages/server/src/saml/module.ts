import { defineModule } from '../kernel/module.ts';
import { samlSettings } from './settings.ts';
import * as storeMigration from './store/migration.ts';
import { ReplayStore } from './store/replay-cache.ts';
import { RequestStore } from './store/request-store.ts';
import type { IdpLookup, ServiceProvider } from './validate/types.ts';
import { type ValidationOutcome, validateSamlResponse } from './validate/validate.ts';

export type { NewRequest } from './store/request-store.ts';
export type {
  IdpLookup,
  SentRequest,
  ServiceProvider,
  SignedPart,
  TrustedIdp,
  VerifiedAssertion,
} from './validate/types.ts';
export type { ValidationOutcome } from './validate/validate.ts';

/** SAML 2.0 service provider. So far: the response validation and what it remembers. */
export interface SamlApi {
  /** The AuthnRequests sent: record each before redirecting to the IdP. */
  readonly requests: Pick<RequestStore, 'record'>;
  /** Validates a SAMLResponse (HTTP-POST, base64) for an IdP lookup and this portal as SP; traced. */
  validateResponse(samlResponse: string, idps: IdpLookup, sp: ServiceProvider): Promise<ValidationOutcome>;
}

const SWEEP_EVERY_MS = 15 * 60_000;

export const samlModule = defineModule<SamlApi>({
  name: 'saml',
  tables: ['saml_requests', 'saml_replay'],
  migrations: { '0020_saml_validation': storeMigration },
  settings: samlSettings,
  create(kernel) {
    const requests = new RequestStore(kernel.db.kysely);
    const replay = new ReplayStore(kernel.db.kysely);
    const sweep = async () => {
      const now = kernel.clock.now();
      try {
        await requests.sweep(now);
        await replay.sweep(now);
      } catch (err) {
        kernel.log.warn({ err }, 'deleting expired SAML requests and assertion IDs failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    return {
      api: {
        requests,
        validateResponse: (samlResponse, idps, sp) =>
          validateSamlResponse(kernel.pipelines, samlResponse, {
            idps,
            sp,
            clock: kernel.clock,
            skewSeconds: kernel.config.saml.clockSkewSeconds,
            maxResponseBytes: kernel.config.saml.maxResponseBytes,
            requests,
            replay,
          }),
      },
      start() {
        timer = setInterval(() => void sweep(), SWEEP_EVERY_MS);
        timer.unref();
      },
      stop() {
        clearInterval(timer);
        timer = undefined;
      },
    };
  },
});
