import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  findTemplateSyntaxErrors,
  renderWorkerTemplate,
  type RenderOptions,
  type RenderResult,
} from '../../src/templates/render-worker-template.js';

/** A stand-in for Tandem's signed object links; records what it was asked to sign. */
function recordingGrants(): RenderOptions & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    grantReadAccess(s3Uri) {
      asked.push(s3Uri);
      return `https://tandem.example/objects/${s3Uri.replace(/^s3:\/\//, '')}?X-Tandem-Expires=1700000000&X-Tandem-Signature=c2ln`;
    },
  };
}

function render(template: string, input: unknown = {}, options: RenderOptions = recordingGrants()): Promise<RenderResult> {
  return renderWorkerTemplate(template, input, options);
}

async function renderOk(template: string, input: unknown = {}, options?: RenderOptions): Promise<string> {
  const result = await render(template, input, options);
  assert.deepEqual(result.errors, []);
  return result.renderedContent;
}

describe('autoescape', () => {
  test('HTML in task input is escaped', async () => {
    const html = await renderOk('<p>{{ task.input.comment }}</p>', { comment: `<script>alert("hi & 'bye'")</script>` });
    assert.equal(html, '<p>&lt;script&gt;alert(&quot;hi &amp; &#39;bye&#39;&quot;)&lt;/script&gt;</p>');
  });

  test('the AWS guide example: autoescape, escape, escape_once, skip_autoescape', async () => {
    const html = await renderOk(
      [
        `auto-escape: {{ "Have you read 'James & the Giant Peach'?" }}`,
        `explicit escape: {{ "Have you read 'James & the Giant Peach'?" | escape }}`,
        `explicit escape_once: {{ "Have you read 'James &amp; the Giant Peach'?" | escape_once }}`,
        `skip_autoescape: {{ "Have you read 'James & the Giant Peach'?" | skip_autoescape }}`,
      ].join('\n'),
    );
    assert.equal(
      html,
      [
        'auto-escape: Have you read &#39;James &amp; the Giant Peach&#39;?',
        'explicit escape: Have you read &#39;James &amp; the Giant Peach&#39;?',
        'explicit escape_once: Have you read &#39;James &amp; the Giant Peach&#39;?',
        "skip_autoescape: Have you read 'James & the Giant Peach'?",
      ].join('\n'),
    );
  });

  test('escape_once leaves every kind of character reference alone', async () => {
    const html = await renderOk('{{ task.input.t | escape_once }}', { t: '&lt;b&gt; &quot;x&quot; &#39; &#x27; &nbsp; & <i>' });
    assert.equal(html, '&lt;b&gt; &quot;x&quot; &#39; &#x27; &nbsp; &amp; &lt;i&gt;');
  });

  test('skip_autoescape outputs task input as HTML', async () => {
    const html = await renderOk('<div>{{ task.input.instructions | skip_autoescape }}</div>', {
      instructions: '<p>Draw a <b>box</b> around each car.</p>',
    });
    assert.equal(html, '<div><p>Draw a <b>box</b> around each car.</p></div>');
  });

  test('an escaping or skip filter anywhere in the chain exempts the output', async () => {
    const html = await renderOk(
      '{{ task.input.t | escape | newline_to_br }}|{{ task.input.h | skip_autoescape | upcase }}|{% echo task.input.h | skip_autoescape | strip %}|{% echo task.input.h %}',
      { t: 'a<b\nc', h: ' <i>x</i> ' },
    );
    assert.equal(html, 'a&lt;b<br />\nc| <I>X</I> |<i>x</i>| &lt;i&gt;x&lt;/i&gt; ');
  });

  test('objects and arrays output as escaped JSON; undefined variables as nothing', async () => {
    const html = await renderOk(
      `<crowd-textract-analyze-document initial-value="{{ task.input.blocks }}" keys="{{ task.input.keys }}">{{ task.input.missing.deeper }}{{ nothing }}</crowd-textract-analyze-document>`,
      { blocks: [{ id: 'b1', text: `O'Brien & <Co>` }], keys: ['Name'] },
    );
    assert.equal(
      html,
      '<crowd-textract-analyze-document initial-value="[{&quot;id&quot;:&quot;b1&quot;,&quot;text&quot;:&quot;O&#39;Brien &amp; &lt;Co&gt;&quot;}]" keys="[&quot;Name&quot;]"></crowd-textract-analyze-document>',
    );
  });
});

