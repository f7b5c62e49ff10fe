import { activeSurvey, npsReport, responsesPage, surveysPage } from '../domain/nps-read.js';
import type { CustomerResolvers } from './context.js';

/** NPS read back: the customer's active survey; staff surveys, reports and responses (domain/nps-read.ts). */
export const npsResolvers: CustomerResolvers = {
  Query: {
    npsActiveSurvey: (_, __, ctx) => activeSurvey(ctx.em, ctx.principal),
    npsSurveys: (_, args, ctx) => surveysPage(ctx.em, ctx.principal, args),
    npsReport: (_, args, ctx) => npsReport(ctx.em, ctx.principal, args),
    npsSurveyResponses: (_, { first, after, ...filter }, ctx) => responsesPage(ctx.em, ctx.principal, filter, { first, after }),
  },
  NpsSurvey: {
    scaleMin: () => 0,
    scaleMax: () => 10,
  },
};
