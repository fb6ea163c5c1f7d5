/**
 * The reviewer's language for a request, and the switch that changes it:
 * `GET /portal/language/:lang?back=/portal/…` keeps the choice in a cookie for a year and returns
 * to the page it was chosen on. Without a choice, the browser's Accept-Language decides.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chooseLanguage, isLanguage, LANGUAGE_COOKIE, translator, type Translate } from '../../i18n/portal-messages.js';
import type { Resources } from '../../resources.js';
import type { PageContext } from './page-layout.js';
import { PortalError, readCookie } from './session-guard.js';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const ORIGIN = 'http://portal.invalid';

export function languageOf(request: FastifyRequest): string {
  return chooseLanguage(readCookie(request, LANGUAGE_COOKIE), request.headers['accept-language']);
}

export function translatorFor(request: FastifyRequest): Translate {
  return translator(languageOf(request));
}

/** The language, its messages and the page's path (a form's answer returns to the sign-in page). */
export function pageContext(request: FastifyRequest): PageContext {
  const lang = languageOf(request);
  const path = request.method === 'GET' ? request.url : request.url.startsWith('/portal/invite/') ? request.url : '/portal';
  return { lang, t: translator(lang), path };
}

/** A path inside the portal to return to, or `/portal` for anything else (never another site). */
export function portalPath(back: unknown): string {
  if (typeof back !== 'string' || back === '') return '/portal';
  try {
    const url = new URL(back, ORIGIN);
    if (url.origin !== ORIGIN || !(url.pathname === '/portal' || url.pathname.startsWith('/portal/'))) return '/portal';
    return `${url.pathname}${url.search}`;
  } catch {
    return '/portal';
  }
}

export async function registerLanguageRoute(app: FastifyInstance, resources: Resources) {
  app.get<{ Params: { lang: string }; Querystring: { back?: unknown } }>('/language/:lang', async (request, reply) => {
    const { lang } = request.params;
    if (!isLanguage(lang)) throw new PortalError(404, 'There is no such page.', 'error.noSuchPage');
    const secure = resources.config.publicUrl.startsWith('https:') ? '; Secure' : '';
    reply.header('set-cookie', `${LANGUAGE_COOKIE}=${lang}; Path=/portal; SameSite=Lax; Max-Age=${ONE_YEAR_SECONDS}${secure}`);
    return reply.redirect(portalPath(request.query.back), 303);
  });
}
