import { isUuid, type UserError, userError } from '@dcrm/kit';

/** Collects every problem with an input, so a client fixes them in one round trip. */
export class Checks {
  readonly errors: UserError[] = [];

  add(code: string, message: string, field: string[]): void {
    this.errors.push(userError(code, message, field));
  }

  slug(value: string | null | undefined, field: string[]): void {
    if (value == null) return;
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(value) || value.length > 128) {
      this.add('INVALID', 'Use lower-case letters, digits and single hyphens (at most 128 characters)', field);
    }
  }

  text(value: string | null | undefined, field: string[], max: number, required = true): void {
    if (value == null) return;
    const length = value.trim().length;
    if (required && length === 0) this.add('BLANK', 'Must not be blank', field);
    else if (value.length > max) this.add('TOO_LONG', `At most ${max} characters`, field);
  }

  uuid(value: string | null | undefined, field: string[]): boolean {
    if (value == null) return true;
    if (isUuid(value)) return true;
    this.add('INVALID', 'Not a valid id', field);
    return false;
  }

  uuids(values: string[] | null | undefined, field: string[], max = 250): void {
    if (values == null) return;
    if (values.length > max) this.add('TOO_MANY', `At most ${max} items`, field);
    for (const [i, v] of values.entries()) this.uuid(v, [...field, String(i)]);
    if (new Set(values).size !== values.length) this.add('DUPLICATE', 'Contains duplicates', field);
  }

  url(value: string, field: string[]): void {
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
