/**
 * Starting points offered by the console's template editor, each with sample input. The ones for
 * the annotation and multi-select elements live in `examples/`, one file per element family.
 */
import { DEMO_TEMPLATE } from '../demo.js';
import { IMAGE_TAGS_EXAMPLE, TOPICS_EXAMPLE } from './examples/classification.js';
import { RATING_EXAMPLE, REVIEW_FORM_EXAMPLE } from './examples/controls.js';
import { ENTITIES_EXAMPLE } from './examples/entities.js';
import { BOXES_EXAMPLE, OUTLINES_EXAMPLE } from './examples/image-annotation.js';
import { SEGMENTATION_EXAMPLE } from './examples/segmentation.js';

/**
 * The human task UI for Textract AnalyzeDocument (FORMS) reviews: the document Tandem kept (or
 * the S3 object the request named) and the key-value pairs the activation conditions selected.
 * Its answer is A2I's `{"AWS/Textract/AnalyzeDocument/Forms/V1": {"blocks": [...]}}`.
 */
export const TEXTRACT_FORMS_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
{% capture document_uri %}s3://{{ task.input.aiServiceRequest.document.s3Object.bucket }}/{{ task.input.aiServiceRequest.document.s3Object.name }}{% endcapture %}
<crowd-form>
  <crowd-textract-analyze-document
    src="{{ document_uri | grant_read_access }}"
    initial-value="{{ task.input.selectedAiServiceResponse.blocks }}"
    header="Review the key-value pairs in this document"
    no-key-edit
    no-geometry-edit
    keys="{{ task.input.humanLoopContext.importantFormKeys }}"
    block-types="['KEY_VALUE_SET']"
  >
    <short-instructions header="Instructions">
      <p>Correct each value so it matches the document. Mark pairs that do not matter as not relevant, and add any pair the machine missed.</p>
    </short-instructions>
    <full-instructions header="Reviewing key-value pairs">
      <p>A key is a label printed on the form (such as <em>Pay Date</em>); its value is what was filled in next to it.</p>
    </full-instructions>
  </crowd-textract-analyze-document>
</crowd-form>
`;

/**
 * The human task UI for Rekognition DetectModerationLabels reviews: the image and the labels the
 * activation conditions selected. Its answer is A2I's
 * `{"AWS/Rekognition/DetectModerationLabels/Image/V3": {"moderationLabels": [...]}}`.
 */
export const REKOGNITION_MODERATION_TEMPLATE = `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
{% capture image_uri %}s3://{{ task.input.aiServiceRequest.image.s3Object.bucket }}/{{ task.input.aiServiceRequest.image.s3Object.name }}{% endcapture %}
<crowd-form>
  <crowd-rekognition-detect-moderation-labels
    src="{{ image_uri | grant_read_access }}"
    categories='[
      {% for label in task.input.selectedAiServiceResponse.moderationLabels %}
        { name: {{ label.name | to_json }}, parentName: {{ label.parentName | to_json }} },
      {% endfor %}
    ]'
    exclusion-category="{ text: 'None of the above' }"
    header="Select the labels that apply to this image"
  >
    <short-instructions header="Instructions">
      <p>Tick every label that describes something in the image. Choose <em>None of the above</em> when none does.</p>
    </short-instructions>
    <full-instructions header="Moderation labels">
      <p>Each label is shown with the broader category it belongs to.</p>
    </full-instructions>
  </crowd-rekognition-detect-moderation-labels>
</crowd-form>
`;

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
  REVIEW_FORM_EXAMPLE,
  {
    id: 'textract-forms',
    title: 'Textract: review key-value pairs (built-in task type)',
    template: TEXTRACT_FORMS_TEMPLATE,
    sampleInput: {
      aiServiceRequest: { document: { s3Object: { bucket: 'example-forms', name: 'w2.png' } }, featureTypes: ['FORMS'] },
      selectedAiServiceResponse: {
        blocks: [
          { blockType: 'KEY_VALUE_SET', id: 'k1', entityTypes: ['KEY'], relationships: [{ type: 'CHILD', ids: ['w1', 'w2'] }, { type: 'VALUE', ids: ['v1'] }], geometry: { boundingBox: { left: 0.08, top: 0.18, width: 0.3, height: 0.02 } }, page: 1 },
          { blockType: 'KEY_VALUE_SET', id: 'v1', entityTypes: ['VALUE'], relationships: [{ type: 'CHILD', ids: ['w3'] }], geometry: { boundingBox: { left: 0.42, top: 0.18, width: 0.4, height: 0.02 } }, page: 1 },
          { blockType: 'WORD', id: 'w1', text: 'Pay', page: 1 },
          { blockType: 'WORD', id: 'w2', text: 'Date:', page: 1 },
          { blockType: 'WORD', id: 'w3', text: '11/30/2026', page: 1 },
        ],
      },
      humanLoopContext: { importantFormKeys: [{ importantFormKey: 'Pay Date:', importantFormKeyAliases: ['PayDate'] }, { importantFormKey: 'Employee Name:', importantFormKeyAliases: [] }] },
    },
  },
  {
    id: 'rekognition-moderation',
    title: 'Rekognition: confirm moderation labels (built-in task type)',
    template: REKOGNITION_MODERATION_TEMPLATE,
    sampleInput: {
      aiServiceRequest: { image: { s3Object: { bucket: 'example-photos', name: 'beach.png' } } },
      selectedAiServiceResponse: {
        moderationLabels: [
          { confidence: 81.25, name: 'Revealing Clothes', parentName: 'Suggestive', taxonomyLevel: 2 },
          { confidence: 62.5, name: 'Alcohol', parentName: '', taxonomyLevel: 1 },
        ],
      },
    },
  },
  BOXES_EXAMPLE,
  OUTLINES_EXAMPLE,
  SEGMENTATION_EXAMPLE,
  ENTITIES_EXAMPLE,
];
