/**
 * The portal's languages and how one is chosen. Pure: shared by the server's pages and the task
 * page's script (web/portal), which bundles the catalogues.
 *
 * To add a language: copy portal-en.ts to portal-xx.ts typed as `PortalMessages` (the compiler
 * names any missing key), translate it, and add it to {@link CATALOGUES}.
 *
 * @example
 * const t = translator(chooseLanguage(undefined, 'de-CH,de;q=0.9,en;q=0.5')); // German
 * t('signIn.tooMany', { count: 3 }); // 'Zu viele Anmeldeversuche. Versuchen Sie es in 3 Minuten erneut.'
 */
import { de } from './portal-de.js';
import { en, type Message, type MessageKey, type PortalMessages } from './portal-en.js';

export type { MessageKey };

/** Every shipped catalogue by its BCP 47 primary language subtag; the first is the fallback. */
export const CATALOGUES: Readonly<Record<string, PortalMessages>> = { en, de };
export const LANGUAGES: readonly string[] = Object.keys(CATALOGUES);
export const DEFAULT_LANGUAGE = 'en';
/** The cookie that keeps the reviewer's choice from the language switch. */
export const LANGUAGE_COOKIE = 'tandem_lang';

export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function isLanguage(value: string | undefined): value is string {
  return value !== undefined && Object.hasOwn(CATALOGUES, value);
}

/**
 * The language to show: the switch's choice (cookie) when it names a shipped language, else the
 * best of the browser's Accept-Language (by q, then order; `de-AT` matches `de`), else English.
 */
export function chooseLanguage(chosen: string | undefined, acceptLanguage: string | undefined): string {
  if (isLanguage(chosen)) return chosen;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { language: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.language !== '' && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.find((entry) => isLanguage(entry.language))?.language ?? DEFAULT_LANGUAGE;
}

export function translator(language: string): Translate {
  const catalogue = CATALOGUES[language] ?? en;
  const plurals = new Intl.PluralRules(language);
  return (key, params = {}) => {
    const message: Message = catalogue[key] ?? en[key];
    const text = typeof message === 'string' ? message : plurals.select(Number(params.count ?? 0)) === 'one' ? message.one : message.other;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
  };
}
