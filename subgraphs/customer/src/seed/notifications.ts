import { seedId } from '@dcrm/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Brand } from './demo.js';

const NAMES: Record<Brand, string> = { volt: 'Volt', nimbus: 'Nimbus' };

type Template = readonly [key: string, subject: string, body: string, variables: readonly string[]];

/** Each brand's templates in English and in its second language (Volt: French, Nimbus: German). */
function templatesOf(brand: Brand): Record<string, Template[]> {
  const name = NAMES[brand];
  const english: Template[] = [
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
  ];
  const second: Record<Brand, [string, Template[]]> = {
    volt: [
      'fr',
      [
        [
          'cart.reminder',
          `${name} : votre panier vous attend`,
          `Bonjour {{name}}, votre panier ${name} est enregistré : {{url}}`,
          ['name', 'url'],
        ],
        [
          'customer.passwordReset',
          `Réinitialisez votre mot de passe ${name}`,
          `Bonjour {{name}}, votre code de réinitialisation ${name} est {{token}}. Il est valable une fois, pendant {{minutes}} minutes.`,
          ['name', 'token', 'minutes'],
        ],
      ],
    ],
    nimbus: [
      'de',
      [
        [
          'cart.reminder',
          `${name}: Ihr Warenkorb wartet`,
          `Hallo {{name}}, Ihr ${name}-Warenkorb ist gespeichert: {{url}}`,
          ['name', 'url'],
        ],
        [
          'customer.passwordReset',
          `Ihr ${name}-Passwort zurücksetzen`,
          `Hallo {{name}}, Ihr ${name}-Code zum Zurücksetzen ist {{token}}. Er gilt einmal, {{minutes}} Minuten lang.`,
          ['name', 'token', 'minutes'],
        ],
      ],
    ],
  };
  const [locale, translated] = second[brand];
  return { en: english, [locale]: translated };
}

/**
 * Each demo brand's own email templates over the defaults (the migration seeds those), in English and
 * in the brand's second language, so a customer who signed up in it is written to in it; inserted once,
 * edits kept.
 */
export async function seedNotificationTemplates(em: EntityManager, storefrontId: (brand: Brand) => string): Promise<void> {
  for (const brand of ['volt', 'nimbus'] as const) {
    for (const [locale, templates] of Object.entries(templatesOf(brand))) {
      for (const [key, subject, body, variables] of templates) {
        // The English rows keep their original ids (databases seeded before the second language).
        const id = seedId('notification-template', locale === 'en' ? `${brand}:${key}` : `${brand}:${key}:${locale}`);
        await em.execute(
          `insert into "customer"."notification_template" (id, storefront_id, key, channel, locale, subject, body, variables, created_at, updated_at)
           values (?, ?, ?, 'EMAIL', ?, ?, ?, ?, now(), now()) on conflict do nothing`,
          [id, storefrontId(brand), key, locale, subject, body, `{${variables.join(',')}}`],
        );
      }
    }
  }
}
