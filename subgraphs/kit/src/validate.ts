import { type UserError, userError } from './errors.js';
import { isUuid } from './ids.js';

/** What a check needs of its `Checks`: that the family's codes include `K`. */
type Accepts<K extends string> = { add(code: K, message: string, field: string[]): void };

/**
 * Collects every problem with an input, so a client fixes them in one round trip. `C` is the payload
 * family's code enum (`new Checks<CartErrorCode>()`); each check states the codes it adds (`this:
 * Accepts<…>`), so calling one whose code the family's enum lacks is a compile error.
 */
export class Checks<C extends string = string> {
  readonly errors: UserError<C>[] = [];

  add(code: C, message: string, field: string[]): void {
    this.errors.push(userError(code, message, field));
  }

  slug(this: Accepts<'INVALID'>, value: string | null | undefined, field: string[]): void {
    if (value == null) return;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) || value.length > 128) {
      this.add('INVALID', 'Use lower-case letters, digits and single hyphens (at most 128 characters)', field);
    }
  }

  text(
    this: Accepts<'BLANK'> & Accepts<'TOO_LONG'>,
    value: string | null | undefined,
    field: string[],
    max: number,
    required = true,
  ): void {
    if (value == null) return;
    const length = value.trim().length;
    if (required && length === 0) this.add('BLANK', 'Must not be blank', field);
    else if (value.length > max) this.add('TOO_LONG', `At most ${max} characters`, field);
  }

  /** A whole number from `min` to `max` (absent values pass). */
  int(this: Accepts<'OUT_OF_RANGE'>, value: number | null | undefined, field: string[], min: number, max: number): void {
    if (value == null) return;
    if (!Number.isInteger(value) || value < min || value > max) this.add('OUT_OF_RANGE', `Use a whole number from ${min} to ${max}`, field);
  }

  uuid(this: Accepts<'INVALID'>, value: string | null | undefined, field: string[]): boolean {
    if (value == null) return true;
    if (isUuid(value)) return true;
    this.add('INVALID', 'Not a valid id', field);
    return false;
  }

  uuids(
    this: Accepts<'TOO_MANY'> & Accepts<'INVALID'> & Accepts<'DUPLICATE'>,
    values: string[] | null | undefined,
    field: string[],
    max = 250,
  ): void {
    if (values == null) return;
    if (values.length > max) this.add('TOO_MANY', `At most ${max} items`, field);
    for (const [i, v] of values.entries()) if (!isUuid(v)) this.add('INVALID', 'Not a valid id', [...field, String(i)]);
    if (new Set(values).size !== values.length) this.add('DUPLICATE', 'Contains duplicates', field);
  }

  email(this: Accepts<'INVALID'>, value: string | null | undefined, field: string[]): void {
    if (value != null && !isEmail(normaliseEmail(value))) this.add('INVALID', 'Not a valid email address', field);
  }

  mobile(this: Accepts<'INVALID'>, value: string | null | undefined, field: string[]): void {
    if (value != null && !isMobile(value)) this.add('INVALID', 'Use the international format, e.g. +353871234567', field);
  }

  url(this: Accepts<'INVALID'>, value: string, field: string[]): void {
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    } catch {
      this.add('INVALID', 'Must be an http(s) URL', field);
    }
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
export const isEmail = (email: string): boolean => EMAIL.test(email) && email.length <= 254;
export const isMobile = (mobile: string): boolean => E164.test(mobile);
