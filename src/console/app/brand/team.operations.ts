import { graphql } from '../graphql/graphql.ts';

export const BrandTeamQuery = graphql(`
  query BrandTeam($slug: String!) {
    brand(slug: $slug) {
      id
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
          inviteeSubject
          role
          status
          createdAt
          expiresAt
          invitedBy {
            displayName
          }
        }
        auditTrail(first: 20) {
          at
          action
          role
          previousRole
          actor {
            displayName
          }
          member {
            displayName
          }
        }
      }
    }
  }
`);

export const BrandInviteMemberMutation = graphql(`
  mutation BrandInviteMember($input: InviteBrandMemberInput!) {
    inviteBrandMember(input: $input) {
      invitation {
        id
        inviteeSubject
        role
        expiresAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandCancelInvitationMutation = graphql(`
  mutation BrandCancelInvitation($input: CancelBrandInvitationInput!) {
    cancelBrandInvitation(input: $input) {
      invitation {
        id
        status
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandChangeMemberRoleMutation = graphql(`
  mutation BrandChangeMemberRole($input: ChangeBrandMemberRoleInput!) {
    changeBrandMemberRole(input: $input) {
      member {
        role
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandRemoveMemberMutation = graphql(`
  mutation BrandRemoveMember($input: RemoveBrandMemberInput!) {
    removeBrandMember(input: $input) {
      brand {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
