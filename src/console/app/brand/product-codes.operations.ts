import { graphql } from '../graphql/graphql.ts';

export const BrandRegisterCodesMutation = graphql(`
  mutation BrandRegisterCodes($input: RegisterProductCodesInput!) {
    registerProductCodes(input: $input) {
      registered
      duplicates
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandAssignBatchMutation = graphql(`
  mutation BrandAssignBatch($input: AssignProductBatchInput!) {
    assignProductBatch(input: $input) {
      productBatch {
        batch
        distributorName
        distributorReference
        assignedAt
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandSetCloneAlertChecksMutation = graphql(`
  mutation BrandSetCloneAlertChecks($input: SetCloneAlertChecksInput!) {
    setCloneAlertChecks(input: $input) {
      cloneAlertChecks
      userErrors {
        code
        field
        message
      }
    }
  }
`);

export const BrandScanInsightQuery = graphql(`
  query BrandScanInsight($slug: String!) {
    brand(slug: $slug) {
      id
      scanInsight {
        cloneAlertChecks
        totals {
          codesRegistered
          codesChecked
          codesCheckedRepeatedly
          totalChecks
          firstCheckedAt
          lastCheckedAt
        }
        skus(first: 20) {
          sku
          codesRegistered
          codesChecked
          codesCheckedRepeatedly
          totalChecks
          lastCheckedAt
        }
        batches(first: 20) {
          batch
          codesRegistered
          codesChecked
          codesCheckedRepeatedly
          totalChecks
          lastCheckedAt
          distributor {
            distributorName
            distributorReference
          }
        }
        mostRepeatedCodes(first: 10) {
          id
          sku
          batch
          status
          verificationCount
          firstVerifiedAt
          lastVerifiedAt
        }
      }
      cloneAlerts(first: 20) {
        edges {
          node {
            id
            productCodeId
            sku
            batch
            distributor {
              distributorName
            }
            verificationCountAtAlert
            verificationCount
            raisedAt
          }
        }
      }
    }
  }
`);
