import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlDestinationMismatch } from './errors.ts';
import { attr } from './xml.ts';

/**
 * check_destination: the Response's Destination must be one of the portal's ACS URLs, compared
 * exactly. A signed Response must carry one (SAML profiles, 4.1.4.3); an unsigned envelope's is
 * checked when present, which can only refuse.
 */
export const checkDestination: Step<SamlValidation> = {
  name: 'check_destination',
  run(ctx) {
    const response = ctx.signedResponse ?? need(ctx.envelope, 'the envelope').response;
    const destination = attr(response, 'Destination');
    if (destination === undefined && !ctx.signedResponse) return 'none (unsigned envelope)';
    if (destination !== undefined && ctx.env.sp.acsUrls.includes(destination)) return destination;
    throw new MeridianError(
      SamlDestinationMismatch,
      destination === undefined
        ? `The signed Response has no Destination. ${SamlDestinationMismatch.fix}`
        : `The response is addressed to ${JSON.stringify(destination.slice(0, 300))}, not to this portal's assertion consumer service (${ctx.env.sp.acsUrls.join(', ')}). ${SamlDestinationMismatch.fix}`,
    );
  },
};
