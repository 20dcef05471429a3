import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { type SamlValidation, skewMs } from './context.ts';
import { SamlExpired, SamlNotYetValid, SamlXmlMalformed } from './errors.ts';
import { instant } from './xml.ts';

/** A time attribute as epoch ms (undefined when absent); a value that is not a dateTime is refused. */
export function timeAttr(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const t = instant(value);
  if (Number.isNaN(t))
    throw new MeridianError(SamlXmlMalformed, `The ${what} is not a UTC dateTime. ${SamlXmlMalformed.fix}`);
  return t;
}

/** Refuses when now (± the allowed skew) is outside [notBefore, notOnOrAfter). */
export function checkWindow(
  ctx: SamlValidation,
  what: string,
  notBefore: number | undefined,
  notOnOrAfter: number | undefined,
): void {
  const now = ctx.env.clock.now();
  const skew = skewMs(ctx);
  if (notBefore !== undefined && now + skew < notBefore)
    throw new MeridianError(
      SamlNotYetValid,
      `The ${what} is valid from ${new Date(notBefore).toISOString()}, later than now (${new Date(now).toISOString()}) plus ${skew / 1000} s. ${SamlNotYetValid.fix}`,
    );
  if (notOnOrAfter !== undefined && now - skew >= notOnOrAfter)
    throw new MeridianError(
      SamlExpired,
      `The ${what} expired at ${new Date(notOnOrAfter).toISOString()} (now ${new Date(now).toISOString()}, ${skew / 1000} s allowed). ${SamlExpired.fix}`,
    );
}
