/** Demo identities. One password for every demo account (it satisfies the password policy). */
export const DEMO_PASSWORD = 'dcrm-demo-2026';

export const DEMO_KEYS = {
  voltPublic: 'dcrm_pk_volt_demo_3f9c1a7e5b2d4c8a',
  nimbusPublic: 'dcrm_pk_nimbus_demo_8e2b6d4f1a3c5e7b',
  voltChatbot: 'dcrm_sk_volt_chatbot_demo_7d1e9b3a5c4f',
  connectifyPartner: 'dcrm_sk_connectify_demo_2b8f4e6a1c9d',
};

export type Brand = 'volt' | 'nimbus';
type SeedCustomer = {
  key: string;
  brand: Brand;
  type: 'INDIVIDUAL' | 'BUSINESS';
  name: string;
  email: string;
  mobile: string;
  segment: string;
  category: string;
  stage: 'PROSPECT' | 'ONBOARDING' | 'ACTIVE' | 'AT_RISK' | 'CHURNED';
  parent?: string;
  partner?: string;
};

export const PARTNERS = [
  { key: 'connectify', brand: 'volt' as Brand, name: 'Connectify Resellers', user: 'ops@connectify.example' },
  { key: 'skyline', brand: 'volt' as Brand, name: 'Skyline Telecom Partners', user: 'ops@skyline.example' },
];

export const CUSTOMERS: SeedCustomer[] = [
  {
    key: 'aoife',
    brand: 'volt',
    type: 'INDIVIDUAL',
    name: 'Aoife Byrne',
    email: 'aoife@example.com',
    mobile: '+353871000001',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'ACTIVE',
  },
  {
    key: 'conor',
    brand: 'volt',
    type: 'INDIVIDUAL',
    name: 'Conor Walsh',
    email: 'conor@example.com',
    mobile: '+353871000002',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'AT_RISK',
  },
  {
    key: 'acme-telecom-buyers',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Acme Telecom Buyers',
    email: 'it@acme.example',
    mobile: '+353871000010',
    segment: 'smb',
    category: 'SME',
    stage: 'ACTIVE',
  },
  {
    key: 'acme-dublin',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Acme Dublin Office',
    email: 'dublin@acme.example',
    mobile: '+353871000011',
    segment: 'smb',
    category: 'SME',
    stage: 'ACTIVE',
    parent: 'acme-telecom-buyers',
  },
  {
    key: 'acme-cork',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Acme Cork Office',
    email: 'cork@acme.example',
    mobile: '+353871000012',
    segment: 'smb',
    category: 'SME',
    stage: 'ACTIVE',
    parent: 'acme-telecom-buyers',
  },
  {
    key: 'acme-cork-warehouse',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Acme Cork Warehouse',
    email: 'warehouse@acme.example',
    mobile: '+353871000013',
    segment: 'smb',
    category: 'SME',
    stage: 'ONBOARDING',
    parent: 'acme-cork',
  },
  {
    key: 'globex',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Globex Enterprise',
    email: 'telecoms@globex.example',
    mobile: '+353871000020',
    segment: 'enterprise',
    category: 'ENTERPRISE',
    stage: 'ACTIVE',
  },
  {
    key: 'connectify-one',
    brand: 'volt',
    type: 'INDIVIDUAL',
    name: 'Niamh Kelly',
    email: 'niamh@example.com',
    mobile: '+353871000031',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'ACTIVE',
    partner: 'connectify',
  },
  {
    key: 'connectify-two',
    brand: 'volt',
    type: 'BUSINESS',
    name: 'Kelly Plumbing',
    email: 'office@kellyplumbing.example',
    mobile: '+353871000032',
    segment: 'smb',
    category: 'SME',
    stage: 'ACTIVE',
    partner: 'connectify',
  },
  {
    key: 'skyline-one',
    brand: 'volt',
    type: 'INDIVIDUAL',
    name: 'Sean Murphy',
    email: 'sean@example.com',
    mobile: '+353871000041',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'ACTIVE',
    partner: 'skyline',
  },
  {
    key: 'oliver',
    brand: 'nimbus',
    type: 'INDIVIDUAL',
    name: 'Oliver Smith',
    email: 'oliver@example.co.uk',
    mobile: '+447700900001',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'ACTIVE',
  },
  {
    key: 'amelia',
    brand: 'nimbus',
    type: 'INDIVIDUAL',
    name: 'Amelia Jones',
    email: 'amelia@example.co.uk',
    mobile: '+447700900002',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'PROSPECT',
  },
  // Same email as a Volt customer: accounts are per brand.
  {
    key: 'aoife-nimbus',
    brand: 'nimbus',
    type: 'INDIVIDUAL',
    name: 'Aoife Byrne',
    email: 'aoife@example.com',
    mobile: '+447700900003',
    segment: 'consumer',
    category: 'CONSUMER',
    stage: 'ACTIVE',
  },
  {
    key: 'nimbus-business',
    brand: 'nimbus',
    type: 'BUSINESS',
    name: 'Harbour Cafe Ltd',
    email: 'hello@harbourcafe.example',
    mobile: '+447700900010',
    segment: 'smb',
    category: 'SME',
    stage: 'ACTIVE',
  },
];

