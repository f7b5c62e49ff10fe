/**
 * B2B spend control for business account holders: their sub-accounts' budgets and the orders held for
 * their approval. A sub-account's checkout over budget answers an order in `PENDING_APPROVAL`.
 */
import type { RequestOptions, StorefrontClient } from './client.js';
import type { GraphQLResult } from './errors.js';
import {
  OrderApproveDocument,
  type OrderApproveMutation,
  type OrderApproveMutationVariables,
  OrderRejectDocument,
  type OrderRejectMutation,
  type OrderRejectMutationVariables,
  OrdersAwaitingApprovalDocument,
  type OrdersAwaitingApprovalQuery,
  type OrdersAwaitingApprovalQueryVariables,
  SpendBudgetSetDocument,
  type SpendBudgetSetMutation,
  type SpendBudgetSetMutationVariables,
  SpendBudgetsDocument,
  type SpendBudgetsQuery,
  type SpendBudgetsQueryVariables,
} from './generated/graphql.js';

/** An account's spend budgets with the current period's spent and remaining amounts. */
export const getSpendBudgets = (
  client: StorefrontClient,
  variables: SpendBudgetsQueryVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<SpendBudgetsQuery>> => client.request(SpendBudgetsDocument, variables, options);

/** The orders of the holder's sub-accounts waiting for its approval, newest first. */
export const getOrdersAwaitingApproval = (
  client: StorefrontClient,
  variables: OrdersAwaitingApprovalQueryVariables = {},
  options?: RequestOptions,
): Promise<GraphQLResult<OrdersAwaitingApprovalQuery>> => client.request(OrdersAwaitingApprovalDocument, variables, options);

/** Sets a sub-account's budget for a period kind (the holder of an account above it only). */
export const setSpendBudget = (
  client: StorefrontClient,
  variables: SpendBudgetSetMutationVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<SpendBudgetSetMutation>> => client.request(SpendBudgetSetDocument, variables, options);

/** Approves a held order: it is placed as any order. */
export const approveOrder = (
  client: StorefrontClient,
  variables: OrderApproveMutationVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<OrderApproveMutation>> => client.request(OrderApproveDocument, variables, options);

/** Rejects a held order with a reason the buyer is told. */
export const rejectOrder = (
  client: StorefrontClient,
  variables: OrderRejectMutationVariables,
  options?: RequestOptions,
): Promise<GraphQLResult<OrderRejectMutation>> => client.request(OrderRejectDocument, variables, options);
