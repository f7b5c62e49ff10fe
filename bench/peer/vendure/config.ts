/**
 * Vendure 3 configured as its create template does (`npx @vendure/create`): default search, job queue and
 * scheduler plugins and the asset server, on PostgreSQL. Left out: the email plugin and the admin dashboard,
 * which serve no Shop API request. Everything comes from the environment the harness (`bench/peer/run.ts`) sets.
 */
import { join } from 'node:path';
import { AssetServerPlugin } from '@vendure/asset-server-plugin';
import { DefaultJobQueuePlugin, DefaultSchedulerPlugin, DefaultSearchPlugin, dummyPaymentHandler, type VendureConfig } from '@vendure/core';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

/** `synchronize`: create the schema (only when populating a fresh database, as the template's first run does). */
export function vendureConfig(options: { synchronize: boolean }): VendureConfig {
  const dataDir = required('PEER_DATA_DIR');
  return {
    apiOptions: { port: Number(required('PORT')), hostname: '127.0.0.1', adminApiPath: 'admin-api', shopApiPath: 'shop-api' },
    authOptions: {
      tokenMethod: ['bearer', 'cookie'],
      // From the environment, as the template wires them: Vendure refuses its default password in production.
      superadminCredentials: { identifier: 'superadmin', password: required('SUPERADMIN_PASSWORD') },
      cookieOptions: { secret: required('COOKIE_SECRET') },
    },
    dbConnectionOptions: { type: 'postgres', url: required('DATABASE_URL'), synchronize: options.synchronize, logging: false },
    paymentOptions: { paymentMethodHandlers: [dummyPaymentHandler] },
    importExportOptions: { importAssetsDir: join(dataDir, 'images') },
    plugins: [
      AssetServerPlugin.init({ route: 'assets', assetUploadDir: join(dataDir, 'assets') }),
      DefaultSchedulerPlugin.init(),
      DefaultJobQueuePlugin.init({ useDatabaseForBuffer: true }),
      DefaultSearchPlugin.init({ bufferUpdates: false, indexStockStatus: true }),
    ],
  };
}
