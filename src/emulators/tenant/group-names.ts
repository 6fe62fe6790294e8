import { APPS, DEPARTMENTS, OFFICES } from './org';
import type { Rng } from './random';
import { slug } from './text';

/** Name builders for the long tail of generated groups. Names may repeat; the catalogue de-duplicates. */
export interface NamedGroup {
  readonly name: string;
  /** May be '' (about one group in ten has no description). */
  readonly description: string;
}

const ADJECTIVES: readonly string[] = [
  'Amber',
  'Azure',
  'Bold',
  'Brave',
  'Bright',
  'Calm',
  'Crimson',
  'Crystal',
  'Dark',
  'Emerald',
  'Golden',
  'Hidden',
  'Iron',
  'Jade',
  'Lucky',
  'Lunar',
  'Midnight',
  'Noble',
  'Northern',
  'Quiet',
  'Rapid',
  'Red',
  'Rising',
  'Silent',
  'Silver',
  'Solar',
  'Swift',
  'Velvet',
  'Wild',
  'Winter',
  'Scarlet',
  'Cobalt',
  'Electric',
  'Frozen',
  'Hollow',
  'Ivory',
  'Misty',
  'Obsidian',
  'Polar',
  'Radiant',
  'Rusty',
  'Sapphire',
  'Shadow',
  'Stormy',
  'Sunny',
  'Twin',
  'Violet',
  'Wandering',
  'Brisk',
  'Copper',
  'Coral',
  'Daring',
  'Eager',
  'Fierce',
  'Gentle',
  'Glacial',
  'Humble',
  'Mighty',
  'Nimble',
  'Proud',
];

const NOUNS: readonly string[] = [
  'Falcon',
  'Phoenix',
  'Otter',
  'Badger',
  'Comet',
  'Nebula',
  'Orion',
  'Atlas',
  'Aurora',
  'Kestrel',
  'Heron',
  'Lynx',
  'Panther',
  'Raven',
  'Sparrow',
  'Tiger',
  'Wolf',
  'Bison',
  'Cobra',
  'Dolphin',
  'Eagle',
  'Fox',
  'Gecko',
  'Hawk',
  'Ibis',
  'Jaguar',
  'Koala',
  'Lemur',
  'Mantis',
  'Narwhal',
  'Osprey',
  'Puffin',
  'Quokka',
  'Robin',
  'Salmon',
  'Toucan',
  'Urchin',
  'Viper',
  'Walrus',
  'Yak',
  'Zebra',
  'Apollo',
  'Gemini',
  'Mercury',
  'Pegasus',
  'Titan',
  'Vega',
  'Sirius',
  'Polaris',
  'Andromeda',
  'Cassini',
  'Voyager',
  'Horizon',
  'Summit',
  'Canyon',
  'Glacier',
  'Harbor',
  'Island',
  'Meadow',
  'River',
  'Tundra',
  'Volcano',
  'Granite',
  'Quartz',
  'Onyx',
  'Basalt',
  'Cedar',
  'Maple',
  'Willow',
  'Birch',
  'Aspen',
  'Juniper',
  'Sequoia',
  'Lotus',
  'Orchid',
  'Tulip',
  'Bamboo',
  'Cactus',
  'Thistle',
  'Beacon',
  'Anchor',
  'Compass',
  'Lantern',
  'Rocket',
  'Shuttle',
  'Spark',
  'Prism',
  'Vortex',
  'Zephyr',
  'Monsoon',
  'Cyclone',
  'Tempest',
  'Blizzard',
  'Ember',
  'Cinder',
  'Fjord',
  'Mistral',
  'Sirocco',
  'Taiga',
  'Delta',
];

const TEAM_SUFFIXES: readonly string[] = [
  'Core',
  'Web',
  'API',
  'Mobile',
  'Ops',
  'Data',
  'QA',
  'Research',
  'Launch',
  'Migration',
  'Tiger Team',
  'Squad',
  'Working Group',
  'Steering Committee',
];

const AUDIENCES: readonly string[] = [
  'All',
  'Managers',
  'Announcements',
  'Events',
  'Social',
  'Parents',
  'Runners',
  'Book Club',
  'Cyclists',
  'Volunteers',
  'Women in Tech',
  'Pride',
  'Interns',
  'Newsletter',
  'Alumni',
  'Wellbeing',
  'New Joiners',
  'Fire Wardens',
  'First Aiders',
];