describe('to_json', () => {
  test('serializes objects, arrays, strings, numbers and nil as raw JSON', async () => {
    const html = await renderOk(
      '{{ task.input.point | to_json }}|{{ task.input.labels | to_json }}|{{ task.input.label | to_json }}|{{ task.input.n | to_json }}|{{ task.input.none | to_json }}',
      { point: { point_number: 8, coords: [59, 76] }, labels: ['angry', 'sad'], label: 'happy', n: 1.5 },
    );
    assert.equal(html, '{"point_number":8,"coords":[59,76]}|["angry","sad"]|"happy"|1.5|null');
  });

  test('cannot close a <script> or a single-quoted attribute, and still parses back to the input', async () => {
    const input = { labels: ["it's", '</script><script>alert(1)</script>', 'a & b', '\u2028'] };
    const html = await renderOk(`<script>const labels = {{ task.input.labels | to_json }};</script><crowd-classifier categories='{{ task.input.labels | to_json }}'>`, input);
    const json = '["it\\u0027s","\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e","a \\u0026 b","\\u2028"]';
    assert.equal(html, `<script>const labels = ${json};</script><crowd-classifier categories='${json}'>`);
    assert.deepEqual(JSON.parse(json), input.labels);
  });

  test('to_json | escape fits a double-quoted attribute', async () => {
    const html = await renderOk('<x categories="{{ task.input.labels | to_json | escape }}">', { labels: ['a', 'b'] });
    assert.equal(html, '<x categories="[&quot;a&quot;,&quot;b&quot;]">');
  });
});

describe('grant_read_access', () => {
  test('an s3:// URI becomes the granted URL, autoescaped', async () => {
    const grants = recordingGrants();
    const html = await renderOk('<img src="{{ task.input.taskObject | grant_read_access }}">', { taskObject: 's3://my-bucket/photos/cat.jpg' }, grants);
    assert.equal(html, '<img src="https://tandem.example/objects/my-bucket/photos/cat.jpg?X-Tandem-Expires=1700000000&amp;X-Tandem-Signature=c2ln">');
    assert.deepEqual(grants.asked, ['s3://my-bucket/photos/cat.jpg']);
  });

  test('path- and virtual-hosted-style S3 URLs are granted too', async () => {
    const grants = recordingGrants();
    await renderOk(
      '{{ "http://s3.amazonaws.com/bucket/a.png" | grant_read_access }}{{ "https://bucket.s3.amazonaws.com/b.png" | grant_read_access }}{{ " s3://bucket/c.png " | grant_read_access }}',
      {},
      grants,
    );
    assert.deepEqual(grants.asked, ['http://s3.amazonaws.com/bucket/a.png', 'https://bucket.s3.amazonaws.com/b.png', 's3://bucket/c.png']);
  });

  test('other http(s) URLs pass through untouched', async () => {
    const grants = recordingGrants();
    const html = await renderOk('{{ task.input.url | grant_read_access }}', { url: 'https://example.com/cat.jpg?w=1&h=2' }, grants);
    assert.equal(html, 'https://example.com/cat.jpg?w=1&amp;h=2');
    assert.deepEqual(grants.asked, []);
  });

  test('empty, invalid, keyless and non-string values give an empty string', async () => {
    const grants = recordingGrants();
    const html = await renderOk(
      '[{{ task.input.missing | grant_read_access }}][{{ "" | grant_read_access }}][{{ 42 | grant_read_access }}][{{ "javascript:alert(1)" | grant_read_access }}][{{ "s3://bucket/" | grant_read_access }}][{{ "https://s3.amazonaws.com/bucket" | grant_read_access }}][{{ task.input | grant_read_access }}]',
      { a: 1 },
      grants,
    );
    assert.equal(html, '[][][][][][][]');
    assert.deepEqual(grants.asked, []);
  });

  test('a grant that throws gives an empty string, not a failed render', async () => {
    const html = await renderOk('[{{ "s3://bucket/%zz" | grant_read_access }}]', {}, {
      grantReadAccess(uri) {
        return decodeURIComponent(uri);
      },
    });
    assert.equal(html, '[]');
  });
});

