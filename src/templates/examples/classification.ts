/** Example templates: choosing several categories for a text or an image. */
import type { ExampleTemplate } from '../example-templates.js';

export const TOPICS_EXAMPLE: ExampleTemplate = {
  id: 'topics',
  title: 'Text topics (several categories)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier-multi-select
    name="topics"
    categories="['Billing', 'Delivery', 'Product quality', 'Support']"
    header="Which subjects does this message raise?"
    exclusion-category="{ text: 'None of them' }"
  >
    <classification-target>
      <blockquote>{{ task.input.message }}</blockquote>
    </classification-target>
    <short-instructions>Tick every subject the customer writes about. Choose "None of them" only if nothing fits.</short-instructions>
    <full-instructions header="How to tag a message">
      <p>A message can raise several subjects. Tag what the customer complains or asks about, not what they mention in passing.</p>
    </full-instructions>
  </crowd-classifier-multi-select>
</crowd-form>
`,
  sampleInput: { message: 'The parcel came a week late and the charger inside does not work.' },
};

export const IMAGE_TAGS_EXAMPLE: ExampleTemplate = {
  id: 'image-tags',
  title: 'Image tags (several categories)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-image-classifier-multi-select
    name="tags"
    src="{{ task.input.imageUrl }}"
    categories="['Indoors', 'Outdoors', 'People', 'Vehicles', 'Text']"
    header="What can you see in the photo?"
    exclusion-category="{ text: 'Nothing recognisable' }"
  >
    <short-instructions>Tick everything that is clearly visible.</short-instructions>
    <worker-comment header="Something the tags miss?" link-text="Add a note" placeholder="Optional"></worker-comment>
  </crowd-image-classifier-multi-select>
</crowd-form>
`,
  sampleInput: { imageUrl: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' },
};
