/**
 * The JSON schema of SQL parameters, shared by every route that takes them: scalars or the
 * documented lossless forms (`{"$int": "…"}`, `{"$blob": "…"}`; src/db/values.ts owns their
 * meaning). Nothing nested gets past it to the sandbox.
 */
import { Type } from '@sinclair/typebox';

const Value = Type.Union([
  Type.String(), Type.Number(), Type.Boolean(), Type.Null(),
  Type.Object({ $int: Type.String({ maxLength: 21 }) }, { additionalProperties: false }),
  Type.Object({ $blob: Type.String() }, { additionalProperties: false }),
]);

export const SqlParams = Type.Union([
  Type.Array(Value, { maxItems: 32766 }),
  Type.Record(Type.String({ maxLength: 128 }), Value, { maxProperties: 32766 }),
]);