const RESOURCES: readonly string[] = [
  'fileshare',
  'printers',
  'wifi',
  'lab',
  'badge',
  'parking',
  'sharepoint',
  'nas',
  'kiosk',
  'cctv',
  'meeting-rooms',
];
const ACCESS: readonly string[] = ['rw', 'ro', 'admin', 'owners'];
const APP_ROLES: readonly string[] = [
  'users',
  'admins',
  'readonly',
  'editors',
  'developers',
  'approvers',
  'owners',
  'viewers',
];
const ENVIRONMENTS: readonly string[] = ['prod', 'staging', 'dev', 'sandbox'];

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Index of the first cumulative share of `shares` above a uniform draw; `shares.length` for the rest. */
function weightedFormat(rng: Rng, shares: readonly number[]): number {
  let x = rng.float();
  for (let i = 0; i < shares.length; i++) {
    x -= shares[i] as number;
    if (x < 0) return i;
  }
  return shares.length;
}

function describe(rng: Rng, description: string): NamedGroup['description'] {
  return rng.chance(0.1) ? '' : description;
}

/** Project teams, squads and working groups. */
export function teamGroup(rng: Rng): NamedGroup {
  const adjective = rng.pick(ADJECTIVES);
  const noun = rng.pick(NOUNS);
  const codename = `${adjective} ${noun}`;
  switch (rng.int(5)) {
    case 0:
      return { name: `Project ${codename}`, description: describe(rng, `Project team for ${codename}`) };
    case 1:
      return { name: `proj-${slug(codename)}`, description: describe(rng, `Project ${codename}`) };
    case 2:
      return { name: `${noun} ${rng.pick(TEAM_SUFFIXES)}`, description: describe(rng, `${noun} team`) };
    default: {
      const suffix = rng.pick(TEAM_SUFFIXES);
      return { name: `${codename} ${suffix}`, description: describe(rng, `${suffix} for project ${codename}`) };
    }
  }
}

/** Mail distribution lists. */
export function distributionGroup(rng: Rng): NamedGroup {
  const office = rng.pick(OFFICES);
  const audience = rng.pick(AUDIENCES);
  switch (weightedFormat(rng, [0.7, 0.15])) {
    case 0: {
      const scope = rng.chance(0.5) ? `${rng.pick(DEPARTMENTS).name} ${audience}` : audience;
      return {
        name: `DL - ${office} ${scope}`,
        description: describe(rng, `Mailing list: ${scope}, ${office} office`),
      };
    }
    case 1:
      return { name: `dl-${slug(audience)}-${slug(office)}`, description: describe(rng, `${audience} (${office})`) };
    default: {
      const department = rng.pick(DEPARTMENTS).name;
      return {
        name: `${department} ${audience}`,
        description: describe(rng, `Mailing list: ${department} ${audience}`),
      };
    }
  }
}

/** Application access groups ("jira-users" style). */
export function appGroup(rng: Rng): NamedGroup {
  const [app, display] = rng.pick(APPS);
  const role = rng.pick(APP_ROLES);
  const description = describe(rng, `Grants ${role} access to ${display}`);
  switch (weightedFormat(rng, [0.4, 0.3, 0.1, 0.1])) {
    case 0:
      return { name: `app-${app}-${rng.pick(NOUNS).toLowerCase()}-${role}`, description };
    case 1:
      return { name: `app-${app}-${rng.pick(ENVIRONMENTS)}-${role}`, description };
    case 2:
      return { name: `${display} ${titleCase(role)}`, description };
    case 3:
      return { name: `APP_${app.toUpperCase()}_${role.toUpperCase()}`, description };
    default:
      return { name: `${app}-${role}`, description };
  }
}

/** Resource, device and network security groups (mostly "sg-<office>-<resource>[-b<n>]-<access>"). */
export function securityGroup(rng: Rng): NamedGroup {
  const office = rng.pick(OFFICES);
  switch (weightedFormat(rng, [0.8, 0.1])) {
    case 0: {
      const resource = rng.pick(RESOURCES);
      const building = rng.chance(0.7) ? `-b${1 + rng.int(12)}` : '';
      return {
        name: `sg-${slug(office)}-${resource}${building}-${rng.pick(ACCESS)}`,
        description: describe(rng, `${resource} in ${office}`),
      };
    }
    case 1:
      return { name: `${office} VPN Users`, description: describe(rng, `Remote access for ${office}`) };
    default:
      return { name: `Laptop Local Admins - ${office}`, description: describe(rng, 'Local administrator rights') };
  }
}
