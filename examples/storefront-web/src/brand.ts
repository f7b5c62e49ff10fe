import type { StorefrontQuery } from '@dcrm/storefront-sdk';

export type Storefront = NonNullable<StorefrontQuery['storefront']>;

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return '#000000';
  const channel = (i: number) => {
    const c = Number.parseInt(m[1].slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

/**
 * Applies the storefront's theme to the page: colours and font as CSS variables on `<html>` (the
 * stylesheet uses only those), the name in the title, the locale in `lang`. Nothing brand-specific is
 * in the build.
 */
export function applyBrand(storefront: Storefront, root: HTMLElement = document.documentElement): void {
  const { theme } = storefront;
  const vars: Record<string, string> = {
    '--brand-primary': theme.primaryColor,
    '--brand-on-primary': textOn(theme.primaryColor),
    '--brand-secondary': theme.secondaryColor,
    '--brand-on-secondary': textOn(theme.secondaryColor),
    '--brand-accent': theme.accentColor,
    '--brand-on-accent': textOn(theme.accentColor),
    '--brand-font': theme.fontFamily,
  };
  for (const [name, value] of Object.entries(vars)) root.style.setProperty(name, value);
  root.lang = storefront.locale;
  root.dataset.brand = storefront.slug;
  root.dataset.scheme = textOn(theme.secondaryColor) === '#ffffff' ? 'dark' : 'light';
  document.title = storefront.name;
}

/** The brand's logo, or its initials when the image cannot be loaded. */
export function logo(storefront: Storefront): HTMLElement {
  const wrap = document.createElement('span');
  wrap.className = 'logo';
  const initials = document.createElement('span');
  initials.className = 'logo-initials';
  initials.textContent = storefront.name
    .split(/\s+/)
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  initials.setAttribute('aria-hidden', 'true');
  if (storefront.theme.logoUrl) {
    const img = document.createElement('img');
    img.src = storefront.theme.logoUrl;
    img.alt = '';
    img.addEventListener('error', () => img.replaceWith(initials));
    wrap.append(img);
  } else {
    wrap.append(initials);
  }
  return wrap;
}