export const ACCESS_GROUPS = [
  {
    key: 'care',
    name: 'Customer care',
    scopes: [
      'customer:read',
      'customer:write',
      'customer:lookup',
      'interaction:write',
      'nps:read',
      'order:write',
      // Assisted sales: finish a customer's purchase for them (cartCheckoutAssisted).
      'cart:assist',
      'notification:read',
      'ticket:read',
      'ticket:write',
      'knowledge:read',
      'knowledge:write',
    ],
  },
  // Knowledge-base reviewers: publish, archive and send back solution articles.
  { key: 'knowledge', name: 'Knowledge editors', scopes: ['knowledge:read', 'knowledge:write', 'knowledge:publish'] },
  { key: 'catalog', name: 'Catalog managers', scopes: ['catalog:read', 'catalog:write'] },
  { key: 'security', name: 'Security admins', scopes: ['apikey:manage'] },
  // The audit trail (`auditTrail`, `Customer.auditTrail`): managers, not front-line agents.
  { key: 'audit', name: 'Auditors', scopes: ['audit:read'] },
  // ticket:admin: the storefront's business calendar and SLA policies.
  { key: 'admins', name: 'Staff administrators', scopes: ['partner:manage', 'staff:manage', 'ticket:admin'] },
  { key: 'marketing', name: 'Marketing', scopes: ['promotion:read', 'promotion:write', 'notification:read', 'notification:manage'] },
  { key: 'bulk', name: 'Bulk operations', scopes: ['bulk:manage', 'staff:manage'] },
  { key: 'quotes', name: 'Quotes', scopes: ['quote:read', 'quote:write'] },
  // Quote approvals: managers decide MANAGER approvals and set the rules; finance decides FINANCE ones.
  { key: 'quote-approvers', name: 'Quote approvers', scopes: ['quote:approve', 'quote:admin'] },
  // Leads and opportunities (the opportunity subgraph), within the member's segments.
  { key: 'sales', name: 'Sales', scopes: ['opportunity:read', 'opportunity:write'] },
  // Sales managers: the pipeline's reasons and custom fields, rejection analysis.
  { key: 'sales-management', name: 'Sales management', scopes: ['opportunity:manage', 'opportunity:approve'] },
  { key: 'contracts', name: 'Contracts', scopes: ['contract:read', 'contract:write'] },
  // Templates and approval of contracts whose template names `contract:approve` (or `contract:manage`).
  { key: 'contract-admins', name: 'Contract managers', scopes: ['contract:manage', 'contract:approve'] },
  // Finance: budget approvals of opportunities (BUDGET_APPROVAL tasks) and FINANCE approvals of quotes.
  { key: 'finance', name: 'Finance approvals', scopes: ['finance:approve'] },
];

export const STAFF = [
  {
    key: 'volt-manager',
    brand: 'volt' as Brand,
    email: 'manager@volt.example',
    name: 'Maeve Doyle',
    segments: ['*'],
    groups: [
      'care',
      'catalog',
      'security',
      'marketing',
      'audit',
      'admins',
      'bulk',
      'knowledge',
      'sales',
      'sales-management',
      'quotes',
      'contracts',
      'contract-admins',
      'quote-approvers',
    ],
  },
  {
    key: 'volt-consumer',
    brand: 'volt' as Brand,
    email: 'agent.consumer@volt.example',
    name: 'Liam Ryan',
    segments: ['consumer'],
    groups: ['care', 'sales', 'quotes', 'contracts'],
    manager: 'volt-manager',
  },
  {
    key: 'volt-business',
    brand: 'volt' as Brand,
    email: 'agent.business@volt.example',
    name: 'Ciara Nolan',
    segments: ['smb', 'enterprise'],
    groups: ['care', 'sales', 'quotes', 'contracts'],
    manager: 'volt-manager',
  },
  {
    key: 'volt-expired',
    brand: 'volt' as Brand,
    email: 'expired@volt.example',
    name: 'Pat Expired',
    segments: ['consumer'],
    groups: ['care'],
    manager: 'volt-manager',
    passwordAgeDays: 200,
  },
  {
    key: 'nimbus-agent',
    brand: 'nimbus' as Brand,
    email: 'agent@nimbus.example',
    name: 'Harry Evans',
    segments: ['*'],
    groups: [
      'care',
      'catalog',
      'security',
      'marketing',
      'audit',
      'admins',
      'bulk',
      'knowledge',
      'sales',
      'sales-management',
      'quotes',
      'contracts',
      'contract-admins',
      'quote-approvers',
    ],
  },
  // Granted both brands: acts in Volt by default, in Nimbus when it sends Nimbus's storefront key.
  {
    key: 'regional-manager',
    brand: 'volt' as Brand,
    brands: ['volt', 'nimbus'] as Brand[],
    email: 'regional@dcrm.example',
    name: 'Roisin Walsh',
    segments: ['*'],
    groups: [
      'care',
      'catalog',
      'security',
      'marketing',
      'audit',
      'admins',
      'bulk',
      'knowledge',
      'sales',
      'sales-management',
      'quotes',
      'contracts',
      'contract-admins',
      'quote-approvers',
      'finance',
    ],
  },
  // The explicit all-brands grant: the shared category taxonomy needs it.
  {
    key: 'catalog-admin',
    brand: 'volt' as Brand,
    brands: '*' as const,
    email: 'admin@dcrm.example',
    name: 'Sam Byrne',
    segments: ['*'],
    groups: ['catalog'],
  },
];
