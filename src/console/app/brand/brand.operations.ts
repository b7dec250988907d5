import { graphql } from '../graphql/graphql.ts';

export const BrandListQuery = graphql(`
  query BrandList {
    me {
      id
      brands {
        id
        slug
        name
        status
        myRole
      }
    }
  }
`);

export const BrandRegisterMutation = graphql(`
  mutation BrandRegister($input: RegisterBrandInput!) {
    registerBrand(input: $input) {
      brand {
        id
        slug
        name
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

/** The frame of every brand page: who the brand is and what the caller may do in it. */
export const BrandFrameQuery = graphql(`
  query BrandFrame($slug: String!) {
    brand(slug: $slug) {
      id
      slug
      name
      status
      myRole
    }
  }
`);

export const BrandTrademarksQuery = graphql(`
  query BrandTrademarks($slug: String!) {
    brand(slug: $slug) {
      id
      status
      trademarks {
        id
        registrationNumber
        office
        niceClasses
        holderName
        validFrom
        validUntil
        status
        reviewNote
        document {
          id
          filename
          byteSize
          sha256
          url
        }
      }
    }
  }
`);

export const BrandSubmitTrademarkMutation = graphql(`
  mutation BrandSubmitTrademark($input: SubmitTrademarkInput!) {
    submitTrademark(input: $input) {
      trademark {
        id
        status
        document {
          filename
          sha256
        }
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);
