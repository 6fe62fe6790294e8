/**
 * The hrefs Crowd puts in `<link>` elements (Crowd's `LinkUriHelper`;
 * https://developer.atlassian.com/server/crowd/json-requests-and-responses/). Names are query arguments, so they are percent-encoded; the caller
 * XML-escapes the whole href when it writes XML (the `&` between arguments becomes `&amp;`).
 */

/** `baseUrl` is `{context}/rest/usermanagement/1`, without a trailing slash. */
export interface LinkBase {
  baseUrl: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `encodeURIComponent` that cannot throw: a lone surrogate (URIError) becomes U+FFFD first. */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
}

export const userLinks = {
  self: (b: LinkBase, user: string): string => `${b.baseUrl}/user?username=${encodeQueryValue(user)}`,
  password: (b: LinkBase, user: string): string => `${b.baseUrl}/user/password?username=${encodeQueryValue(user)}`,
  attributes: (b: LinkBase, user: string): string => `${b.baseUrl}/user/attribute?username=${encodeQueryValue(user)}`,
  attribute: (b: LinkBase, user: string, attribute: string): string =>
    `${b.baseUrl}/user/attribute?username=${encodeQueryValue(user)}&attributename=${encodeQueryValue(attribute)}`,
};

export const groupLinks = {
  self: (b: LinkBase, group: string): string => `${b.baseUrl}/group?groupname=${encodeQueryValue(group)}`,
  attributes: (b: LinkBase, group: string): string =>
    `${b.baseUrl}/group/attribute?groupname=${encodeQueryValue(group)}`,
  attribute: (b: LinkBase, group: string, attribute: string): string =>
    `${b.baseUrl}/group/attribute?groupname=${encodeQueryValue(group)}&attributename=${encodeQueryValue(attribute)}`,
};
