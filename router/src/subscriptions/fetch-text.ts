import { Kind, type OperationDefinitionNode, parse } from 'graphql';

// The planner's fetch texts are few (one per cached plan): each is parsed once.
const MAX_PARSED = 256;
const parsedTexts = new Map<string, OperationDefinitionNode | null>();

/** The one operation of a subgraph fetch's text (null when it holds anything else). */
export function fetchOperation(query: string): OperationDefinitionNode | null {
  let operation = parsedTexts.get(query);
  if (operation === undefined) {
    const [definition, ...more] = parse(query).definitions;
    operation = definition?.kind === Kind.OPERATION_DEFINITION && more.length === 0 ? definition : null;
    if (parsedTexts.size >= MAX_PARSED) parsedTexts.clear();
    parsedTexts.set(query, operation);
  }
  return operation;
}
