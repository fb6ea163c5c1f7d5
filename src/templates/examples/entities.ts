/** Example template: labelling names, places and dates in a text (used on its own, no crowd-form). */
import type { ExampleTemplate } from '../example-templates.js';

export const ENTITIES_EXAMPLE: ExampleTemplate = {
  id: 'entities',
  title: 'Text entities (names, places, dates)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-entity-annotation
  name="entities"
  header="Mark every person, place and date"
  text="{{ task.input.text }}"
  labels="[{ label: 'person', shortDisplayName: 'PER', fullDisplayName: 'Person' }, { label: 'place', shortDisplayName: 'LOC', fullDisplayName: 'Place' }, { label: 'date', shortDisplayName: 'DATE', fullDisplayName: 'Date' }]"
>
  <short-instructions>Drag across the words of a name, place or date. Titles (Dr, Ms) belong to the name.</short-instructions>
</crowd-entity-annotation>
`,
  sampleInput: { text: 'On 3 March Dr Amina Okafor opened the new clinic in Lagos.' },
};
