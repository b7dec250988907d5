import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Role } from '../auth/tokens.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { UploadedFile } from '../services/uploaded-files.js';
import type { GraphQLContext } from './context.js';
import { assertNodeReadable, missingNode, refusal } from './node-access.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    Upload: { Input: UploadedFile; Output: never };
    ID: { Input: string; Output: string };
  };
  AuthScopes: {
    authenticated: boolean;
    role: Role;
  };
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: async (ctx) => ({
      authenticated: ctx.access.actor !== null,
      role: (role: Role) => ctx.access.hasRole(role),
    }),
    unauthorizedError: (_parent, ctx) => refusal(ctx.access),
    // A private object is refused once, where it is reached (node, a nested
    // field, an alias), rather than field by field: even __typename stays hidden.
    runScopesOnType: true,
  },
  prisma: {
    client: (ctx) => ctx.deps.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesQueryOptions: false,
    nodeQueryOptions: {
      nullable: true,
      resolve: async (_root, { id }, ctx, _info, resolveNode) => {
        const node = await Promise.resolve(resolveNode(id)).catch((error: { code?: string }) => {
          // An id of the right shape whose row does not exist: answered as missingNode says.
          if (error.code === 'P2025') return null;
          throw error;
        });
        if (!node) return missingNode(id.typename, ctx.access);
        await assertNodeReadable(id.typename, node, ctx.access);
        return node;
      },
    },
  },
});