describe('errors', () => {
  test('an unknown filter is reported by both functions, with its line', async () => {
    const template = '<p>\n  {{ task.input.name | shout }}\n</p>';
    const expected = [{ Code: 'TemplateUnknownFilter', Message: 'Unknown filter "shout" at line 2, column 3' }];
    assert.deepEqual(await render(template, { name: 'x' }), { renderedContent: '', errors: expected });
    assert.deepEqual(findTemplateSyntaxErrors(template), expected);
  });

  test('an unknown crowd element is reported with its line; the rest still renders', async () => {
    const template = '<crowd-form>\n  <crowd-clasifier name="c"></crowd-clasifier>\n  <p>{{ task.input.name }}</p>\n</crowd-form>';
    assert.deepEqual(await render(template, { name: 'x' }), {
      renderedContent: template.replace('{{ task.input.name }}', 'x'),
      errors: [
        {
          Code: 'TemplateUnknownElement',
          Message: 'Unknown element <crowd-clasifier> at line 2, column 3: Tandem does not define it, so its answer would be lost',
        },
      ],
    });
  });

  test('a syntax error is reported by both functions', async () => {
    const template = '<ul>\n{% for label in task.input.labels %}\n  <li>{{ label }}</li>\n</ul>';
    const expected = [{ Code: 'TemplateSyntaxError', Message: 'Tag {% for label in task.input.labels %} not closed at line 2, column 1' }];
    assert.deepEqual(await render(template), { renderedContent: '', errors: expected });
    assert.deepEqual(findTemplateSyntaxErrors(template), expected);
    assert.deepEqual(findTemplateSyntaxErrors('{{ task.input.x'), [{ Code: 'TemplateSyntaxError', Message: 'Output "{{ task.input.x" not closed at line 1, column 1' }]);
  });

  test('a template that parses has no syntax errors', () => {
    assert.deepEqual(findTemplateSyntaxErrors('<p>{{ task.input.x | upcase }}</p>{% if task.input.y %}y{% endif %}'), []);
  });

  test('include, render and layout are refused instead of reading files', async () => {
    for (const tag of ['include', 'render', 'layout']) {
      const template = `{% ${tag} 'package.json' %}`;
      const expected = [{ Code: 'TemplateSyntaxError', Message: `Tag "${tag}" is not supported: a worker task template cannot load other files at line 1, column 1` }];
      assert.deepEqual(await render(template), { renderedContent: '', errors: expected });
      assert.deepEqual(findTemplateSyntaxErrors(template), expected);
    }
  });

  test('errors from an expression inside a filter argument have no template position', async () => {
    assert.deepEqual(await render('{{ task.input.n | group_by_exp: "x", "(" }}', { n: [1] }), {
      renderedContent: '',
      errors: [{ Code: 'TemplateRenderError', Message: 'Unexpected token "", value expected' }],
    });
  });
});

describe('limits', () => {
  test('a render that runs too long stops with an error', async () => {
    const started = Date.now();
    const result = await render('{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}{% endfor %}{% endfor %}{% endfor %}');
    assert.ok(Date.now() - started < 5000, 'stopped near the 2 s budget');
    assert.equal(result.renderedContent, '');
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]!.Code, 'TemplateRenderLimitExceeded');
    assert.match(result.errors[0]!.Message, /^Rendering took longer than 2000 ms at line 1, column \d+$/);
  });

  test('output past 5 MiB stops with an error', async () => {
    // Few, large chunks: the size limit is reached in ~530 iterations, far from the 2 s time
    // limit even on a loaded machine (100-byte chunks needed 52,000 and sometimes timed out).
    const result = await render('{% for i in (1..1000) %}{{ task.input.chunk }}{% endfor %}', { chunk: 'x'.repeat(10_000) });
    assert.deepEqual(result, {
      renderedContent: '',
      errors: [{ Code: 'TemplateRenderLimitExceeded', Message: 'The rendered page is larger than 5242880 bytes at line 1, column 25' }],
    });
  });

  test('strings doubled by capture or append hit the memory limit', async () => {
    for (const template of [
      '{% capture x %}ab{% endcapture %}{% for i in (1..60) %}{% capture x %}{{ x | skip_autoescape }}{{ x | skip_autoescape }}{% endcapture %}{% endfor %}{{ x | size }}',
      '{% assign x = "ab" %}{% for i in (1..60) %}{% assign x = x | append: x %}{% endfor %}{{ x | size }}',
    ]) {
      const result = await render(template);
      assert.equal(result.renderedContent, '');
      assert.equal(result.errors[0]?.Code, 'TemplateRenderLimitExceeded');
      assert.match(result.errors[0]!.Message, /^Rendering allocated more memory than allowed/);
    }
  });

  test('a huge range is refused before it is built', async () => {
    const result = await render('{{ (1..1000000000) | size }}');
    assert.deepEqual(result.errors, [{ Code: 'TemplateRenderLimitExceeded', Message: 'Rendering allocated more memory than allowed at line 1, column 1' }]);
  });

  test('a template over 1 MiB is refused by both functions', async () => {
    const template = 'x'.repeat(1024 * 1024 + 1);
    const expected = [{ Code: 'TemplateTooLarge', Message: 'The template is 1048577 characters long; the limit is 1048576.' }];
    assert.deepEqual(await render(template), { renderedContent: '', errors: expected });
    assert.deepEqual(findTemplateSyntaxErrors(template), expected);
  });
});

