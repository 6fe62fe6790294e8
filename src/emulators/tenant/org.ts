/**
 * The fake company's organisation chart: departments (with their share of staff, sub-teams and
 * job titles), offices, partner domains of B2B guests and the applications that access groups
 * are named after. Order matters: departments are listed largest first.
 */
export interface Department {
  readonly name: string;
  /** Relative share of employees. */
  readonly weight: number;
  /** Sub-department groups are named "<department> - <sub-team>". */
  readonly subTeams: readonly string[];
  readonly titles: readonly string[];
}

export const DEPARTMENTS: readonly Department[] = [
  {
    name: 'Engineering',
    weight: 24,
    subTeams: ['Platform', 'Mobile', 'Web', 'Data', 'Infrastructure', 'Security', 'QA', 'Developer Experience'],
    titles: [
      'Software Engineer',
      'Senior Software Engineer',
      'Staff Engineer',
      'Principal Engineer',
      'Engineering Manager',
      'QA Engineer',
      'Site Reliability Engineer',
    ],
  },
  {
    name: 'Sales',
    weight: 13,
    subTeams: ['EMEA', 'APAC', 'North America', 'LATAM', 'Enterprise', 'Inside Sales'],
    titles: [
      'Account Executive',
      'Senior Account Executive',
      'Sales Development Representative',
      'Sales Manager',
      'Solutions Engineer',
    ],
  },
  {
    name: 'Customer Support',
    weight: 10,
    subTeams: ['Tier 1', 'Tier 2', 'Escalations', 'Knowledge Base'],
    titles: ['Support Engineer', 'Support Specialist', 'Support Team Lead', 'Technical Account Manager'],
  },
  {
    name: 'Product',
    weight: 7,
    subTeams: ['Core', 'Growth', 'Analytics'],
    titles: ['Product Manager', 'Senior Product Manager', 'Product Owner', 'Product Analyst'],
  },
  {
    name: 'Marketing',
    weight: 7,
    subTeams: ['Brand', 'Demand Generation', 'Events', 'Content'],
    titles: ['Marketing Manager', 'Content Strategist', 'Campaign Specialist', 'Events Coordinator'],
  },
  {
    name: 'Operations',
    weight: 6,
    subTeams: ['Logistics', 'Procurement', 'Business Systems'],
    titles: ['Operations Analyst', 'Operations Manager', 'Procurement Specialist'],
  },
  {
    name: 'Finance',
    weight: 5,
    subTeams: ['Accounting', 'Payroll', 'Treasury', 'FP&A'],
    titles: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'],
  },
  {
    name: 'IT',
    weight: 5,
    subTeams: ['Service Desk', 'Identity', 'Networks'],
    titles: ['IT Support Technician', 'Systems Administrator', 'Identity Engineer', 'Network Engineer'],
  },
  {
    name: 'Research',
    weight: 4,
    subTeams: ['Applied Research', 'Labs'],
    titles: ['Research Scientist', 'Research Engineer', 'Lab Technician'],
  },
  {
    name: 'Human Resources',
    weight: 4,
    subTeams: ['Recruiting', 'People Partners', 'Learning & Development'],
    titles: ['HR Business Partner', 'Recruiter', 'People Operations Specialist'],
  },
  {
    name: 'Customer Success',
    weight: 4,
    subTeams: ['Onboarding', 'Renewals'],
    titles: ['Customer Success Manager', 'Onboarding Specialist'],
  },
  {
    name: 'Design',
    weight: 3,
    subTeams: ['UX Research', 'Visual Design'],
    titles: ['Product Designer', 'UX Researcher', 'Design Lead'],
  },
  {
    name: 'Legal',
    weight: 2,
    subTeams: ['Compliance', 'Contracts'],
    titles: ['Counsel', 'Paralegal', 'Compliance Officer'],
  },
  {
    name: 'Medical Affairs',
    weight: 2,
    subTeams: ['Clinical', 'Pharmacovigilance'],
    titles: ['Medical Advisor', 'Clinical Research Associate', 'Ärztin', 'Arzt'],
  },
  {
    name: 'Facilities',
    weight: 2,
    subTeams: ['Workplace'],
    titles: ['Facilities Coordinator', 'Office Manager', 'Receptionist'],
  },
];

