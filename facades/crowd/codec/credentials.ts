/**
 * Request bodies of the authentication and session resources
 * (https://developer.atlassian.com/server/crowd/crowd-rest-resources/), read
 * leniently in both formats:
 * - password: `<password><value>PW</value></password>` / `{"value":"PW"}`;
 * - authentication context: `<authentication-context><username/><password/><validation-factors>
 *   <validation-factor><name/><value/></validation-factor>…</validation-factors>
 *   </authentication-context>` / `{"username"|"userName", "password", "validation-factors":
 *   {"validationFactors":[{name,value}]}}` (also `"validation-factor"`, as Crowd 6 Swagger shows);
 * - validation factors alone (POST /session/{t}): `<validation-factors>…` / `{"validationFactors":[…]}`.
 * Anything of the wrong shape is 400 ILLEGAL_ARGUMENT.
 */
import { DirectoryError } from '../../../src/domain/errors';
import type { RequestBody } from '../body';
import type { XmlElement } from './xml-reader';

export interface ValidationFactor {
  name: string;
  value: string;
}

export interface AuthenticationContext {
  username: string;
  password: string | undefined;
  factors: ValidationFactor[];
}

const child = (e: XmlElement, name: string) => e.children.find((c) => c.name === name);

function bad(message: string): DirectoryError {
  return new DirectoryError('INVALID_ARGUMENT', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The password of POST /authentication; '' when the body holds none. */
export function passwordFromBody(body: RequestBody): string {
  switch (body.kind) {
    case 'empty':
      return '';
    case 'xml': {
      if (body.root.name !== 'password') throw bad(`Expected a <password> entity, not <${body.root.name}>`);
      return child(body.root, 'value')?.text ?? '';
    }
    case 'json': {
      if (!isObject(body.value)) throw bad('Expected a password entity {"value": …}');
      const value = body.value.value;
      if (value === undefined || value === null) return '';
      if (typeof value !== 'string') throw bad('The password value must be a string');
      return value;
    }
  }
}

function xmlFactors(element: XmlElement | undefined): ValidationFactor[] {
  if (!element) return [];
  return element.children
    .filter((c) => c.name === 'validation-factor')
    .map((f) => ({ name: child(f, 'name')?.text ?? '', value: child(f, 'value')?.text ?? '' }));
}

function jsonFactors(value: unknown): ValidationFactor[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value)
    ? value
    : isObject(value)
      ? (value.validationFactors ?? value['validation-factors'] ?? value['validation-factor'] ?? [])
      : undefined;
  if (!Array.isArray(list)) throw bad('validation factors must be a list of {name, value}');
  return list.map((f) => {
    if (
      !isObject(f) ||
      typeof f.name !== 'string' ||
      (f.value !== undefined && f.value !== null && typeof f.value !== 'string')
    ) {
      throw bad('each validation factor needs a string name and value');
    }
    return { name: f.name, value: typeof f.value === 'string' ? f.value : '' };
  });
}

export function authenticationContextFromBody(body: RequestBody): AuthenticationContext {
  switch (body.kind) {
    case 'empty':
      throw bad('The authentication context is missing');
    case 'xml': {
      if (body.root.name !== 'authentication-context')
        throw bad(`Expected <authentication-context>, not <${body.root.name}>`);
      const username = child(body.root, 'username')?.text ?? '';
      if (username === '') throw bad('username must be given');
      const password = child(body.root, 'password');
      return { username, password: password?.text, factors: xmlFactors(child(body.root, 'validation-factors')) };
    }
    case 'json': {
      if (!isObject(body.value)) throw bad('Expected an authentication context object');
      const v = body.value;
      const username = v.username ?? v.userName ?? v.name;
      if (typeof username !== 'string' || username === '') throw bad('username must be given');
      if (v.password !== undefined && v.password !== null && typeof v.password !== 'string')
        throw bad('password must be a string');
      return {
        username,
        password: typeof v.password === 'string' ? v.password : undefined,
        factors: jsonFactors(v['validation-factors'] ?? v['validation-factor'] ?? v.validationFactors),
      };
    }
  }
}

export function factorsFromBody(body: RequestBody): ValidationFactor[] {
  switch (body.kind) {
    case 'empty':
      return [];
    case 'xml':
      if (body.root.name !== 'validation-factors') throw bad(`Expected <validation-factors>, not <${body.root.name}>`);
      return xmlFactors(body.root);
    case 'json':
      return jsonFactors(body.value);
  }
}
