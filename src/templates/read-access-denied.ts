/**
 * Thrown by a render's `grantReadAccess` callback when the template asks for an object its
 * account may not read (another account's bucket, or a bucket nobody owns). Unlike other callback
 * failures, which quietly give '', this one fails the render: RenderUiTemplate reports it in
 * `Errors` (Code `TemplateReadAccessDenied`) and the portal shows the task as broken, so a
 * template author learns why the image is missing and a worker never sees a link to it.
 */
export class ReadAccessDeniedError extends Error {
  constructor(readonly bucket: string) {
    super(`grant_read_access refused: bucket '${bucket}' does not belong to this account`);
    this.name = 'ReadAccessDeniedError';
  }
}
