import { graphql } from '../graphql/graphql.ts';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      displayName
      roles
    }
  }
`);
