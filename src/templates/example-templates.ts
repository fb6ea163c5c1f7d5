/**
 * Starting points offered by the console's template editor, each with sample input. The ones for
 * the annotation and multi-select elements live in `examples/`, one file per element family.
 */
import { DEMO_TEMPLATE } from '../demo.js';
import { IMAGE_TAGS_EXAMPLE, TOPICS_EXAMPLE } from './examples/classification.js';
import { RATING_EXAMPLE } from './examples/controls.js';
import { ENTITIES_EXAMPLE } from './examples/entities.js';
import { BOXES_EXAMPLE, OUTLINES_EXAMPLE } from './examples/image-annotation.js';

export interface ExampleTemplate {
  id: string;
  title: string;
  template: string;
  sampleInput: Record<string, unknown>;
}

export const EXAMPLE_TEMPLATES: readonly ExampleTemplate[] = [
  { id: 'sentiment', title: 'Sentiment classification (the demo)', template: DEMO_TEMPLATE, sampleInput: { text: 'The delivery was late but the food was great.' } },
  {
    id: 'image',
    title: 'Image classification',
    template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-image-classifier
    name="label"
    src="{{ task.input.imageUrl }}"
    categories="['Cat', 'Dog', 'Neither']"
    header="What is in the picture?"
  >
    <short-instructions>Pick the animal in the picture.</short-instructions>
  </crowd-image-classifier>
</crowd-form>
`,
    sampleInput: { imageUrl: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
  },
  {
    id: 'transcription',
    title: 'Correct a transcription',
    template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <p>Model output: <strong>{{ task.input.prediction }}</strong> (confidence {{ task.input.confidence }})</p>
  <crowd-text-area name="corrected" label="Corrected text" value="{{ task.input.prediction }}" required></crowd-text-area>
  <crowd-checkbox name="unreadable">The source is unreadable</crowd-checkbox>
</crowd-form>
`,
    sampleInput: { prediction: 'Helo wrld', confidence: 0.42 },
  },
  TOPICS_EXAMPLE,
  IMAGE_TAGS_EXAMPLE,
  RATING_EXAMPLE,
  BOXES_EXAMPLE,
  OUTLINES_EXAMPLE,
  ENTITIES_EXAMPLE,
];
