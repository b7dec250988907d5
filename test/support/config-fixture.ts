/** The smallest environment the config accepts, for pure tests of its parsing; no servers behind it. */
export const minimalEnv = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/brand_auth_dev',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_ACCESS_KEY_ID: 'key',
  S3_SECRET_ACCESS_KEY: 'secret',
  S3_BUCKET: 'brand-auth-dev',
  // Random-looking: the config refuses predictable secrets.
  AUTH_HS256_SECRET: 'k7Qv2mZr9XwLp4TfB8nYc1HdJs6GaE3u',
  PRODUCT_CODE_HMAC_SECRET: 'Wq5Rt8Yu2Io9Pa4Sd7Fg1Hj6Kl3Zx0Cv',
  BADGE_SIGNING_JWK: '{"kty":"OKP"}',
  // The transparency log's own note key (production requires one).
  TLOG_SIGNING_KEY: 'PRIVATE+KEY+auth.example/transparency-log+02fd16d9+AR2r6o8FCyW1WFRRwQdHStEqeMn67E1mkOddk6bYmihG',
};
