import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { minimalEnv } from '../support/config-fixture.js';

// Pure unit tests of config parsing: no components needed.
const valid = minimalEnv;

describe('config', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      PORT: 4000,
      AUTH_MODE: 'hs256',
      PRESIGN_TTL_SECONDS: 300,
      S3_FORCE_PATH_STYLE: true,
      TEMPORAL_NAMESPACE: 'default',
    });
  });

  it('lists every missing or invalid value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', PRESIGN_TTL_SECONDS: '3600', S3_BUCKET: 'Bad_Bucket' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        'DATABASE_URL is required',
        'TEMPORAL_ADDRESS is required',
        'S3_ENDPOINT is required',
        'S3_ACCESS_KEY_ID is required',
        'S3_SECRET_ACCESS_KEY is required',
        'S3_BUCKET must be a valid S3 bucket name',
        'PRODUCT_CODE_HMAC_SECRET is required',
        'AUTH_HS256_SECRET is required when AUTH_MODE=hs256',
        'BADGE_SIGNING_JWK or BADGE_SIGNING_KEY_FILE is required',
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^PRESIGN_TTL_SECONDS /),
      ]),
    );
    expect(problems).toHaveLength(11);
    expect((error as Error).message.split('\n')[0]).toBe('Invalid configuration:');
  });

  it('needs the identity provider settings in jwks mode and refuses hs256 in production', () => {
    expect(() => loadConfig({ ...valid, AUTH_MODE: 'jwks' })).toThrow(
      /AUTH_JWKS_URL is required when AUTH_MODE=jwks[\s\S]*AUTH_ISSUER[\s\S]*AUTH_AUDIENCE/,
    );
    expect(() => loadConfig({ ...valid, NODE_ENV: 'production' })).toThrow(/AUTH_MODE must be jwks in production/);
  });
});
