import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { Webhook } from 'svix';
import twilio from 'twilio';

// Correctly signed provider requests for `app.inject`, with any body: the signature is valid, so
// whatever the route does next is about the payload alone.

/** A Svix-signed (Resend) POST of the exact `body` text. */
export function signedResend(
  url: string,
  secret: string,
  body: string,
  id = `msg_${randomBytes(12).toString('hex')}`,
): InjectOptions {
  const now = new Date();
  return {
    method: 'POST',
    url,
    headers: {
      'content-type': 'application/json',
      'svix-id': id,
      'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
      'svix-signature': new Webhook(secret).sign(id, now, body),
    },
    payload: body,
  };
}

/** A Twilio-signed form POST to `path`, as Twilio signs it: over `publicUrl + path` and the form fields. */
export function signedTwilio(
  publicUrl: string,
  path: string,
  authToken: string,
  params: Record<string, string>,
): InjectOptions {
  return {
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, `${publicUrl}${path}`, params),
    },
    payload: new URLSearchParams(params).toString(),
  };
}
