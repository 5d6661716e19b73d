/**
 * The JSON body parser. Fastify's default decodes invalid UTF-8 into U+FFFD and carries on,
 * which would silently store mangled names; this one refuses such a body with a 400 that
 * says so. Prototype-poisoning keys (`__proto__`, `constructor.prototype`) are refused as
 * in Fastify's own parser.
 */
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { InvalidJsonError } from '../errors.ts';

const decoder = new TextDecoder('utf-8', { fatal: true });

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return done(new InvalidJsonError('it is not valid UTF-8'), undefined);
    }
    if (text.trim() === '') return done(new InvalidJsonError('the body is empty'), undefined);
    try {
      done(null, secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      done(new InvalidJsonError((error as Error).message), undefined);
    }
  });
}