describe('a realistic A2I template', () => {
  const template = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier
    name="category"
    categories='{{ task.input.categories | to_json }}'
    header="{{ task.input.header }}"
  >
    <classification-target>
      <img src="{{ task.input.taskObject | grant_read_access }}" style="max-width: 100%">
      <p>{{ task.input.caption }}</p>
    </classification-target>
    <full-instructions header="Classification instructions">
      <ol>{% for category in task.input.categories %}<li>{{ forloop.index }}. {{ category }}</li>{% endfor %}</ol>
    </full-instructions>
    <short-instructions>Choose the best category.</short-instructions>
  </crowd-classifier>
</crowd-form>`;

  const input = {
    taskObject: 's3://my-bucket/photos/cat 1.jpg',
    categories: ['Cat', "Dog's toy", 'Other'],
    header: 'What is in "the" picture?',
    caption: 'Tom & Jerry <3',
  };

  const expected = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier
    name="category"
    categories='["Cat","Dog\\u0027s toy","Other"]'
    header="What is in &quot;the&quot; picture?"
  >
    <classification-target>
      <img src="https://tandem.example/objects/my-bucket/photos/cat 1.jpg?X-Tandem-Expires=1700000000&amp;X-Tandem-Signature=c2ln" style="max-width: 100%">
      <p>Tom &amp; Jerry &lt;3</p>
    </classification-target>
    <full-instructions header="Classification instructions">
      <ol><li>1. Cat</li><li>2. Dog&#39;s toy</li><li>3. Other</li></ol>
    </full-instructions>
    <short-instructions>Choose the best category.</short-instructions>
  </crowd-classifier>
</crowd-form>`;

  test('renders as expected', async () => {
    const grants = recordingGrants();
    assert.deepEqual(await render(template, input, grants), { renderedContent: expected, errors: [] });
    assert.deepEqual(grants.asked, ['s3://my-bucket/photos/cat 1.jpg']);
    assert.deepEqual(findTemplateSyntaxErrors(template), []);
  });

  test('renders again from the parse cache with other input', async () => {
    await renderOk(template, input);
    const html = await renderOk(template, { ...input, caption: 'Second task' });
    assert.equal(html, expected.replace('Tom &amp; Jerry &lt;3', 'Second task'));
  });
});

describe('the shipped built-in task UIs', () => {
  test('render their sample input without errors, with the document granted and labels as a literal the element reads', async () => {
    const { EXAMPLE_TEMPLATES } = await import('../../src/templates/example-templates.js');
    const granted: string[] = [];
    const grantReadAccess = (uri: string) => {
      granted.push(uri);
      return `https://tandem.example/objects/${encodeURIComponent(uri)}`;
    };
    for (const id of ['textract-forms', 'rekognition-moderation']) {
      const example = EXAMPLE_TEMPLATES.find((e) => e.id === id)!;
      const { renderedContent, errors } = await renderWorkerTemplate(example.template, example.sampleInput, { grantReadAccess });
      assert.deepEqual(errors, [], id);
      assert.match(renderedContent, id === 'textract-forms' ? /<crowd-textract-analyze-document/ : /<crowd-rekognition-detect-moderation-labels/);
    }
    assert.deepEqual(granted, ['s3://example-forms/w2.png', 's3://example-photos/beach.png']);
    const moderation = EXAMPLE_TEMPLATES.find((e) => e.id === 'rekognition-moderation')!;
    const { renderedContent } = await renderWorkerTemplate(
      moderation.template,
      { ...moderation.sampleInput, selectedAiServiceResponse: { moderationLabels: [{ name: "Men's Swimwear", parentName: 'Suggestive' }] } },
      { grantReadAccess },
    );
    // A quote in a label cannot end the single-quoted attribute.
    assert.match(renderedContent, /categories='\[\s*\{ name: "Men\\u0027s Swimwear", parentName: "Suggestive" \},\s*\]'/);
  });
});
