/** SMART App Launch discovery (`/.well-known/smart-configuration`): what this server accepts. */
import type { Request, Response } from 'express';
import type { SecurityConfig } from './security-config.js';

export function smartConfiguration(config: SecurityConfig, env: NodeJS.ProcessEnv = process.env) {
  return (_req: Request, res: Response): void => {
    res.json({
      ...(config.issuer ? { issuer: config.issuer } : {}),
      ...(config.jwksUrl ? { jwks_uri: config.jwksUrl } : {}),
      ...(env.CDR_AUTH_AUTHORIZATION_ENDPOINT ? { authorization_endpoint: env.CDR_AUTH_AUTHORIZATION_ENDPOINT } : {}),
      ...(env.CDR_AUTH_TOKEN_ENDPOINT ? { token_endpoint: env.CDR_AUTH_TOKEN_ENDPOINT } : {}),
      grant_types_supported: ['authorization_code', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
      scopes_supported: [
        'openid',
        'fhirUser',
        'launch/patient',
        'patient/*.read',
        'patient/*.rs',
        'user/*.read',
        'user/*.rs',
        'user/*.cruds',
        'system/*.read',
        'system/*.rs',
        'system/*.cruds',
        'openehr:clinical.read',
        'openehr:clinical.write',
        'openehr:template.admin',
        'openehr:population.query',
        'openehr:admin',
      ],
      response_types_supported: ['code'],
      capabilities: ['launch-standalone', 'client-public', 'client-confidential-asymmetric', 'context-standalone-patient', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2'],
      code_challenge_methods_supported: ['S256'],
    });
  };
}
