import { Migration20261201100Opportunity } from './20261201-100-opportunity.js';
import { Migration20261201150Pipeline } from './20261201-150-pipeline.js';
import { Migration20261201170LeadQuality } from './20261201-170-lead-quality.js';

/** Applied in order; a released migration is never edited, a new one is appended. */
export const migrations = [
  { name: '20261201-100-opportunity', class: Migration20261201100Opportunity },
  { name: '20261201-150-pipeline', class: Migration20261201150Pipeline },
  { name: '20261201-170-lead-quality', class: Migration20261201170LeadQuality },
];
