/// <reference types="vite/client" />

type ImportMetaEnv = {
  /** The storefront key used when the URL has no `?key=`. */
  readonly VITE_DCRM_API_KEY?: string;
  /** The API; `/graphql` on this origin by default (the dev and preview servers proxy it). */
  readonly VITE_DCRM_ENDPOINT?: string;
};

type ImportMeta = {
  readonly env: ImportMetaEnv;
};
