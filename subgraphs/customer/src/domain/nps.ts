export type NpsSummary = { score: number | null; responses: number; promoters: number; passives: number; detractors: number };

/** Promoters score 9–10, passives 7–8, detractors 0–6; NPS = %promoters − %detractors, rounded. */
export function npsSummary(scores: number[]): NpsSummary {
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  const responses = scores.length;
  return {
    score: responses ? Math.round(((promoters - detractors) / responses) * 100) : null,
    responses,
    promoters,
    passives: responses - promoters - detractors,
    detractors,
  };
}
