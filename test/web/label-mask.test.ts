/**
 * The segmentation mask's rasterising rules (web/crowd/segmentation/label-mask.ts), without a
 * browser: which pixels a brush stroke and a polygon fill cover, undo patches, and the exact
 * colours the answer's PNG is made of.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LabelMask, maskFromPixels, maskPixels, parseHexColor, unionRect } from '../../web/crowd/segmentation/label-mask.js';
import { nextInstanceColor, maskPngUrl, readInstances, readLabelMappings } from '../../web/crowd/segmentation/mask-source.js';

function rows(mask: LabelMask): string[] {
  return Array.from({ length: mask.height }, (_, y) => Array.from({ length: mask.width }, (_, x) => String(mask.at(x, y))).join(''));
}

describe('LabelMask', () => {
  test('a polygon fill covers the pixels whose centres are inside (even-odd)', () => {
    const mask = new LabelMask(6, 5);
    const rect = mask.fillPolygon([{ x: 1, y: 1 }, { x: 5, y: 1 }, { x: 5, y: 4 }, { x: 1, y: 4 }], 2);
    assert.deepEqual(rows(mask), ['000000', '022220', '022220', '022220', '000000']);
    assert.deepEqual(rect, { x: 1, y: 1, width: 5, height: 4 });
  });

  test('a brush dab is a disc; a stroke is a capsule; outside the image nothing happens', () => {
    const mask = new LabelMask(7, 7);
    mask.paintStroke({ x: 3.5, y: 3.5 }, { x: 3.5, y: 3.5 }, 2, 1);
    assert.deepEqual(rows(mask), ['0000000', '0001000', '0011100', '0111110', '0011100', '0001000', '0000000']);
    const line = new LabelMask(7, 3);
    line.paintStroke({ x: 1.5, y: 1.5 }, { x: 5.5, y: 1.5 }, 0.5, 3);
    assert.deepEqual(rows(line), ['0000000', '0333330', '0000000']);
    assert.equal(line.paintStroke({ x: -20, y: -20 }, { x: -10, y: -20 }, 2, 1), null);
  });

  test('a patch undoes and redoes exactly its rectangle', () => {
    const mask = new LabelMask(4, 4);
    mask.fillPolygon([{ x: 0, y: 0 }, { x: 4, y: 0 }, { x: 4, y: 4 }, { x: 0, y: 4 }], 1);
    const before = new LabelMask(4, 4, mask.data.slice());
    const rect = mask.paintStroke({ x: 1, y: 1 }, { x: 1, y: 1 }, 1, 0)!;
    const patch = { rect, before: before.read(rect), after: mask.read(rect) };
    const painted = rows(mask);
    mask.apply(patch, 'before');
    assert.deepEqual(rows(mask), rows(before));
    mask.apply(patch, 'after');
    assert.deepEqual(rows(mask), painted);
    assert.deepEqual([...mask.usedValues()], [1]);
  });

  test('pixels: classes in their colours, unlabelled transparent, and read back the same', () => {
    const mask = new LabelMask(3, 1, Uint16Array.from([0, 1, 2]));
    const colors = [parseHexColor('#1f77b4'), parseHexColor('#f80')];
    const rgba = maskPixels(mask, { x: 0, y: 0, width: 3, height: 1 }, colors);
    assert.deepEqual([...rgba], [0, 0, 0, 0, 0x1f, 0x77, 0xb4, 255, 0xff, 0x88, 0x00, 255]);
    assert.ok(maskFromPixels(3, 1, rgba, colors).equals(mask));
    // A colour no class has, or a transparent pixel, is unlabelled.
    assert.deepEqual([...maskFromPixels(2, 1, Uint8ClampedArray.from([1, 2, 3, 255, 0x1f, 0x77, 0xb4, 0]), colors).data], [0, 0]);
  });

  test('unionRect', () => {
    assert.deepEqual(unionRect({ x: 1, y: 1, width: 2, height: 2 }, { x: 4, y: 0, width: 1, height: 1 }), { x: 1, y: 0, width: 4, height: 3 });
    assert.deepEqual(unionRect(null, { x: 4, y: 0, width: 1, height: 1 }), { x: 4, y: 0, width: 1, height: 1 });
  });
});

describe('mask sources', () => {
  test('initial-value and draft answers name a PNG and its colours', () => {
    assert.equal(maskPngUrl({ src: 'https://example.com/m.png' }), 'https://example.com/m.png');
    assert.equal(maskPngUrl({ labeledImage: { pngImageData: 'iVBOR' } }), 'data:image/png;base64,iVBOR');
    assert.equal(maskPngUrl({ labelMappings: {} }), undefined);
    assert.deepEqual([...readLabelMappings({ labelMappings: { Sky: { color: '#1f77b4' }, Bad: { color: 'red' } } })], [['Sky', '#1f77b4']]);
    assert.deepEqual(readInstances({ instances: [{ color: '#2ca02c', label: 'Car' }, { label: 'No colour' }] }), [{ color: '#2ca02c', label: 'Car' }]);
  });

  test('instance colours: category10 first, then further distinct colours', () => {
    assert.equal(nextInstanceColor(new Set()), '#1f77b4');
    assert.equal(nextInstanceColor(new Set(['#1f77b4'])), '#ff7f0e');
    const taken = new Set(['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']);
    const next = nextInstanceColor(taken);
    assert.match(next, /^#[0-9a-f]{6}$/);
    assert.ok(!taken.has(next));
  });
});
