import type { FastifyInstance } from 'fastify';
import { SpocError } from '../shared/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies must be valid UTF-8: the default parser would turn bad bytes into U+FFFD and store them in
 * the ticket. Bad bytes are a 400 `invalid_utf8`; the rest is fastify's own parser (prototype-poisoning
 * checks included). The route's bodyLimit still applies before anything is read.
 */
export function installStrictJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new SpocError('invalid_utf8', 'the JSON body is not valid UTF-8'), undefined);
      return;
    }
    parseJson(req, text, done);
  });
}
