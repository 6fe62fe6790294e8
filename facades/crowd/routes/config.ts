import { renderCookieConfig, type CookieConfig } from '../codec/session';
import type { CrowdCall } from '../request';

/**
 * GET /config/cookie. crowdgate sets no SSO cookie itself; it answers Crowd's
 * defaults so SSO clients configure themselves: name `crowd.token_key`, no domain (host-only),
 * not secure-only.
 */
const DEFAULT_COOKIE_CONFIG: CookieConfig = { domain: '', secure: false, name: 'crowd.token_key' };

export async function getCookieConfig(call: CrowdCall, config: CookieConfig = DEFAULT_COOKIE_CONFIG): Promise<string> {
  return renderCookieConfig(config, call.format);
}
