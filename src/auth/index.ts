export { Access, type CurrentActor } from './access.js';
export { resolveActor } from './actors.js';
export { ROLES, createTokenVerifier, signDevToken, type Role, type TokenVerifier } from './tokens.js';
