/**
 * The cart subgraph's user error codes: `CartErrorCode` in ../errors.graphql, generated as a string union.
 * Domain functions return this `Result`, so returning a code the enum does not list fails to compile.
 */
import type { Failure as KitFailure, Result as KitResult, UserError as KitUserError } from '@dcrm/kit';
import type { CartErrorCode, SpendBudgetErrorCode } from '../generated/resolvers.js';

export type ErrorCode = CartErrorCode;
export type Result<T> = KitResult<T, ErrorCode>;
export type UserError = KitUserError<ErrorCode>;
export type Failure = KitFailure<ErrorCode>;

/** Spend budgets (`spendBudgetSet` / `spendBudgetRemove`) are their own family: `SpendBudgetUserError`. */
export type SpendBudgetResult<T> = KitResult<T, SpendBudgetErrorCode>;
