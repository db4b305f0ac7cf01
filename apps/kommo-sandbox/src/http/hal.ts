import type { Response } from 'express';
import { KommoProblem } from './problem';
import { asText } from '../store/text';

/** Writes a success answer the way Kommo does (`application/hal+json`), or 204 with no body. */
export function sendHal(res: Response, status: number, body: unknown): void {
  if (status === 204 || body === undefined || body === null) {
    res.status(204).end();
    return;
  }
  res.status(status).setHeader('content-type', 'application/hal+json; charset=utf-8');
  res.end(JSON.stringify(body));
}

export function link(host: string, path: string): { href: string } {
  return { href: `https://${host}${path}` };
}

export interface Page<T> {
  readonly items: T[];
  readonly page: number;
  readonly limit: number;
  readonly hasNext: boolean;
}

/** `page` (1-based) + `limit` (default 50, max 250 → 422). */
export function paginate<T>(items: T[], query: Record<string, unknown>, defaultLimit = 50): Page<T> {
  const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  const page = query.page === undefined ? 1 : Number(query.page);
  if (!Number.isInteger(limit) || limit < 1) throw KommoProblem.of(400, 'Invalid limit');
  if (limit > 250) throw KommoProblem.of(422, 'Limit 250 per page');
  if (!Number.isInteger(page) || page < 1) throw KommoProblem.of(400, 'Invalid page');
  const start = (page - 1) * limit;
  return { items: items.slice(start, start + limit), page, limit, hasNext: start + limit < items.length };
}

/** `{_page, _links{self,next?,prev?}, _embedded{[key]: items}}`, or null (→ 204) when the page is empty. */
export function halList(
  host: string,
  path: string,
  key: string,
  page: Page<unknown>,
  query: Record<string, unknown>,
  mapped: unknown[],
): Record<string, unknown> | null {
  if (mapped.length === 0) return null;
  const href = (pageNumber: number) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(flattenQuery(query))) if (name !== 'page' && name !== 'limit') params.append(name, value);
    params.set('page', String(pageNumber));
    params.set('limit', String(page.limit));
    return link(host, `${path}?${params.toString()}`);
  };
  const links: Record<string, unknown> = { self: href(page.page) };
  if (page.hasNext) links.next = href(page.page + 1);
  if (page.page > 1) links.prev = href(page.page - 1);
  return { _page: page.page, _links: links, _embedded: { [key]: mapped } };
}

/** Express's nested query (`filter[id][]=1`) back to flat `name=value` pairs. */
export function flattenQuery(query: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    const name = prefix ? `${prefix}[${key}]` : key;
    if (value !== null && typeof value === 'object') Object.assign(out, flattenQuery(value as Record<string, unknown>, name));
    else out[name] = asText(value);
  }
  return out;
}

/** `with=leads,contacts` → set of names. */
export function withSet(query: Record<string, unknown>): Set<string> {
  const value = query.with;
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return new Set(
    text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
}

/** A query value that may be a scalar, an array, or an object with numeric keys → list of strings. */
export function listParam(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(asText);
  if (typeof value === 'object') return Object.values(value as Record<string, unknown>).map(asText);
  return [asText(value)];
}
