import { describe, expect, it } from 'vitest';
import { fillLinkTemplate, linkTemplateProblem } from './links';

describe('link templates', () => {
  it('accept http(s) URLs with known placeholders in the path or query', () => {
    for (const ok of [
      'https://shop.example/reviews/{order.number}?sku={sku}',
      'http://localhost:8080/orders/{order.id}',
      'https://shop.example/account/{customer.externalId}/reorder/{productId}#top',
      'https://shop.example/status',
    ])
      expect(linkTemplateProblem(ok), ok).toBeNull();
  });

  it('refuse anything else, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['javascript:alert(1)', /http/],
      ['data:text/html,<script>alert(1)</script>', /http/],
      ['//shop.example/x', /Not a URL/],
      ['shop.example/{order.number}', /Not a URL/],
      ['https://shop.example/{order.secret}', /Unknown placeholder \{order.secret\}/],
      ['https://shop.example/{{ order.number }}', /spaces/],
      ['https://shop.example/{{order.number}}', /one pair of braces/],
      ['https://shop.example/{% if x %}', /spaces/],
      ['https://{customer.id}.evil.example/', /not in the host/],
      ['https://shop.example@evil.example/', /user name/],
      ['https://shop.example/a\u0000b', /control/],
      [`https://shop.example/${'a'.repeat(2000)}`, /Longer than/],
      ['https:///nohost', /host|URL/],
    ];
    for (const [bad, why] of cases) expect(linkTemplateProblem(bad), bad).toMatch(why);
  });

  it('fill placeholders URL-encoded, and give no link when a value is missing', () => {
    const t = 'https://shop.example/r/{order.number}?c={customer.externalId}';
    expect(fillLinkTemplate(t, { 'order.number': '#1001', 'customer.externalId': 'a/b?c=d&e' })).toBe(
      'https://shop.example/r/%231001?c=a%2Fb%3Fc%3Dd%26e',
    );
    expect(fillLinkTemplate(t, { 'order.number': '1001' })).toBeNull();
    expect(fillLinkTemplate(t, { 'order.number': '1001', 'customer.externalId': '' })).toBeNull();
    expect(fillLinkTemplate('javascript:alert(1)', {})).toBeNull();
    expect(fillLinkTemplate('https://shop.example/status', {})).toBe('https://shop.example/status');
  });
});
