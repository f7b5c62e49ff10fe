import { columns } from '@dcrm/kit';
import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

export const NOTIFICATION_CHANNELS = ['EMAIL', 'SMS', 'SITE_MESSAGE', 'PUSH'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** A brand's template for one event, channel and locale; `storefrontId` null: the default every brand falls back to. */
export const NotificationTemplate = defineEntity({
  name: 'NotificationTemplate',
  tableName: 'notification_template',
  properties: {
    id: columns.id(),
    storefrontId: p.uuid().nullable(),
    key: p.string(),
    channel: p.enum(NOTIFICATION_CHANNELS),
    locale: p.string(),
    subject: p.text().nullable(),
    body: p.text(),
    variables: p.array(),
    createdAt: columns.createdAt(),
    updatedAt: columns.updatedAt(),
    version: columns.version(),
  },
});
export type INotificationTemplate = InferEntity<typeof NotificationTemplate>;

/** A one-time password reset code, stored as its SHA-256. */
export const PasswordResetToken = defineEntity({
  name: 'PasswordResetToken',
  tableName: 'password_reset_token',
  properties: {
    id: columns.id(),
    customerId: p.uuid(),
    hash: p.string().unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    createdAt: columns.createdAt(),
  },
});
