import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random id in the API's style: `<prefix>_` + 21 base62 characters (e.g. `event_Bx3…`). */
export function newId(prefix: string, length = 21): string {
  const bytes = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[bytes[i]! % ALPHABET.length];
  return `${prefix}_${s}`;
}

export const eventId = (): string => newId('event');
export const itemId = (): string => newId('item');
export const responseId = (): string => newId('resp');
export const sessionId = (): string => newId('sess');
export const conversationId = (): string => newId('conv');
