const minutes = (n: number) => n * 60_000;

/** Abandonment timing, from the environment (minutes), with telco-typical defaults. */
export type AbandonmentConfig = {
  cartIdleMs: number;
  browseIdleMs: number;
  linkTtlMs: number;
  /** Reminder offsets after the link is created; step 1 is sent at the first offset. */
  reminderScheduleMs: number[];
};

export function abandonmentConfig(env: NodeJS.ProcessEnv = process.env): AbandonmentConfig {
  const number = (name: string, fallback: number) => minutes(Number(env[name] ?? fallback));
  return {
    cartIdleMs: number('DCRM_CART_IDLE_MINUTES', 60),
    browseIdleMs: number('DCRM_BROWSE_IDLE_MINUTES', 120),
    linkTtlMs: number('DCRM_DROP_LINK_TTL_MINUTES', 7 * 24 * 60),
    reminderScheduleMs: (env.DCRM_REMINDER_SCHEDULE_MINUTES ?? '0,1440,4320').split(',').map((m) => minutes(Number(m))),
  };
}
