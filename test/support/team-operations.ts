import type { Stack } from './stack.js';

const ERRORS = /* GraphQL */ `userErrors { code field message }`;
const INVITATION = /* GraphQL */ `id role status inviteeSubject createdAt expiresAt respondedAt brand { id slug } invitedBy { id }`;

export const INVITE = /* GraphQL */ `
  mutation ($input: InviteBrandMemberInput!) {
    inviteBrandMember(input: $input) { invitation { ${INVITATION} } ${ERRORS} }
  }
`;

export const ACCEPT = /* GraphQL */ `
  mutation ($input: AcceptBrandInvitationInput!) {
    acceptBrandInvitation(input: $input) { invitation { ${INVITATION} } ${ERRORS} }
  }
`;

export const DECLINE = /* GraphQL */ `
  mutation ($input: DeclineBrandInvitationInput!) {
    declineBrandInvitation(input: $input) { invitation { ${INVITATION} } ${ERRORS} }
  }
`;

export const CANCEL = /* GraphQL */ `
  mutation ($input: CancelBrandInvitationInput!) {
    cancelBrandInvitation(input: $input) { invitation { ${INVITATION} } ${ERRORS} }
  }
`;

export const CHANGE_ROLE = /* GraphQL */ `
  mutation ($input: ChangeBrandMemberRoleInput!) {
    changeBrandMemberRole(input: $input) { member { actor { id } role since } ${ERRORS} }
  }
`;

export const REMOVE_MEMBER = /* GraphQL */ `
  mutation ($input: RemoveBrandMemberInput!) {
    removeBrandMember(input: $input) { brand { id } ${ERRORS} }
  }
`;

export const LEAVE = /* GraphQL */ `
  mutation ($input: LeaveBrandInput!) {
    leaveBrand(input: $input) { brand { id myRole } ${ERRORS} }
  }
`;

export const MY_INVITATIONS = /* GraphQL */ `
  query { myBrandInvitations { ${INVITATION} } }
`;

export const TEAM = /* GraphQL */ `
  query ($slug: String!) {
    brand(slug: $slug) {
      id
      myRole
      team {
        members {
          actor {
            id
            displayName
          }
          role
          since
        }
        invitations {
          id
          role
          status
          inviteeSubject
        }
        auditTrail {
          at
          action
          actor {
            id
          }
          member {
            id
          }
          role
          previousRole
        }
      }
    }
  }
`;

export const ME = /* GraphQL */ `
  query {
    me {
      id
    }
  }
`;

/** The actor's opaque id, as `me` shows it (the actor is created on first sight). */
export async function actorIdOf(stack: Stack, token: string): Promise<string> {
  const res = await stack.gql(ME, {}, { token });
  return res.body.data.me.id as string;
}
