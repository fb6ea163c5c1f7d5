/** Example templates: marking things on an image (boxes; polygons, lines and points). */
import type { ExampleTemplate } from '../example-templates.js';

const SAMPLE_IMAGE = 's3://my-review-bucket/photos/street-0042.jpg';

export const BOXES_EXAMPLE: ExampleTemplate = {
  id: 'boxes',
  title: 'Image boxes (check and fix detected objects)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-bounding-box
    name="objects"
    src="{{ task.input.imageUri | grant_read_access }}"
    header="Box every vehicle and person"
    labels="['Vehicle', 'Person']"
    initial-value="{{ task.input.detections | to_json | escape }}"
  >
    <short-instructions>
      The model's boxes are already drawn. Fix the ones that are off, delete wrong ones and add what it missed.
      Press N to add a box from the keyboard.
    </short-instructions>
    <full-instructions header="Drawing good boxes">
      <p>A box touches the outermost visible pixels of the object. Partly hidden objects get a box around the visible part.</p>
    </full-instructions>
  </crowd-bounding-box>
</crowd-form>
`,
  sampleInput: {
    imageUri: SAMPLE_IMAGE,
    detections: [{ label: 'Vehicle', left: 120, top: 80, width: 300, height: 140 }],
  },
};

export const OUTLINES_EXAMPLE: ExampleTemplate = {
  id: 'outlines',
  title: 'Image outlines and points (polygons, keypoints)',
  template: `<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-polygon
    name="regions"
    src="{{ task.input.imageUri | grant_read_access }}"
    header="Outline the road and the pavement"
    labels="['Road', 'Pavement']"
  >
    <short-instructions>Click around each area; click the first point again (or press Enter) to close it.</short-instructions>
  </crowd-polygon>
  <crowd-keypoint
    name="signs"
    src="{{ task.input.imageUri | grant_read_access }}"
    header="Put a point on the centre of every traffic sign"
    labels="['Stop', 'Give way', 'Other']"
  >
    <short-instructions>One click per sign. Drag a point to correct it.</short-instructions>
  </crowd-keypoint>
</crowd-form>
`,
  sampleInput: { imageUri: SAMPLE_IMAGE },
};
