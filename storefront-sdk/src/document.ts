/**
 * The type decoration of a typed document: the same shape as `DocumentTypeDecoration` of
 * `@graphql-typed-document-node/core` (so its `TypedDocumentNode`s and graphql-codegen's documents are
 * accepted), declared here because that package's typings import `graphql`, which the SDK does not need.
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  /** Never set at run time: carries the result and variables types. */
  __apiType?: (variables: TVariables) => TResult;
}

/**
 * A GraphQL operation's text, typed with its result and variables. The SDK's ready-made documents
 * (`ProductsDocument`, …) are of this type: plain strings, so they cost nothing until used and
 * the text sent is byte-for-byte stable.
 */
export type TypedDocumentString<TResult, TVariables> = string & DocumentTypeDecoration<TResult, TVariables>;

/**
 * Anything `request` and `subscribe` accept: a {@link TypedDocumentString}, or an object carrying the
 * same type decoration that prints its query text from `toString()` (graphql-codegen's
 * `documentMode: 'string'` output). A parsed `DocumentNode` is accepted when it kept its source
 * (`loc.source.body`, as `graphql-tag` and `parse()` leave it).
 */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & (string | object);

/** The result type of a typed document (`never` in the variables slot: it is contravariant, so any variables match). */
export type ResultOf<T> = T extends DocumentTypeDecoration<infer R, never> ? R : never;

/** The variables type of a typed document. */
export type VariablesOf<T> = T extends DocumentTypeDecoration<unknown, infer V> ? V : never;

/** The query text of a document (see {@link TypedDocument} for what is accepted). */
export function documentText(document: unknown): string {
  if (typeof document === 'string') return document;
  if (document && typeof document === 'object') {
    const body = (document as { loc?: { source?: { body?: unknown } } }).loc?.source?.body;
    if (typeof body === 'string') return body;
    if ((document as { kind?: unknown }).kind !== 'Document') {
      const text = String(document);
      if (!text.startsWith('[object ')) return text;
    }
  }
  throw new TypeError('Pass the operation text (a string or a typed document string); print() a DocumentNode without a source first');
}
