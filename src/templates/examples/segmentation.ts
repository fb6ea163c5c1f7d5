/** Example template: painting image regions per label (semantic segmentation) and per object (instances). */
import type { ExampleTemplate } from '../example-templates.js';

export const SEGMENTATION_EXAMPLE: ExampleTemplate = {
  id: 'segmentation',
  title: 'Image segmentation (paint regions per label, one colour per object)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-semantic-segmentation
    name="scene"
    src="{{ task.input.imageUri | grant_read_access }}"
    header="Paint the road, the pavement and the sky"
    labels="['Road', 'Pavement', 'Sky']"
  >
    <short-instructions>
      Choose a label, then paint with the brush (B) or click around an area with the polygon fill (P, Enter fills it).
      The eraser (E) removes paint; Ctrl+Z undoes.
    </short-instructions>
    <full-instructions header="Painting regions">
      <p>Every pixel gets at most one label. Leave pixels that belong to none of them unpainted.</p>
    </full-instructions>
  </crowd-semantic-segmentation>
  <crowd-instance-segmentation
    name="vehicles"
    src="{{ task.input.imageUri | grant_read_access }}"
    header="Paint each vehicle in its own colour"
    labels="['Car', 'Bicycle']"
  >
    <short-instructions>Press N (or New instance) before painting the next vehicle of the same kind.</short-instructions>
  </crowd-instance-segmentation>
</crowd-form>
`,
  sampleInput: { imageUri: 's3://my-review-bucket/photos/street-0042.jpg' },
};
