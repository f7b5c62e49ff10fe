import type { Channel, UserErrorFieldsFragment } from '@dcrm/storefront-sdk';
import type { Page } from '../app.js';
import { formValues, h, notice } from '../dom.js';

/** Sign in or create an account; then the anonymous cart becomes the customer's and the shopper goes on to `next`. */
export const signInPage: Page = async (app, route) => {
  const next = route.query.get('next') || '/orders';
  const done = async () => {
    await app.cart.attach().catch(() => {});
    app.navigate(next);
  };
  const failed = (status: HTMLElement, userErrors: ReadonlyArray<UserErrorFieldsFragment> | undefined, fallback?: string) =>
    status.replaceChildren(notice(userErrors?.map((e) => e.message).join(' ') || fallback || 'Please try again.'));

  const loginStatus = h('div', { role: 'status' });
  const login = h(
    'form',
    {
      class: 'card-form',
      'aria-label': 'Sign in',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const { email, password } = formValues(login);
        const { data, errors } = await app.client.auth.login({ email, password });
        if (data?.customerLogin.accessToken) await done();
        else failed(loginStatus, data?.customerLogin.userErrors, errors?.[0]?.message);
      },
    },
    h('h2', null, 'Sign in'),
    h('label', null, 'Email', h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true })),
    h('label', null, 'Password', h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', class: 'button' }, 'Sign in'),
    loginStatus,
  );

  const registerStatus = h('div', { role: 'status' });
  const register = h(
    'form',
    {
      class: 'card-form',
      'aria-label': 'Create an account',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const { name, email, password, marketing } = formValues(register);
        const marketingChannels: Channel[] = marketing ? ['EMAIL'] : [];
        const { data, errors } = await app.client.auth.register({ name, email, password, marketingChannels });
        if (data?.customerRegister.accessToken) await done();
        else failed(registerStatus, data?.customerRegister.userErrors, errors?.[0]?.message);
      },
    },
    h('h2', null, 'New here?'),
    h('label', null, 'Name', h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true })),
    h('label', null, 'Email', h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true })),
    h(
      'label',
      null,
      'Password',
      h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: '8', required: true }),
    ),
    h(
      'label',
      { class: 'inline' },
      h('input', { type: 'checkbox', name: 'marketing', value: '1' }),
      ` Send me ${app.storefront.name} offers by email`,
    ),
    h('button', { type: 'submit', class: 'button secondary' }, 'Create account'),
    registerStatus,
  );

  return h(
    'div',
    { class: 'sign-in' },
    h('h1', null, `Your ${app.storefront.name} account`),
    h('div', { class: 'two-columns' }, login, register),
  );
};
