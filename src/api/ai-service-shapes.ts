/**
 * Input shapes of the two AI-service operations Tandem answers for built-in task types: Textract
 * `AnalyzeDocument` and Rekognition `DetectModerationLabels` (constraints of botocore's models),
 * and of Tandem's intake API, which takes the same request members plus the service's response.
 * Blobs (`Bytes`) arrive base64-encoded, as awsJson1_1 sends them.
 */
import { document, enumeration, list, string, structure, type Infer } from './aws/shape-validation.js';

const HumanLoopConfig = structure(
  {
    HumanLoopName: string({ min: 1, max: 63, pattern: '^[a-z0-9](-*[a-z0-9])*' }),
    FlowDefinitionArn: string({ min: 0, max: 256 }),
    DataAttributes: structure({
      ContentClassifiers: list(enumeration(['FreeOfPersonallyIdentifiableInformation', 'FreeOfAdultContent']), { max: 256 }),
    }),
  },
  { required: ['HumanLoopName', 'FlowDefinitionArn'] },
);

const S3Object = structure({
  Bucket: string({ min: 3, max: 255 }),
  Name: string({ min: 1, max: 1024 }),
  Version: string({ min: 1, max: 1024 }),
});

/** Textract's `Document` and Rekognition's `Image`: uploaded bytes or an S3 object. */
const DocumentSource = structure({ Bytes: string({ min: 1 }), S3Object }, { exactlyOneOf: ['Bytes', 'S3Object'] });

const analyzeDocumentMembers = {
  Document: DocumentSource,
  FeatureTypes: list(enumeration(['TABLES', 'FORMS', 'QUERIES', 'SIGNATURES', 'LAYOUT']), { min: 1 }),
  HumanLoopConfig,
  QueriesConfig: document(),
  AdaptersConfig: document(),
};
const detectModerationLabelsMembers = {
  Image: DocumentSource,
  MinConfidence: document(),
  HumanLoopConfig,
  ProjectVersion: string({ min: 20, max: 2048 }),
};

export const analyzeDocumentShape = structure(analyzeDocumentMembers, { required: ['Document', 'FeatureTypes'] });
export const detectModerationLabelsShape = structure(detectModerationLabelsMembers, { required: ['Image'] });

/** `POST /intake/analyze-document`: the AnalyzeDocument request (HumanLoopConfig required) and its response. */
export const analyzeDocumentIntakeShape = structure(
  {
    ...analyzeDocumentMembers,
    FeatureTypes: list(enumeration(['TABLES', 'FORMS', 'QUERIES', 'SIGNATURES', 'LAYOUT']), { min: 1 }),
    Blocks: list(document()),
    DocumentMetadata: document(),
    AnalyzeDocumentModelVersion: string({ max: 256 }),
  },
  { required: ['Document', 'HumanLoopConfig', 'Blocks'] },
);

/** `POST /intake/detect-moderation-labels`: the request (HumanLoopConfig required) and its response. */
export const detectModerationLabelsIntakeShape = structure(
  {
    ...detectModerationLabelsMembers,
    ModerationLabels: list(document()),
    ModerationModelVersion: string({ max: 256 }),
  },
  { required: ['Image', 'HumanLoopConfig', 'ModerationLabels'] },
);

export type HumanLoopConfigInput = Infer<typeof HumanLoopConfig>;
export type DocumentSourceInput = Infer<typeof DocumentSource>;
export type AnalyzeDocumentInput = Infer<typeof analyzeDocumentShape>;
export type DetectModerationLabelsInput = Infer<typeof detectModerationLabelsShape>;
export type AnalyzeDocumentIntakeInput = Infer<typeof analyzeDocumentIntakeShape>;
export type DetectModerationLabelsIntakeInput = Infer<typeof detectModerationLabelsIntakeShape>;
