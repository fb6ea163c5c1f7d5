/** Example template: rating a model's answer with sliders and a comment. */
import type { ExampleTemplate } from '../example-templates.js';

export const RATING_EXAMPLE: ExampleTemplate = {
  id: 'rating',
  title: 'Rate an answer (sliders)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <p><strong>Question:</strong> {{ task.input.question }}</p>
  <p><strong>Model answer:</strong> {{ task.input.answer }}</p>
  <p>How correct is the answer?</p>
  <crowd-slider name="correctness" aria-label="Correctness" min="1" max="5" step="1" pin required>
    <crowd-slider-label position="1">Wrong</crowd-slider-label>
    <crowd-slider-label position="5">Fully correct</crowd-slider-label>
  </crowd-slider>
  <p>How sure are you?</p>
  <crowd-slider name="certainty" aria-label="Certainty" min="0" max="1" step="0.1" value="0.5" editable></crowd-slider>
  <crowd-text-area name="comment" label="What would you change? (optional)" rows="3"></crowd-text-area>
</crowd-form>
`,
  sampleInput: { question: 'How many moons does Mars have?', answer: 'Mars has two moons, Phobos and Deimos.' },
};
