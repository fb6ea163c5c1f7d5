/**
 * The portal's catalogues and language choice (src/i18n/): every language has every message with
 * the same placeholders as English, and the language follows the switch, then Accept-Language.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { portalPath } from '../../src/api/portal/language.js';
import { en } from '../../src/i18n/portal-en.js';
import { CATALOGUES, chooseLanguage, translator } from '../../src/i18n/portal-messages.js';

const placeholders = (message: unknown) =>
  JSON.stringify(message)
    .match(/\{\w+\}|<\/?kbd>/g)
    ?.sort() ?? [];

describe('portal message catalogues', () => {
  test('every catalogue has English’s keys, shapes and placeholders', () => {
    for (const [language, catalogue] of Object.entries(CATALOGUES)) {
      assert.deepEqual(Object.keys(catalogue).sort(), Object.keys(en).sort(), language);
      for (const [key, message] of Object.entries(en)) {
        const translated = (catalogue as Record<string, unknown>)[key];
        assert.equal(typeof translated, typeof message, `${language} ${key}`);
        if (typeof message === 'object') {
          for (const form of ['one', 'other'] as const) assert.deepEqual(placeholders((translated as typeof message)[form]), placeholders(message[form]), `${language} ${key}.${form}`);
        } else {
          assert.deepEqual(placeholders(translated), placeholders(message), `${language} ${key}`);
        }
      }
    }
  });

  test('the switch’s choice wins, then Accept-Language by weight, then English', () => {
    assert.equal(chooseLanguage('de', 'en-US,en;q=0.9'), 'de');
    assert.equal(chooseLanguage('xx', 'de-AT,de;q=0.9'), 'de');
    assert.equal(chooseLanguage(undefined, 'fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7'), 'de');
    assert.equal(chooseLanguage(undefined, 'en;q=0.5,de;q=0.6'), 'de');
    assert.equal(chooseLanguage(undefined, 'de;q=0,en'), 'en');
    assert.equal(chooseLanguage(undefined, 'fr, *;q=0.1'), 'en');
    assert.equal(chooseLanguage(undefined, undefined), 'en');
  });

  test('parameters and plural forms', () => {
    const de = translator('de');
    assert.equal(de('signIn.tooMany', { count: 1 }), 'Zu viele Anmeldeversuche. Versuchen Sie es in 1 Minute erneut.');
    assert.equal(de('signIn.tooMany', { count: 3 }), 'Zu viele Anmeldeversuche. Versuchen Sie es in 3 Minuten erneut.');
    assert.equal(translator('en')('live.newTask', { title: 'Classify' }), 'New task: Classify');
    assert.equal(translator('xx')('nav.home'), 'Home');
  });

  test('the switch returns only to a portal page', () => {
    assert.equal(portalPath('/portal/history?page=2'), '/portal/history?page=2');
    assert.equal(portalPath('/portal'), '/portal');
    for (const away of ['https://evil.example/portal', '//evil.example/portal', '/console', '/portalx', '/\\evil.example', undefined, ['/portal/home']]) {
      assert.equal(portalPath(away), '/portal', String(away));
    }
  });
});
