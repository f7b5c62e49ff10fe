export type AppConfig = {
  /** The storefront's public key: which brand this page is. */
  apiKey: string | null;
  endpoint: string;
};

/** `?key=` wins over the build's `VITE_DCRM_API_KEY`, so one build serves every brand. */
export function readConfig(search: string): AppConfig {
  const fromUrl = new URLSearchParams(search).get('key');
  return {
    apiKey: fromUrl || import.meta.env.VITE_DCRM_API_KEY || null,
    endpoint: import.meta.env.VITE_DCRM_ENDPOINT || '/graphql',
  };
}
