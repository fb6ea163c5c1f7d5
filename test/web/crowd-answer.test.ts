/**
 * The pure half of crowd-form: answer assembly (spec D.3.5) and the lenient attribute-literal
 * reader, without a browser. The documented examples of spec section C are the fixtures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assembleAnswer, canonicalize, nativeControlEntries, type AnswerEntry } from '../../web/crowd/answer.js';
import { parseLooseLiteral, parseStringList } from '../../web/crowd/literal.js';

const flag = (name: string, key: string, checked: boolean): AnswerEntry => ({ kind: 'flag', name, key, checked });
const text = (name: string, value: string): AnswerEntry => ({ kind: 'text', name, value });

describe('assembleAnswer', () => {
  test('checkboxes sharing a name merge into one object, unchecked as false (crowd-checkbox doc)', () => {
    const answer = assembleAnswer([
      flag('image_attributes', 'blurry', true),
      flag('image_attributes', 'dim', true),
      flag('image_attributes', 'exposed', false),
    ]);
    assert.equal(JSON.stringify(answer), '{"image_attributes":{"blurry":true,"dim":true,"exposed":false}}');
  });

  test('keys come out sorted at every level (the Go/Slow/Stop doc example)', () => {
    const answer = assembleAnswer([flag('Stop', 'Red', true), flag('Slow', 'Yellow', false), flag('Go', 'Green', false)]);
    assert.equal(JSON.stringify(answer), '{"Go":{"Green":false},"Slow":{"Yellow":false},"Stop":{"Red":true}}');
  });

  test('empty text contributes nothing, not even over an earlier value (crowd-input doc)', () => {
    assert.deepEqual(assembleAnswer([text('tag1', 'blue'), text('tag2', 'red'), text('tag3', '')]), {
      tag1: 'blue',
      tag2: 'red',
    });
    assert.deepEqual(assembleAnswer([text('a', 'kept'), text('a', '')]), { a: 'kept' });
  });

  test('a repeated name keeps the last contribution in document order (spec D.2 #7)', () => {
    assert.deepEqual(assembleAnswer([text('_', 'junk'), text('_', 'more junk'), text('_', '_')]), { _: '_' });
    assert.deepEqual(assembleAnswer([flag('x', 'on', true), text('x', 'text')]), { x: 'text' });
    assert.deepEqual(assembleAnswer([text('x', 'text'), flag('x', 'a', true), flag('x', 'b', false)]), {
      x: { a: true, b: false },
    });
  });

  test('structured values replace, and are canonicalized too', () => {
    const answer = assembleAnswer([
      { kind: 'value', name: 'category', value: { workerComment: 'hm', label: 'Cat' } },
      { kind: 'value', name: 'list', value: ['b', 'a'] },
    ]);
    assert.equal(JSON.stringify(answer), '{"category":{"label":"Cat","workerComment":"hm"},"list":["b","a"]}');
  });
});

describe('canonicalize', () => {
  test('sorts by code point, uppercase before lowercase, astral characters last', () => {
    const sorted = canonicalize({ b: 1, '<label 1>': 2, '<Label 2>': 3, a: { z: 1, y: [{ d: 1, c: 2 }] }, '\u{1F600}': 4, '\uFF5E': 5 });
    assert.equal(
      JSON.stringify(sorted),
      '{"<Label 2>":3,"<label 1>":2,"a":{"y":[{"c":2,"d":1}],"z":1},"b":1,"～":5,"😀":4}',
    );
  });
});

describe('nativeControlEntries', () => {
  test('checkbox and radio give flags, defaulting to "on"', () => {
    assert.deepEqual(nativeControlEntries({ type: 'checkbox', name: 'n', value: 'x', checked: false }), [flag('n', 'x', false)]);
    assert.deepEqual(nativeControlEntries({ type: 'radio', name: 'animal-type', value: '', checked: true }), [
      flag('animal-type', 'on', true),
    ]);
  });

  test('text-like inputs, select and textarea give strings', () => {
    for (const type of ['text', 'hidden', 'number', 'date', 'email', 'select-one', 'textarea']) {
      assert.deepEqual(nativeControlEntries({ type, name: 'n', value: '4' }), [text('n', '4')], type);
    }
  });

  test('select multiple gives the selected values, or nothing', () => {
    const options = [{ value: 'p' }, { value: 'r' }];
    assert.deepEqual(nativeControlEntries({ type: 'select-multiple', name: 'm', value: 'p', selectedOptions: options }), [
      { kind: 'value', name: 'm', value: ['p', 'r'] },
    ]);
    assert.deepEqual(nativeControlEntries({ type: 'select-multiple', name: 'm', value: '', selectedOptions: [] }), []);
  });

  test('buttons and file inputs give nothing', () => {
    for (const type of ['submit', 'button', 'reset', 'image', 'file']) {
      assert.deepEqual(nativeControlEntries({ type, name: 'n', value: 'v' }), [], type);
    }
  });
});

describe('parseLooseLiteral', () => {
  test('reads JSON and the JS-literal forms templates use', () => {
    assert.deepEqual(parseLooseLiteral(`['Cat', 'Dog', 'Bird',]`), ['Cat', 'Dog', 'Bird']);
    assert.deepEqual(parseLooseLiteral(`{ text: 'None of the above' }`), { text: 'None of the above' });
    assert.deepEqual(parseLooseLiteral('["a","b"]'), ['a', 'b']);
    assert.deepEqual(
      parseLooseLiteral(`{ lines: [ // the name you set
        { label: 'yardline', vertices: [{x: 58, y: -2.5e1}, , {x: 1342, 'y': 398}] }, ], "ok": true, n: null, u: undefined }`),
      { lines: [{ label: 'yardline', vertices: [{ x: 58, y: -25 }, { x: 1342, y: 398 }] }], ok: true, n: null, u: undefined },
    );
    assert.equal(parseLooseLiteral(`'it\\'s \\u00e9 "quoted" /* not a comment */'`), `it's é "quoted" /* not a comment */`);
  });

  test('rejects what is not a literal, naming the offset', () => {
    assert.throws(() => parseLooseLiteral('[1, 2'), /offset 5/);
    assert.throws(() => parseLooseLiteral('alert(1)'), /unexpected identifier "alert" at offset 0/);
    assert.throws(() => parseLooseLiteral('["a"] x'), /after the value/);
    assert.throws(() => parseLooseLiteral(`'open`), /unterminated string/);
  });
});

describe('parseStringList', () => {
  test('strings stay, objects give label/text/name, a non-literal is one category', () => {
    assert.deepEqual(parseStringList(`['Cat', "Dog"]`), ['Cat', 'Dog']);
    assert.deepEqual(parseStringList(`[{ label: 'A' }, { text: 'B' }, { name: 'C' }, 3, null]`), ['A', 'B', 'C', '3']);
    assert.deepEqual(parseStringList('Just one'), ['Just one']);
    assert.deepEqual(parseStringList(''), []);
    assert.deepEqual(parseStringList(null), []);
  });
});
