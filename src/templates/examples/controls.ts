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

export const REVIEW_FORM_EXAMPLE: ExampleTemplate = {
  id: 'review-form',
  title: 'Review form (tabs, switches, a rules pop-up)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-toast text="Read the listing, then check each tab." duration="4000"></crowd-toast>
  <p><span id="listing-title">{{ task.input.title }}</span> <crowd-badge for="listing-title" label="{{ task.input.reports }}"></crowd-badge></p>
  <crowd-modal link-text="What breaks the rules?">
    <p>Counterfeit goods, weapons, and listings whose photos do not show the item for sale.</p>
  </crowd-modal>
  <crowd-tabs>
    <crowd-tab header="Listing">
      <p>{{ task.input.description }}</p>
      <crowd-toggle-button name="breaksRules" value="yes">The listing breaks the rules</crowd-toggle-button>
    </crowd-tab>
    <crowd-tab header="Seller">
      <p>Seller since {{ task.input.sellerSince }}.</p>
      <crowd-toggle-button name="sellerChecks" value="suspicious">The seller looks suspicious</crowd-toggle-button>
      <crowd-text-area name="notes" label="Notes for the next reviewer (optional)" rows="2"></crowd-text-area>
    </crowd-tab>
  </crowd-tabs>
</crowd-form>
`,
  sampleInput: { title: 'Vintage camera, boxed', reports: 2, description: 'Working 1970s film camera with its original box.', sellerSince: 'March 2021' },
};
