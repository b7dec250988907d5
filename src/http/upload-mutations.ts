import type { ASTVisitor, GraphQLField, GraphQLNamedType, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.js';
import { limitExceeded } from './limit-errors.js';
import { selectedFields } from './selected-fields.js';

const { getNamedType, isInputObjectType } = graphql;

/** Whether `type` is Upload or an input object holding one at any depth. */
function holdsUpload(type: GraphQLNamedType, seen = new Set<string>()): boolean {
  if (type.name === 'Upload') return true;
  if (!isInputObjectType(type) || seen.has(type.name)) return false;
  seen.add(type.name);
  return Object.values(type.getFields()).some((field) => holdsUpload(getNamedType(field.type), seen));
}

const takesUpload = (field: GraphQLField<unknown, unknown>) => field.args.some((arg) => holdsUpload(getNamedType(arg.type)));

/**
 * An operation runs at most one field that takes an upload. Each such field
 * runs a file through a pipeline (sharp for photos, type sniffing and S3 for
 * documents); aliases would otherwise run one uploaded file through it as many
 * times as the document names the field.
 */
export function oneUploadFieldPerOperation(context: ValidationContext): ASTVisitor {
  return {
    OperationDefinition(operation) {
      const root = context.getSchema().getRootType(operation.operation);
      if (!root) return;
      const fields = root.getFields();
      const uploads = selectedFields(operation.selectionSet, (name) => context.getFragment(name)).filter((node) => {
        const field = fields[node.name.value];
        return field !== undefined && takesUpload(field);
      });
      if (uploads.length > 1) {
        const names = uploads.map((node) => node.alias?.value ?? node.name.value).join(', ');
        context.reportError(
          limitExceeded('uploadMutations', `An operation runs at most one upload mutation; this one runs ${uploads.length} (${names}).`, {
            max: 1,
            actual: uploads.length,
          }),
        );
      }
    },
  };
}

export function useOneUploadPerOperation(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(oneUploadFieldPerOperation);
    },
  };
}
