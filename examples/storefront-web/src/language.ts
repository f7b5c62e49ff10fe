import { h } from './dom.js';

/** The languages the demo brands are translated into (product, category and promotion texts). */
export const LANGUAGES = [
  { tag: 'en', label: 'English' },
  { tag: 'fr', label: 'Français' },
  { tag: 'de', label: 'Deutsch' },
] as const;

const KEY = 'dcrm.language';

/**
 * The shopper's language: chosen in the switcher and kept in `localStorage`, else the browser's. The
 * client asks for it before each request (the SDK's `language` option), so switching needs no new client.
 */
export function createLanguage(storage: Storage, browser: string | undefined) {
  let current = storage.getItem(KEY) || browser || 'en';
  return {
    current: () => current,
    switcher(onChange: () => void): HTMLElement {
      const select = h(
        'select',
        {
          'aria-label': 'Language',
          'data-testid': 'language',
          onchange: (event: Event) => {
            current = (event.target as HTMLSelectElement).value;
            storage.setItem(KEY, current);
            document.documentElement.lang = current;
            onChange();
          },
        },
        ...LANGUAGES.map((l) => h('option', { value: l.tag, ...(current.split('-')[0] === l.tag ? { selected: true } : {}) }, l.label)),
      );
      return select;
    },
  };
}
