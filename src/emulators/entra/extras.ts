import { createHash } from 'node:crypto';
import type { LiveGroup } from '../core/tenant-state';

/**
 * Non-user, non-group members that real directories contain and a connector must skip: mail
 * contacts (`orgContact`) in mail-enabled groups and registered devices (`device`) in security
 * groups. Chosen deterministically from the tenant seed and group id: about one in nine
 * non-Unified groups gets one to three (Microsoft 365 groups only hold users, so never those);
 * whenever an eligible group exists, at least one group has contacts and one has devices.
 * Fixed for the emulator's life; a deleted group's extras disappear with it.
 */
export interface OrgContact {
  readonly id: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly surname: string;
  readonly mail: string;
  readonly mailNickname: string;
  readonly companyName: string;
  readonly jobTitle: string;
}

export interface Device {
  readonly id: string;
  readonly deviceId: string;
  readonly displayName: string;
  readonly operatingSystem: string;
  readonly operatingSystemVersion: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly accountEnabled: boolean;
  readonly isCompliant: boolean;
  readonly isManaged: boolean;
  readonly registrationDateTime: Date;
}

export type ExtraKind = 'orgContact' | 'device';

const CONTACTS: readonly (readonly [string, string, string, string])[] = [
  ['Priya', 'Raman', 'Northwind Traders', 'northwindtraders.example'],
  ['Mateo', 'Alvarez', 'Fabrikam Legal', 'fabrikam.example'],
  ['Yuki', 'Tanaka', 'Tailspin Toys', 'tailspintoys.example'],
  ['Grace', 'Okafor', 'Litware Audit', 'litware.example'],
  ['Lars', 'Eriksen', 'Adventure Works', 'adventure-works.example'],
  ['Amélie', 'Durand', 'Wingtip Support', 'wingtiptoys.example'],
];
const DEVICES: readonly (readonly [string, string, string, string])[] = [
  ['Windows', '10.0.22631.4317', 'Dell Inc.', 'Latitude 7440'],
  ['Windows', '10.0.19045.5011', 'LENOVO', 'ThinkPad T14 Gen 4'],
  ['MacMDM', '14.6.1', 'Apple', 'MacBook Pro'],
  ['iOS', '17.6.1', 'Apple', 'iPhone 15'],
];
const SHARE_MODULUS = 9;

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('|')).digest();
}

function guid(bytes: Buffer): string {
  const b = Buffer.from(bytes.subarray(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class ExtraMembers {
  readonly contacts = new Map<string, OrgContact>();
  readonly devices = new Map<string, Device>();
  private readonly byGroup = new Map<string, string[]>();

  constructor(seed: string | number, groups: Iterable<LiveGroup>) {
    const sorted = [...groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const kindOf = (g: LiveGroup): ExtraKind | null =>
      g.unified ? null : g.mailEnabled ? 'orgContact' : g.securityEnabled ? 'device' : null;
    const chosen = new Map<string, ExtraKind>();
    for (const g of sorted) {
      const kind = kindOf(g);
      if (kind !== null && digest(String(seed), g.id, 'pick').readUInt32LE(0) % SHARE_MODULUS === 0)
        chosen.set(g.id, kind);
    }
    for (const wanted of ['orgContact', 'device'] as const) {
      if ([...chosen.values()].includes(wanted)) continue;
      const first = sorted.find((g) => kindOf(g) === wanted);
      if (first) chosen.set(first.id, wanted);
    }
    for (const [groupId, kind] of chosen) {
      const h = digest(String(seed), groupId, 'count');
      const count = 1 + ((h[0] as number) % 3);
      const ids: string[] = [];
      for (let n = 0; n < count; n++) {
        const d = digest(String(seed), groupId, kind, String(n));
        const id = guid(d);
        ids.push(id);
        if (kind === 'orgContact') this.contacts.set(id, contact(id, d));
        else this.devices.set(id, device(id, d));
      }
      this.byGroup.set(groupId, ids);
    }
  }

  /** Extra member ids of a group (empty for most groups). */
  of(groupId: string): readonly string[] {
    return this.byGroup.get(groupId) ?? [];
  }

  kindOf(id: string): ExtraKind | null {
    return this.contacts.has(id) ? 'orgContact' : this.devices.has(id) ? 'device' : null;
  }

  /** Drops a deleted group's extras. */
  dropGroup(groupId: string): void {
    for (const id of this.byGroup.get(groupId) ?? []) {
      this.contacts.delete(id);
      this.devices.delete(id);
    }
    this.byGroup.delete(groupId);
  }
}

function contact(id: string, d: Buffer): OrgContact {
  const [givenName, surname, companyName, domain] = CONTACTS[(d[20] as number) % CONTACTS.length]!;
  const nickname = `${givenName
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z]/g, '')}.${surname.toLowerCase()}${(d[21] as number) % 100}`;
  return {
    id,
    displayName: `${givenName} ${surname} (${companyName})`,
    givenName,
    surname,
    mail: `${nickname}@${domain}`,
    mailNickname: nickname,
    companyName,
    jobTitle: 'External contact',
  };
}

function device(id: string, d: Buffer): Device {
  const [operatingSystem, operatingSystemVersion, manufacturer, model] = DEVICES[(d[20] as number) % DEVICES.length]!;
  const prefix = operatingSystem === 'Windows' ? 'LAPTOP' : operatingSystem === 'iOS' ? 'IPHONE' : 'MAC';
  return {
    id,
    deviceId: guid(digest(id, 'deviceId')),
    displayName: `${prefix}-${d.subarray(22, 26).toString('hex').toUpperCase().slice(0, 7)}`,
    operatingSystem,
    operatingSystemVersion,
    manufacturer,
    model,
    accountEnabled: true,
    isCompliant: ((d[27] as number) & 1) === 0,
    isManaged: true,
    registrationDateTime: new Date(Date.UTC(2024, 0, 1) + (d.readUInt32LE(28) % 300) * 86_400_000),
  };
}
