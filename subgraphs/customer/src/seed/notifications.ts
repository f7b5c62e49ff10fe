import { seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Brand } from './demo.js';

const NAMES: Record<Brand, string> = { volt: 'Volt', nimbus: 'Nimbus' };

/** Each demo brand's own email templates over the defaults (the migration seeds those); inserted once, edits kept. */
export async function seedNotificationTemplates(em: EntityManager, storefrontId: (brand: Brand) => string): Promise<void> {
  for (const brand of ['volt', 'nimbus'] as const) {
    const name = NAMES[brand];
    const templates = [
      [
        'cart.reminder',
        `${name}: your cart is waiting`,
        `Hi {{name}}, your ${name} cart is saved. Pick up where you left off: {{url}}`,
        ['name', 'url'],
      ],
      [
        'customer.passwordReset',
        `Reset your ${name} password`,
        `Hi {{name}}, your ${name} password reset code is {{token}}. It works once, within {{minutes}} minutes.`,
        ['name', 'token', 'minutes'],
      ],
    ] as const;
    for (const [key, subject, body, variables] of templates) {
      await em.execute(
        `insert into "customer"."notification_template" (id, storefront_id, key, channel, locale, subject, body, variables, created_at, updated_at)
         values (?, ?, ?, 'EMAIL', 'en', ?, ?, ?, now(), now()) on conflict do nothing`,
        [seedId('notification-template', `${brand}:${key}`), storefrontId(brand), key, subject, body, `{${variables.join(',')}}`],
      );
    }
  }
}
