import { renderEvents, renderEventToken } from '../codec/events';
import { runAs, type CrowdCall } from '../request';
import { CrowdEventTokenDocument, CrowdEventsSinceDocument } from '../generated/operations';

/**
 * GET /event → the current token with `incrementalSynchronisationAvailable="true"`
 * (https://docs.atlassian.com/atlassian-crowd/latest/REST/). Jira reads it before and after a full sync and stores the second one.
 */
export async function getEventToken(call: CrowdCall): Promise<string> {
  const data = await runAs(call, CrowdEventTokenDocument, {});
  return renderEventToken(data.eventToken, call.format);
}

/**
 * GET /event/{token} → the events since the token in the application's directories, and the next
 * token. The token arrives as a URL-encoded path segment (Koa's router decodes it). A token the
 * store cannot continue from → 410 EVENT_TOKEN_EXPIRED, Jira's clean "do a full sync" signal.
 */
export async function getEventsSince(call: CrowdCall, token: string): Promise<string> {
  const data = await runAs(call, CrowdEventsSinceDocument, { since: token });
  return renderEvents(data.events.token, data.events.events, call.format, call.links);
}
