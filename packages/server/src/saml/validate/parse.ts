import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { need, type SamlValidation } from './context.ts';
import { SamlEncodingInvalid } from './errors.ts';
import { parseXml } from './xml.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * parse_xml: UTF-8 only (an XML declaration naming another encoding is refused), DOCTYPE refused
 * before parsing, parsed once.
 */
export const parseResponse: Step<SamlValidation> = {
  name: 'parse_xml',
  run(ctx) {
    let xml: string;
    try {
      xml = utf8.decode(need(ctx.bytes, 'the decoded response'));
    } catch {
      throw new MeridianError(
        SamlEncodingInvalid,
        `The SAML response is not UTF-8. ${SamlEncodingInvalid.fix}`,
      );
    }
    const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/.exec(xml)?.[1];
    if (declared && !/^utf-?8$/i.test(declared))
      throw new MeridianError(
        SamlEncodingInvalid,
        `The SAML response declares the encoding ${declared.slice(0, 40)}; only UTF-8 is accepted. ${SamlEncodingInvalid.fix}`,
      );
    ctx.root = parseXml(xml, 'SAML response');
    ctx.xml = xml;
    return `<${ctx.root.localName}>`;
  },
};
