import { parseXml, type XmlElement } from '../../../facades/crowd/codec/xml-reader';

/**
 * Reads Crowd XML as strictly as Jira's JAXB client needs it to be right: a user without
 * `<active>` would be synchronised as inactive, a group without `<type>GROUP</type>` would have a
 * null type, so both are asserted wherever they appear.
 */
export const child = (e: XmlElement, name: string): XmlElement | undefined => e.children.find((c) => c.name === name);
export const text = (e: XmlElement, name: string): string | undefined => child(e, name)?.text;

export interface JaxbUser {
  name: string;
  key: string;
  firstName: string;
  lastName: string;
  displayName: string;
  email: string;
  active: boolean;
}

export function strictUser(e: XmlElement): JaxbUser {
  expect(e.name).toBe('user');
  for (const field of ['first-name', 'last-name', 'display-name', 'email', 'key', 'active']) {
    if (child(e, field) === undefined) throw new Error(`user ${e.attributes.name} lacks <${field}>`);
  }
  const active = text(e, 'active');
  expect(['true', 'false']).toContain(active);
  return {
    name: e.attributes.name!,
    key: text(e, 'key')!,
    firstName: text(e, 'first-name')!,
    lastName: text(e, 'last-name')!,
    displayName: text(e, 'display-name')!,
    email: text(e, 'email')!,
    active: active === 'true',
  };
}

export function strictGroup(e: XmlElement): { name: string; active: boolean; description: string } {
  expect(e.name).toBe('group');
  expect(text(e, 'type')).toBe('GROUP');
  const active = text(e, 'active');
  expect(['true', 'false']).toContain(active);
  return { name: e.attributes.name!, active: active === 'true', description: text(e, 'description') ?? '' };
}

export function strictDocument(body: string, root: string): XmlElement {
  expect(body.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')).toBe(true);
  const element = parseXml(body);
  expect(element.name).toBe(root);
  return element;
}
