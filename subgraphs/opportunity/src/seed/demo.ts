import type { LeadChannel, LeadRating, LeadStatus, OpportunityStatus, OpportunityType } from '../entities/index.js';

type Brand = 'volt' | 'nimbus';

type DemoLead = {
  key: string;
  brand: Brand;
  channel: LeadChannel;
  status: LeadStatus;
  source: string;
  segment: string;
  firstName: string;
  lastName: string;
  company?: string;
  email: string;
  mobile: string;
  customer?: string;
  partner?: string;
  rating?: LeadRating;
  ageDays: number;
};

/** Demo leads: every channel and every state in Volt, a few in Nimbus. */
export const LEADS: DemoLead[] = [
  {
    key: 'volt-web-new',
    brand: 'volt',
    channel: 'WEB',
    status: 'NEW',
    source: 'Fibre availability form',
    segment: 'consumer',
    firstName: 'Orla',
    lastName: 'Brennan',
    email: 'orla.brennan@example.net',
    mobile: '+353871230001',
    rating: 'WARM',
    ageDays: 1,
  },
  {
    key: 'volt-ivr-ack',
    brand: 'volt',
    channel: 'IVR',
    status: 'ACKNOWLEDGED',
    source: 'IVR option 3: new connection',
    segment: 'consumer',
    firstName: 'Declan',
    lastName: 'Hayes',
    email: 'declan.hayes@example.net',
    mobile: '+353871230002',
    rating: 'COLD',
    ageDays: 3,
  },
  {
    key: 'volt-email-qualified',
    brand: 'volt',
    channel: 'EMAIL',
    status: 'QUALIFIED',
    source: 'sales@ inbox',
    segment: 'smb',
    firstName: 'Gemma',
    lastName: 'Walsh',
    company: 'Walsh Bakery',
    email: 'gemma@walshbakery.example',
    mobile: '+353871230003',
    rating: 'HOT',
    ageDays: 6,
  },
  {
    key: 'volt-portal-converted',
    brand: 'volt',
    channel: 'PORTAL',
    status: 'CONVERTED',
    source: 'Account review call',
    segment: 'enterprise',
    firstName: 'Ian',
    lastName: 'Globex',
    company: 'Globex Corporation',
    email: 'it@globex.example',
    mobile: '+353871230004',
    customer: 'globex',
    rating: 'HOT',
    ageDays: 12,
  },
  {
    key: 'volt-selfcare-rejected',
    brand: 'volt',
    channel: 'SELF_CARE',
    status: 'REJECTED',
    source: 'Upgrade banner',
    segment: 'consumer',
    firstName: 'Aoife',
    lastName: 'Byrne',
    email: 'aoife@example.com',
    mobile: '+353871000001',
    customer: 'aoife',
    rating: 'COLD',
    ageDays: 20,
  },
  {
    key: 'volt-partner-new',
    brand: 'volt',
    channel: 'PARTNER',
    status: 'NEW',
    source: 'Connectify shop',
    segment: 'consumer',
    firstName: 'Niall',
    lastName: 'Kelly',
    email: 'niall.kelly@example.net',
    mobile: '+353871230006',
    partner: 'connectify',
    rating: 'WARM',
    ageDays: 2,
  },
  {
    key: 'volt-bulk-new',
    brand: 'volt',
    channel: 'BULK',
    status: 'NEW',
    source: 'Trade show list',
    segment: 'smb',
    firstName: 'Saoirse',
    lastName: 'Daly',
    company: 'Daly Design',
    email: 'saoirse@dalydesign.example',
    mobile: '+353871230007',
    ageDays: 4,
  },
  {
    key: 'nimbus-web-new',
    brand: 'nimbus',
    channel: 'WEB',
    status: 'NEW',
    source: 'Broadband checker',
    segment: 'consumer',
    firstName: 'Tom',
    lastName: 'Hughes',
    email: 'tom.hughes@example.co.uk',
    mobile: '+447700900101',
    rating: 'WARM',
    ageDays: 1,
  },
  {
    key: 'nimbus-portal-qualified',
    brand: 'nimbus',
    channel: 'PORTAL',
    status: 'QUALIFIED',
    source: 'Walk-in',
    segment: 'smb',
    firstName: 'Grace',
    lastName: 'Patel',
    company: 'Harbour Cafe Ltd',
    email: 'hello@harbourcafe.example',
    mobile: '+447700900010',
    customer: 'nimbus-business',
    rating: 'HOT',
    ageDays: 5,
  },
];

type DemoOpportunity = {
  key: string;
  brand: Brand;
  name: string;
  type: OpportunityType;
  category: string;
  stage: string;
  status: OpportunityStatus;
  segment: string;
  customer?: string;
  lead?: string;
  partner?: string;
  owner?: string;
};

export const OPPORTUNITIES: DemoOpportunity[] = [
  {
    key: 'volt-globex-upsell',
    brand: 'volt',
    name: 'Globex: 200 mobile lines',
    type: 'UPSELL',
    category: 'ENTERPRISE_MOBILE',
    stage: 'PROPOSAL',
    status: 'OPEN',
    segment: 'enterprise',
    customer: 'globex',
    lead: 'volt-portal-converted',
    owner: 'volt-business',
  },
  {
    key: 'volt-walsh-new',
    brand: 'volt',
    name: 'Walsh Bakery: business fibre',
    type: 'NEW_CUSTOMER',
    category: 'SME_FIBRE',
    stage: 'QUALIFICATION',
    status: 'OPEN',
    segment: 'smb',
    lead: 'volt-email-qualified',
    owner: 'volt-business',
  },
  {
    key: 'volt-connectify-renewal',
    brand: 'volt',
    name: 'Connectify One: renewal',
    type: 'RENEWAL',
    category: 'CONSUMER_MOBILE',
    stage: 'NEGOTIATION',
    status: 'OPEN',
    segment: 'consumer',
    customer: 'connectify-one',
    partner: 'connectify',
  },
  {
    key: 'volt-aoife-won',
    brand: 'volt',
    name: 'Aoife: SIM upgrade',
    type: 'UPSELL',
    category: 'CONSUMER_MOBILE',
    stage: 'WON',
    status: 'WON',
    segment: 'consumer',
    customer: 'aoife',
    owner: 'volt-consumer',
  },
  {
    key: 'nimbus-harbour-new',
    brand: 'nimbus',
    name: 'Harbour Cafe: fibre 75',
    type: 'UPSELL',
    category: 'SME_FIBRE',
    stage: 'PROSPECTING',
    status: 'OPEN',
    segment: 'smb',
    customer: 'nimbus-business',
    lead: 'nimbus-portal-qualified',
    owner: 'nimbus-agent',
  },
];