/** Manager titles (~8% of staff); '%' stands for the department name. */
export const LEADERSHIP_TITLES: readonly string[] = ['Director of %', 'Head of %', 'VP %', '% Team Lead'];

/** Office cities, deliberately with diacritics and non-ASCII letters. */
export const OFFICES: readonly string[] = [
  'London',
  'Berlin',
  'München',
  'Zürich',
  'Kraków',
  'Warszawa',
  'København',
  'Malmö',
  'São Paulo',
  'Montréal',
  'Ciudad de México',
  'Bogotá',
  'Paris',
  'Lyon',
  'Madrid',
  'Barcelona',
  'Lisboa',
  'Milano',
  'Dublin',
  'Amsterdam',
  'Stockholm',
  'Oslo',
  'Helsinki',
  'Reykjavík',
  'İstanbul',
  'Dubai',
  'Cairo',
  'Lagos',
  'Nairobi',
  'Bengaluru',
  'Mumbai',
  'Singapore',
  'Tokyo',
  'Seoul',
  'Shanghai',
  'Hà Nội',
  'Sydney',
  'Auckland',
  'Toronto',
  'New York',
  'San Francisco',
  'Austin',
  'Seattle',
  'Chicago',
  'Łódź',
  'Genève',
];

/** Home domains of B2B guests. */
export const PARTNER_DOMAINS: readonly string[] = [
  'partner.org',
  'contoso-consulting.com',
  'fabrikam.de',
  'northwind.co.uk',
  'adatum.fr',
  'gmail.com',
  'outlook.com',
  'tailspin.io',
  'wingtip.es',
  'litware.nl',
  'proseware.pl',
  'woodgrove.com',
];

/** Applications named by access groups (lower-case slug, display name). */
export const APPS: readonly (readonly [string, string])[] = [
  ['jira', 'Jira'],
  ['confluence', 'Confluence'],
  ['bitbucket', 'Bitbucket'],
  ['github', 'GitHub'],
  ['gitlab', 'GitLab'],
  ['slack', 'Slack'],
  ['zoom', 'Zoom'],
  ['salesforce', 'Salesforce'],
  ['workday', 'Workday'],
  ['aws', 'AWS'],
  ['azure', 'Azure'],
  ['gcp', 'Google Cloud'],
  ['datadog', 'Datadog'],
  ['pagerduty', 'PagerDuty'],
  ['tableau', 'Tableau'],
  ['snowflake', 'Snowflake'],
  ['figma', 'Figma'],
  ['miro', 'Miro'],
  ['notion', 'Notion'],
  ['servicenow', 'ServiceNow'],
  ['zendesk', 'Zendesk'],
  ['hubspot', 'HubSpot'],
  ['docusign', 'DocuSign'],
  ['adobe', 'Adobe CC'],
  ['vpn', 'VPN'],
  ['sap', 'SAP'],
  ['netsuite', 'NetSuite'],
  ['looker', 'Looker'],
  ['sentry', 'Sentry'],
  ['grafana', 'Grafana'],
  ['jenkins', 'Jenkins'],
  ['vault', 'Vault'],
  ['1password', '1Password'],
  ['box', 'Box'],
  ['asana', 'Asana'],
  ['intercom', 'Intercom'],
  ['marketo', 'Marketo'],
  ['greenhouse', 'Greenhouse'],
  ['expensify', 'Expensify'],
  ['coupa', 'Coupa'],
  ['okta', 'Okta'],
  ['lucid', 'Lucid'],
];
