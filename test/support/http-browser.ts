/**
 * Just enough of a browser for redirect-and-form flows (single sign-on) over plain HTTP: a cookie
 * jar that honours Path, Max-Age and Expires per origin, and navigation that follows redirects
 * one hop at a time so a test can stop at, inspect or alter any hop.
 *
 * @example
 * const browser = new HttpBrowser();
 * const page = await browser.navigate(`${tandem.url}/portal/sso/start`);
 * const next = await browser.submitForm(page, { login: 'ana', password: 'x' });
 */

export interface Page {
  url: string;
  status: number;
  body: string;
  headers: Headers;
  /** Every URL requested to get here, in order (redirect hops included). */
  trail: string[];
}

interface StoredCookie {
  origin: string;
  name: string;
  value: string;
  path: string;
  expiresAt: number;
}

export interface NavigateOptions {
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  /** Stop before requesting a redirect target for which this returns true; the page is then the redirect. */
  stopBefore?: (url: URL) => boolean;
}

export class HttpBrowser {
  readonly #cookies: StoredCookie[] = [];

  /** Requests `url` and follows redirects (GET) until a page that is not a redirect, or `stopBefore` says stop. */
  async navigate(url: string, options: NavigateOptions = {}): Promise<Page> {
    const trail: string[] = [];
    let current = new URL(url);
    let method = options.method ?? 'GET';
    let form = options.form;
    for (let hop = 0; hop < 20; hop++) {
      trail.push(current.href);
      const response = await this.request(current, method, form);
      const body = await response.text();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current.href, status: response.status, body, headers: response.headers, trail };
      }
      const next = new URL(location, current);
      if (options.stopBefore?.(next)) {
        return { url: current.href, status: response.status, body, headers: response.headers, trail: [...trail, next.href] };
      }
      current = next;
      method = 'GET';
      form = undefined;
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Posts the page's first form (its `action`, resolved against the page) with `fields` plus its hidden inputs. */
  async submitForm(page: Page, fields: Record<string, string> = {}, options: Omit<NavigateOptions, 'method' | 'form'> = {}): Promise<Page> {
    const form = /<form\b[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.body);
    if (!form) throw new Error(`no form on ${page.url} (status ${page.status})`);
    const hidden: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/gi)) {
      const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
      const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1];
      if (name) hidden[decodeEntities(name)] = decodeEntities(value ?? '');
    }
    const action = new URL(decodeEntities(form[1]!), page.url).href;
    return this.navigate(action, { ...options, method: 'POST', form: { ...hidden, ...fields } });
  }

  /** The link on the page whose href matches `pattern`, resolved against the page. */
  link(page: Page, pattern: RegExp): string {
    for (const match of page.body.matchAll(/<a\b[^>]*\bhref="([^"]*)"/gi)) {
      const href = decodeEntities(match[1]!);
      if (pattern.test(href)) return new URL(href, page.url).href;
    }
    throw new Error(`no link matching ${pattern} on ${page.url}`);
  }

  /** The value of a live cookie for `url`, or undefined. */
  cookie(url: string, name: string): string | undefined {
    return this.#matching(new URL(url)).find((c) => c.name === name)?.value;
  }

  async request(url: URL, method: 'GET' | 'POST' = 'GET', form?: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const cookieHeader = this.#matching(url).map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookieHeader ? { cookie: cookieHeader } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) this.#store(url, header);
    return response;
  }

  #matching(url: URL): StoredCookie[] {
    const now = Date.now();
    return this.#cookies
      .filter((c) => c.origin === url.origin && c.expiresAt > now && pathMatches(url.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length);
  }

  #store(url: URL, header: string): void {
    const [pair = '', ...attributes] = header.split(';');
    const at = pair.indexOf('=');
    if (at <= 0) return;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    let path = url.pathname.replace(/\/[^/]*$/, '') || '/';
    let expiresAt = Number.POSITIVE_INFINITY;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const text = rest.join('=').trim();
      switch (key.trim().toLowerCase()) {
        case 'path':
          path = text || '/';
          break;
        case 'max-age':
          expiresAt = Date.now() + Number(text) * 1000;
          break;
        case 'expires':
          if (expiresAt === Number.POSITIVE_INFINITY) expiresAt = Date.parse(text);
          break;
      }
    }
    const index = this.#cookies.findIndex((c) => c.origin === url.origin && c.name === name && c.path === path);
    if (index !== -1) this.#cookies.splice(index, 1);
    if (expiresAt > Date.now()) this.#cookies.push({ origin: url.origin, name, value, path, expiresAt });
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, code: string) => String.fromCharCode(parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
