/**
 * Session (SSO token) and cookie-configuration entities
 * (https://developer.atlassian.com/server/crowd/json-requests-and-responses/).
 *
 * Session: `<session expand="user"><token>T</token><user …complete user…/><link rel="self"
 * href="{B}/session/T"/><created-date/><expiry-date/></session>`; JSON dates in epoch ms (the npm
 * atlassian-crowd-client does `new Date(res['created-date'])`). The user is always complete,
 * because clients read it from `GET /session/{t}` with or without `expand=user`.
 * Cookie config: `<cookie-config><domain/><secure/><name/></cookie-config>`.
 */
import type { CrowdUserView } from '../graphql-types';
import { type LinkBase, userJson, userXml, type WireFormat } from './entities';
import { encodeQueryValue } from './links';
import { escapeXmlAttribute, XML_PROLOGUE, xmlTextElement } from './xml';

export interface SessionView {
  token: string;
  createdAt: Date;
  expiresAt: Date;
}

export function sessionLink(links: LinkBase, token: string): string {
  return `${links.baseUrl}/session/${encodeQueryValue(token)}`;
}

export function renderSession(
  session: SessionView,
  user: CrowdUserView,
  format: WireFormat,
  links: LinkBase,
  attributes: boolean,
): string {
  const self = sessionLink(links, session.token);
  if (format === 'json') {
    return JSON.stringify({
      expand: 'user',
      token: session.token,
      user: userJson(user, links, attributes),
      link: { rel: 'self', href: self },
      'created-date': session.createdAt.getTime(),
      'expiry-date': session.expiresAt.getTime(),
    });
  }
  return (
    `${XML_PROLOGUE}<session expand="user">` +
    xmlTextElement('token', session.token) +
    userXml(user, links, attributes) +
    `<link rel="self" href="${escapeXmlAttribute(self)}"/>` +
    xmlTextElement('created-date', session.createdAt.toISOString()) +
    xmlTextElement('expiry-date', session.expiresAt.toISOString()) +
    '</session>'
  );
}

export interface CookieConfig {
  domain: string;
  secure: boolean;
  name: string;
}

export function renderCookieConfig(config: CookieConfig, format: WireFormat): string {
  if (format === 'json') return JSON.stringify({ domain: config.domain, name: config.name, secure: config.secure });
  return (
    `${XML_PROLOGUE}<cookie-config>` +
    xmlTextElement('domain', config.domain) +
    `<secure>${config.secure ? 'true' : 'false'}</secure>` +
    xmlTextElement('name', config.name) +
    '</cookie-config>'
  );
}
