import { describe, expect, it } from 'vitest';
import { renderTemplate, renderText } from './templates.js';

describe('offer templates', () => {
  it('fills name and product, tolerating spaces inside the braces', () => {
    expect(renderText('Hi {{name}}, {{ product }} is waiting', { name: 'Aoife', product: 'Volt 50GB' })).toBe(
      'Hi Aoife, Volt 50GB is waiting',
    );
  });
  it('renders missing values empty without leaving double spaces', () => {
    expect(renderText('Hi {{name}} — {{product}} deal', {})).toBe('Hi — deal');
  });
  it('leaves unknown placeholders as written', () => {
    expect(renderText('{{percent}}% off', { name: 'x' })).toBe('{{percent}}% off');
  });
  it('passes link, content and image through', () => {
    expect(renderTemplate({ title: 'T {{name}}', message: 'M', link: 'https://x.example', imageUrl: null }, { name: 'A' })).toEqual({
      title: 'T A',
      message: 'M',
      content: null,
      link: 'https://x.example',
      imageUrl: null,
    });
  });
});
