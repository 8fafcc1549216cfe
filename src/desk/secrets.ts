import { createHash, randomBytes } from 'node:crypto';

/** A fresh 256-bit secret, URL-safe: session ids, sign-in tokens, CSRF tokens. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What the store keeps of a secret: its SHA-256, so a copy of the database signs nobody in. */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
