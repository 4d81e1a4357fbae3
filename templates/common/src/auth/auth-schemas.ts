import { PASSWORD_MAX_LENGTH } from './passwords.js';

// Passwords longer than the maximum are refused by validation, before any hashing.
// minLength is not set here: a too-short new password gets WEAK_PASSWORD, and a
// login with a short password is an ordinary failed login.
const password = { type: 'string', minLength: 1, maxLength: PASSWORD_MAX_LENGTH } as const;
const email = { type: 'string', minLength: 3, maxLength: 254 } as const;
const refreshToken = { type: 'string', minLength: 1, maxLength: 200 } as const;

/** JSON Schemas of the /api/v1/auth bodies and answers. */
export const authSchemas = {
  credentials: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: { email, password },
  },
  refresh: {
    type: 'object',
    additionalProperties: false,
    required: ['refreshToken'],
    properties: { refreshToken },
  },
  changePassword: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: { currentPassword: password, newPassword: password },
  },
  user: {
    type: 'object',
    properties: {
      success: { type: 'boolean' },
      data: {
        type: 'object',
        properties: { id: { type: 'integer' }, email: { type: 'string' }, role: { type: 'string' } },
      },
    },
  },
  tokens: {
    type: 'object',
    properties: {
      success: { type: 'boolean' },
      data: {
        type: 'object',
        properties: {
          accessToken: { type: 'string' },
          refreshToken: { type: 'string' },
          tokenType: { type: 'string' },
          expiresIn: { type: 'integer' },
        },
      },
    },
  },
} as const;
