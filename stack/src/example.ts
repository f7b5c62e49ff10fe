/** The README's example query: printed by `pnpm start`, asserted by the end-to-end tests. */
export const EXAMPLE_QUERY = `query Storefront {
  storefront { name theme { primaryColor logoUrl } }
  products(first: 3, query: "unlimited 5g") {
    totalCount
    nodes { name kind price { amount { amount currencyCode } interval } }
    facets { kinds { kind count } }
  }
}`;
