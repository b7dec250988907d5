import { builder } from './builder.js';

export const DocumentRef = builder.prismaNode('Document', {
  id: { field: 'id' },
  fields: (t) => ({
    filename: t.exposeString('filename'),
    contentType: t.exposeString('contentType'),
    byteSize: t.exposeInt('byteSize'),
    sha256: t.exposeString('sha256'),
    url: t.string({
      nullable: true,
      description: 'Short-lived download URL; null for callers who may not read the file.',
      resolve: async (document, _args, ctx) => {
        if (!(await ctx.access.canReadDocument(document))) return null;
        return ctx.deps.storage.presignGet(document.storageKey, {
          // Uploaded by brands and stores, read by reviewers: saved as a file of the checked type, never rendered by the browser.
          filename: document.filename,
          contentType: document.contentType,
          expiresInSeconds: ctx.deps.config.PRESIGN_TTL_SECONDS,
        });
      },
    }),
  }),
});
