/**
 * The console's script: the template editor's highlighting and live preview
 * (template-editor.ts) and the queue page's live refresh (queues.ts). Pages work without it
 * except for those two live features.
 */
import { startTemplateEditor } from './template-editor.js';
import { startQueueRefresh } from './queues.js';

startTemplateEditor();
startQueueRefresh();
