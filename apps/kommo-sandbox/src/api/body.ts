import { KommoProblem, ValidationError, ValidationErrorGroup } from '../http/problem';

export type Item = Record<string, unknown>;

/**
 * Collection POST/PATCH bodies must be non-empty JSON arrays of objects (≤ `max` items).
 * An object body → 400 validation-errors (InvalidType); nothing → 400 "Request data can not be empty".
 */
export function arrayBody(body: unknown, max = 250): Item[] {
  if (body === undefined || body === null || body === '' || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
    throw KommoProblem.empty();
  }
  if (!Array.isArray(body)) {
    throw KommoProblem.validation([{ request_id: '0', errors: [{ code: 'InvalidType', path: '', detail: 'This value should be of type array.' }] }]);
  }
  if (body.length === 0) throw KommoProblem.empty();
  if (body.length > max) throw KommoProblem.of(422, `Limit ${max} per page`);
  const groups: ValidationErrorGroup[] = [];
  body.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      groups.push({ request_id: String(index), errors: [{ code: 'InvalidType', path: String(index), detail: 'This value should be of type object.' }] });
    }
  });
  if (groups.length > 0) throw KommoProblem.validation(groups);
  return body as Item[];
}

/** A single-entity PATCH body must be an object. */
export function objectBody(body: unknown): Item {
  if (body === undefined || body === null || body === '') throw KommoProblem.empty();
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw KommoProblem.validation([{ request_id: '0', errors: [{ code: 'InvalidType', path: '', detail: 'This value should be of type object.' }] }]);
  }
  if (Object.keys(body).length === 0) throw KommoProblem.empty();
  return body as Item;
}

export function requestIdOf(item: Item, index: number): string {
  return typeof item.request_id === 'string' || typeof item.request_id === 'number' ? String(item.request_id) : String(index);
}

/** Collects validation errors per item; throws one 400 for the whole batch. */
export class Validator {
  private readonly groups: ValidationErrorGroup[] = [];
  private current: ValidationError[] = [];

  item(requestId: string, check: (errors: ValidationError[]) => void): void {
    this.current = [];
    check(this.current);
    if (this.current.length > 0) this.groups.push({ request_id: requestId, errors: this.current });
  }

  get failed(): boolean {
    return this.groups.length > 0;
  }

  throwIfFailed(): void {
    if (this.groups.length > 0) throw KommoProblem.validation(this.groups);
  }
}

export const err = {
  required: (path: string): ValidationError => ({ code: 'NotBlank', path, detail: 'This value should not be blank.' }),
  type: (path: string, type: string): ValidationError => ({ code: 'InvalidType', path, detail: `This value should be of type ${type}.` }),
  choice: (path: string): ValidationError => ({ code: 'NotSupportedChoice', path, detail: 'The value you selected is not a valid choice.' }),
  notFound: (path: string): ValidationError => ({ code: 'NotFound', path, detail: 'Entity not found.' }),
};

export const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);
export const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';
