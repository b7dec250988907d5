import { graphql } from '../graphql/graphql.ts';

// Selections every reviewer page asks for, unmasked: the pages read them as part of their own results.

export const ReviewerUserErrorFields = graphql(`
  fragment ReviewerUserErrorFields on UserError @_unmask {
    code
    field
    message
  }
`);

export const ReviewerAssigneeFields = graphql(`
  fragment ReviewerAssigneeFields on Actor @_unmask {
    id
    displayName
  }
`);

export const ReviewerPageInfoFields = graphql(`
  fragment ReviewerPageInfoFields on PageInfo @_unmask {
    hasNextPage
    hasPreviousPage
    startCursor
    endCursor
  }
`);

export const ReviewerDocumentFields = graphql(`
  fragment ReviewerDocumentFields on Document @_unmask {
    id
    filename
    contentType
    byteSize
    url
  }
`);
