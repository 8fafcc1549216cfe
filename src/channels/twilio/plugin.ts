import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { SpocError } from '../../shared/errors.js';
import { parseForm, publicUrlOf, verifyTwilioSignature, type TwilioParams } from './signature.js';
import { handleIncomingSms, type SmsIntakeDeps } from './sms/intake.js';
import { VOICE_STEPS } from './voice/flow.js';
import { langOf, type VoiceDeps } from './voice/types.js';

/** Twilio's webhooks are small; anything larger is not from Twilio. */
const BODY_LIMIT = 64 * 1024;

export interface TwilioRoutesDeps {
  authToken: string;
  publicBaseUrl: string;
  voice: VoiceDeps;
  sms: SmsIntakeDeps;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body exactly as received: signatures are over what Twilio sent, not over a re-encoding. */
    twilioRawBody?: string;
  }
}

/** One value per name: the steps read Twilio's fields, which are never repeated. */
function single(params: TwilioParams | Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined && first !== null) out[k] = typeof first === 'string' ? first : JSON.stringify(first);
  }
  return out;
}

function refuse(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.status(status).send({ error: { code, message } });
}

/**
 * `POST /twilio/voice`, `POST /twilio/voice/:step` and `POST /twilio/sms` as one encapsulated plugin: its
 * own form and JSON parsers keep the raw body, and a hook verifies X-Twilio-Signature over
 * PUBLIC_BASE_URL + path + query before any step runs (missing → 400, wrong → 403, nothing changes).
 */
export function twilioRoutes(deps: TwilioRoutesDeps): FastifyPluginAsync {
  return async (app) => {
    for (const type of ['application/x-www-form-urlencoded', 'application/json']) {
      if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    }
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      req.twilioRawBody = body as string;
      done(null, parseForm(body as string));
    });
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
      req.twilioRawBody = body as string;
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(new SpocError('invalid_request', 'body is not valid JSON', 400), undefined);
      }
    });

    app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
      const header = req.headers['x-twilio-signature'];
      const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
      const verdict = verifyTwilioSignature(deps.authToken, {
        signature: Array.isArray(header) ? header[0] : header,
        url: publicUrlOf(deps.publicBaseUrl, req.url),
        ...(isJson ? { jsonBody: req.twilioRawBody ?? '' } : { params: (req.body as TwilioParams | undefined) ?? {} }),
      });
      if (verdict === 'missing') return refuse(reply, 400, 'signature_missing', 'X-Twilio-Signature header is required');
      if (verdict === 'invalid') {
        req.log.warn({ path: req.url.split('?')[0] }, 'twilio signature rejected');
        return refuse(reply, 403, 'signature_invalid', 'X-Twilio-Signature does not match');
      }
    });

    const voice = async (req: FastifyRequest<{ Params: { step?: string } }>, reply: FastifyReply) => {
      const step = VOICE_STEPS.get(req.params.step ?? '');
      if (!step) return refuse(reply, 404, 'not_found', `no voice step ${req.params.step}`);
      const query = single((req.query ?? {}) as Record<string, unknown>);
      const params = single((req.body ?? {}) as TwilioParams);
      const resp = await step({ params, query, lang: langOf(query.lang) }, deps.voice);
      await deps.voice.calls.observe(req.params.step ?? '', params);
      return reply.type('text/xml').send(resp.toString());
    };
    app.post('/twilio/voice', voice);
    app.post('/twilio/voice/:step', voice);

    app.post('/twilio/sms', async (req, reply) => {
      const twiml = await handleIncomingSms(single((req.body ?? {}) as TwilioParams), deps.sms);
      return reply.type('text/xml').send(twiml);
    });
  };
}
